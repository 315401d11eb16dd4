"""Wagtail admin pages for account administration: reset a user's two-factor devices, reactivate an account."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal_pages import services
from portal_pages.models import AccountState, User

CHANGE_USER = "portal_pages.change_user"


def _target(request, user_id) -> User:
    if not request.user.has_perm(CHANGE_USER):
        raise PermissionDenied
    user = get_object_or_404(User, pk=user_id)
    if user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    return user


def _back(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if candidate.startswith("/admin/") else reverse("team_accounts:index")


@require_http_methods(["GET", "POST"])
def reset_two_factor(request, user_id):
    user = _target(request, user_id)
    if request.method == "POST":
        removed = services.devices_reset_by_admin(user=user, reset_by=request.user, request=request)
        messages.success(
            request,
            f"Two-factor sign-in of {user.email} has been reset ({removed} device{'s' if removed != 1 else ''} "
            "removed). The account sets up an authenticator at its next sign-in, and has been emailed.",
        )
        return redirect(_back(request))
    return TemplateResponse(
        request,
        "portal_pages/admin/confirm.html",
        {
            "account": user,
            "page_title": "Reset two-factor sign-in",
            "header_title": "Reset two-factor sign-in",
            "question": f"Remove every authenticator device and backup code of {user.email}?",
            "explanation": "Do this when the account has lost its phone and has no backup codes left. "
            "Check first that the request really comes from the account's owner. The account will set up a new "
            "authenticator at its next sign-in, and is emailed about the reset.",
            "button": "Reset two-factor sign-in",
            "next": _back(request),
        },
    )


@require_http_methods(["GET", "POST"])
def reactivate(request, user_id):
    user = _target(request, user_id)
    if user.account_state != AccountState.DORMANT:
        messages.error(request, f"{user.email} is not dormant.")
        return redirect(_back(request))
    if request.method == "POST":
        services.account_reactivate(user=user, reactivated_by=request.user, request=request)
        messages.success(request, f"{user.email} has been reactivated and emailed.")
        return redirect(_back(request))
    return TemplateResponse(
        request,
        "portal_pages/admin/confirm.html",
        {
            "account": user,
            "page_title": "Reactivate account",
            "header_title": "Reactivate account",
            "question": f"Reactivate the dormant account {user.email}?",
            "explanation": "It can then sign in again, or reset its password. Check first that the request comes "
            "from the organisation.",
            "button": "Reactivate",
            "next": _back(request),
        },
    )


@require_http_methods(["POST"])
def keep_alive(request):
    """The admin's "Stay signed in": PortalSessionMiddleware has already counted this request as activity."""
    from django.conf import settings
    from django.http import JsonResponse

    return JsonResponse({"idle_seconds": settings.PORTAL_SESSION_IDLE_SECONDS})
