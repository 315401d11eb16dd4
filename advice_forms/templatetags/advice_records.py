"""Template tags for what sits around the form: the request page's links, and outcomes in PDFs."""

from django import template

from advice_forms.selectors import outcomes_for_pdf as _outcomes_for_pdf
from advice_forms.selectors import request_extras_counts

register = template.Library()


@register.simple_tag
def request_extras(advice_request):
    """Counts for advice_forms/includes/request_extras.html."""
    return request_extras_counts(advice_request)


@register.simple_tag
def outcomes_for_pdf(child, advice_request=None):
    """Outcomes grouped by Type then Team, for advice_forms/includes/outcomes_pdf.html."""
    return _outcomes_for_pdf(child, advice_request=advice_request)
