"""Template tags for what sits around the form: the child's name as a request gives it, the request page's links,
and outcomes in PDFs."""

from django import template
from django.utils.html import format_html

from advice_forms.selectors import outcomes_for_pdf as _outcomes_for_pdf
from advice_forms.selectors import request_extras_counts

register = template.Library()


@register.filter
def child_name(advice_request):
    """The child as ``advice_request`` names them: the full name, or the initials ("E. P.") followed by words that
    only screen readers read, saying that they are the child's initials."""
    if advice_request.shows_child_name:
        return advice_request.child_display_name
    return format_html(
        '{}<span class="govuk-visually-hidden"> (the child\'s initials)</span>', advice_request.child_display_name
    )


@register.simple_tag
def request_extras(advice_request):
    """Counts for advice_forms/includes/request_extras.html."""
    return request_extras_counts(advice_request)


@register.simple_tag
def outcomes_for_pdf(child, advice_request=None):
    """Outcomes grouped by Type then Team, for advice_forms/includes/outcomes_pdf.html."""
    return _outcomes_for_pdf(child, advice_request=advice_request)
