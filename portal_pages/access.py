"""The one protection of every /portal/ page (the access gate), and the start of the session clocks at sign-in.

Use ``professional_required`` (function views) or ``ProfessionalRequiredMixin`` (class views) on every
view a team account sees behind sign-in, e.g. ``/portal/requests/<id>/``. It lets through a request only
when the user is

1. signed in (else: redirect to /portal/sign-in/?next=...),
2. a team account, not staff (else: 403; staff work in /admin/),
3. active and not dormant (else: signed out, redirect to sign-in; one switched off during the session is told so
   there),
4. verified with an authenticator code in this session (else: redirect to the code step, or to setting
   up an authenticator when the account has none yet).

It checks who may open the portal, not which objects: views still look objects up through the
account's own querysets, so another account's id gives 404.

``restricted_content_refusal`` holds Wagtail's private guidance pages and private document collections to the same
rule 4: Wagtail counts anyone signed in, so a password alone would open them (portal_pages/wagtail_hooks.py).

``session_start`` starts the two clocks that portal_pages/middleware.py (``PortalSessionMiddleware``) reads to end
an idle or too-long session; ``timed_out_url`` is the page that says so, carrying the page to come back to.
"""

import time
from functools import wraps
from urllib.parse import unquote, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme

from portal_pages import otp
from portal_pages.models import SWITCHED_OFF, User, shown_state_q

# Beside the sign-in form's password (the right one), and on the sign-in page of one switched off while signed in.
SWITCHED_OFF_WORDS = (
    "This account has been switched off, so it cannot sign in. If you still need it, ask the SEND service to switch "
    "it on again"
)

SESSION_LAST_ACTIVITY = "portal_last_activity"
SESSION_SIGNED_IN_AT = "portal_signed_in_at"


def session_start(request) -> None:
    """Call right after django.contrib.auth.login(): start both clocks in the new session (typing kept at a time-out
    for another account was thrown away by the login: portal_pages.kept_typing)."""
    now = time.time()
    request.session[SESSION_SIGNED_IN_AT] = now
    request.session[SESSION_LAST_ACTIVITY] = now


def safe_next(request, candidate: str) -> str:
    """``candidate`` when it is an address on this site whose path has no "." or ".." segment (a browser resolves
    "/portal/../admin/" to "/admin/", past any check of where it starts), else ""."""
    if not candidate or not url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return ""
    if {".", ".."} & set(unquote(urlsplit(candidate).path).replace("\\", "/").split("/")):
        return ""
    return candidate


def return_path(request, candidate: str) -> str:
    """``candidate`` (a path or an address) as the portal page to come back to after signing in again, e.g.
    "/portal/requests/2/steps/about/"; "" when it is not a page of this site's portal, is the dashboard (where signing
    in goes anyway), or is a sign-in, sign-out or keep-alive address itself. A path with a "." or ".." segment is none
    of them: a browser resolves "/portal/../admin/" to "/admin/"."""
    if not safe_next(request, candidate):
        return ""
    parts = urlsplit(candidate)
    dashboard = reverse("portal:dashboard")
    doors = tuple(reverse(f"portal:{name}") for name in ("sign_in", "sign_out", "signed_out", "keep_alive"))
    if not parts.path.startswith(dashboard) or parts.path == dashboard or parts.path.startswith(doors):
        return ""
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def timed_out_url(request, came_from: str, why: str = "idle") -> str:
    """The signed-out page after a time-out, saying why (``why``: "idle", or "limit" for the absolute limit); its
    "Sign in again" comes back to ``came_from`` (the page the person was on) when ``return_path`` takes it."""
    query = {"reason": "limit" if why == "limit" else "timeout"}
    if next_path := return_path(request, came_from):
        query["next"] = next_path
    return f"{reverse('portal:signed_out')}?{urlencode(query)}"


def switched_off_sign_out(request):
    """None, or, for a session whose account an administrator switched off since it signed in (Django counts it as
    signed out, with no reason: the sign-in backend refuses it), the session ended and the sign-in page, saying why."""
    session = getattr(request, "session", None)
    account_id = session.get(SESSION_KEY) if session is not None else None
    if account_id is None:
        return None
    account = User.objects.filter(shown_state_q(SWITCHED_OFF[0]), pk=account_id).first()
    if account is None or not constant_time_compare(session.get(HASH_SESSION_KEY, ""), account.get_session_auth_hash()):
        return None
    logout(request)
    messages.warning(request, f"{SWITCHED_OFF_WORDS}.")
    return redirect(reverse("portal:sign_in"))


def refusal(request):
    """None when the request may see a portal page behind sign-in, else the response that refuses it."""
    user = request.user
    if not user.is_authenticated:
        if switched_off := switched_off_sign_out(request):
            return switched_off
        return redirect_to_login(request.get_full_path(), login_url=reverse("portal:sign_in"))
    if user.is_staff or user.is_superuser:
        raise PermissionDenied("Council staff use the staff admin, not the portal.")
    if not user.can_sign_in:
        logout(request)
        return redirect_to_login(request.get_full_path(), login_url=reverse("portal:sign_in"))
    if not user.is_verified():
        step = "portal:sign_in_code" if otp.has_any_device(user) else "portal:two_factor_setup"
        return redirect_to_login(request.get_full_path(), login_url=reverse(step))
    return None


def restricted_content_refusal(request, restricted):
    """None, or a redirect to the code step, for a private page or a document of a private collection (``restricted``,
    the page or the collection): a user signed in with a password but no authenticator code yet counts as signed out.
    A shared-password restriction is Wagtail's own to check. The restrictions are read only for such a user."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if all(restriction.restriction_type == restriction.PASSWORD for restriction in restricted.get_view_restrictions()):
        return None
    step = "wagtail_2fa_auth" if user.is_staff or user.is_superuser else "portal:sign_in_code"
    return redirect_to_login(request.get_full_path(), login_url=reverse(step))


def professional_required(view):
    """Decorator for function views: see this module's docstring."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = refusal(request)
        if response is not None:
            return response
        return view(request, *args, **kwargs)

    return wrapped


class ProfessionalRequiredMixin:
    """Mixin for class views (put it first): see this module's docstring."""

    def dispatch(self, request, *args, **kwargs):
        response = refusal(request)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)
