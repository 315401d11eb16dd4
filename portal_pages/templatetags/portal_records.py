"""Template tags for what sits around the form: the request page's links, and outcomes in PDFs."""

from django import template

from portal_pages.record_selectors import outcomes_for_pdf as _outcomes_for_pdf
from portal_pages.record_selectors import request_extras_counts

register = template.Library()


@register.simple_tag
def request_extras(advice_request):
    """Counts for portal_pages/includes/request_extras.html."""
    return request_extras_counts(advice_request)


@register.simple_tag
def outcomes_for_pdf(child, advice_request=None):
    """Outcomes grouped by Type then Team, for portal_pages/includes/outcomes_pdf.html."""
    return _outcomes_for_pdf(child, advice_request=advice_request)
