"""Template tags for what sits around the form: the child's name as a request gives it, the request page's links,
and outcomes in PDFs."""

from django import template
from django.utils.html import format_html

from advice_forms.selectors import change_reports_waiting_for_request, request_extras_counts
from advice_forms.selectors import outcomes_for_pdf as _outcomes_for_pdf
from cms.formats import with_full_stop

register = template.Library()


@register.filter
def child_name(advice_request, ending=""):
    """The child as ``advice_request`` names them: the full name, or the initials ("E. P.") followed by words that
    only screen readers read, saying that they are the child's initials. ``ending="."``: the name ends a sentence,
    with one full stop (``with_full_stop``: initials already end with theirs)."""
    name = with_full_stop(advice_request.child_display_name) if ending == "." else advice_request.child_display_name
    if advice_request.shows_child_name:
        return name
    return format_html('{}<span class="govuk-visually-hidden"> (the child\'s initials)</span>', name)


@register.filter
def request_marker(advice_request):
    """What every page of one request puts in its title after the page's name, as the request page's whole title:
    the form and the request's number ("ERSA – request 12"), so two requests for the same form differ in a SENCO's
    tabs and history. Never the child: titles stay in the history of shared school laptops."""
    return f"{advice_request.form_version.title} – request {advice_request.pk}"


@register.simple_tag
def request_extras(advice_request):
    """Counts for advice_forms/includes/request_extras.html."""
    return request_extras_counts(advice_request)


@register.simple_tag
def changes_reported(advice_request):
    """When the request's account reported a change to the child's details still waiting for the SEND service, for
    advice_forms/includes/changes_reported.html."""
    return change_reports_waiting_for_request(advice_request)


@register.simple_tag
def outcomes_for_pdf(child, advice_request=None):
    """Outcomes grouped by Type then Team, for advice_forms/includes/outcomes_pdf.html."""
    return _outcomes_for_pdf(child, advice_request=advice_request)
