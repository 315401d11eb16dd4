"""What the views around the form share: the account's own request, and the link back to its page."""

from django.urls import NoReverseMatch, reverse

from portal_pages.record_selectors import request_for_account


def request_page_url(advice_request) -> str:
    """The request's own page (portal:request_detail); its path until that view exists."""
    try:
        return reverse("portal:request_detail", args=[advice_request.pk])
    except NoReverseMatch:
        return f"/portal/requests/{advice_request.pk}/"


def own_request(request, pk):
    """The signed-in account's advice request ``pk``, or 404."""
    return request_for_account(request.user, pk)


def record_context(advice_request, **extra) -> dict:
    return {
        "advice_request": advice_request,
        "child_name": advice_request.child_display_name,
        "back_url": request_page_url(advice_request),
        **extra,
    }
