"""`{% request_actions advice_request back="overdue" %}`: a request's Overdue tag and the caseworker's "Change due
date" and "Send a reminder", as the workflow lets the signed-in user take them (advice_forms.admin.request_actions).
``back`` names the page to come back to ("overdue", "record", or the request's own page). `{{ account|holder_name }}`:
a team account's name with why it cannot sign in, if it cannot. `{% account_told account email_says="..." as told %}`:
how the account hears of an action (advice_forms.admin.request_actions.account_told)."""

from django import template
from django.middleware.csrf import get_token

from advice_forms.admin.request_actions import account_told, actions_for, holder_name

register = template.Library()
register.filter("holder_name", holder_name)
register.simple_tag(account_told)


@register.inclusion_tag("advice_forms/casework/request_actions.html", takes_context=True)
def request_actions(context, advice_request, back=""):
    request = context["request"]
    return {
        "advice_request": advice_request,
        "back": back,
        # From the request: a listing's cell is rendered in a context of its own, without the page's token.
        "csrf_token": get_token(request),
        **actions_for(request.user, advice_request),
    }
