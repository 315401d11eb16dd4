"""The idle and absolute session time-outs for the portal.

``PortalSessionMiddleware`` (in settings.MIDDLEWARE) ends a signed-in session on any /portal/ URL, and on
any URL of the staff admin (PORTAL_ADMIN_PATH_PREFIX), after PORTAL_SESSION_IDLE_SECONDS without a request,
or PORTAL_SESSION_ABSOLUTE_HOURS after sign-in, and sends ``Cache-Control: no-store`` on every /portal/
response. Activity is a request the person made: a page, a save, an autosave of a change, "Stay signed in", and the
keep-alive a page sends while someone types (session-timeout.js, once a minute at most; every tab of the browser then
counts down from the latest of them).
The admin's editing-session ping, which Wagtail's editor sends on a timer while a page is merely open, is not
activity (it would keep an abandoned session alive for ever), though it is signed out like any other request
once the session has run out; nor is a HEAD. A request's activity counts from when its answer is sent. Sessions live in
the database, so every app server sees the same clocks.
A form posted after the time-out is not saved; a page that asks for it keeps what was typed for its account to find
after signing in again (portal_pages/kept_typing.py). So is the post the warning dialog sends as its countdown ends on a
page holding unsaved typing, which ends the session then, as the dialog said, wherever the server's clock stands.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from cms.services import audit_record
from portal_pages.access import SESSION_LAST_ACTIVITY, SESSION_SIGNED_IN_AT, timed_out_url
from portal_pages.events import AccountEvent
from portal_pages.kept_typing import (
    time_out_asked,
    time_out_refusal,
    typing_forget_old,
    typing_keep,
    typing_posted,
)

PORTAL_PREFIX = "/portal/"


def _admin_prefix() -> str:
    return settings.PORTAL_ADMIN_PATH_PREFIX


def _background_request(request) -> bool:
    """A request a page sends on a timer, not because someone did something."""
    return request.path.startswith(f"{_admin_prefix()}editing-sessions/ping/")


def _activity(request) -> bool:
    """A HEAD (a link checker, a download manager's look before the GET) is nobody doing anything, even where it was
    answered as a GET (cms/head_requests.py), so the method is read from the request as it came."""
    return request.META.get("REQUEST_METHOD", request.method).upper() != "HEAD"


class PortalSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        portal = request.path.startswith(PORTAL_PREFIX)
        if not portal and not request.path.startswith(_admin_prefix()):
            return self.get_response(request)
        active = False
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_LAST_ACTIVITY)
            started = request.session.get(SESSION_SIGNED_IN_AT)
            idle = last is not None and now - last > settings.PORTAL_SESSION_IDLE_SECONDS
            too_long = started is not None and now - started > settings.PORTAL_SESSION_ABSOLUTE_HOURS * 3600
            if portal and time_out_asked(request) and not (idle or too_long):
                # The dialog's countdown ended on a page holding unsaved typing: ended now, as the dialog said.
                refused = time_out_refusal(request)
                return refused if refused is not None else self._time_out(request, "idle")
            if idle or too_long:
                why = "idle" if idle else "limit"
                return self._time_out(request, why) if portal else self._admin_time_out(request, why)
            active = _activity(request) and (last is None or not _background_request(request))
            typing_forget_old(request)
            if started is None:
                request.session[SESSION_SIGNED_IN_AT] = now
        response = self.get_response(request)
        if active and request.user.is_authenticated:  # not signed out meanwhile
            # Idle from the moment the answer left, as the page's countdown runs from when it arrives: a slow upload
            # does not eat into the next ten minutes, and of two requests at once the one ending last (whose value
            # the session keeps, cms/session_backends) holds the latest time, not its own earlier start.
            request.session[SESSION_LAST_ACTIVITY] = time.time()
        if portal:
            add_never_cache_headers(response)
        return response

    def _record(self, request, why, *, kept_typing=False):
        user = request.user
        data = {"why": why, "kept_typing": True} if kept_typing else {"why": why}
        audit_record(action=AccountEvent.TIMED_OUT, actor=user, target=user, request=request, data=data)
        logout(request)

    def _time_out(self, request, why):
        """To the signed-out page, whose "Sign in again" comes back to the page asked for (a GET) or the page a POST was
        sent from (a save, an upload). A post to a page that keeps typing (portal_pages/kept_typing.py) is not saved,
        but kept for the same account to find on that page once signed in again."""
        came_from = request.get_full_path() if request.method == "GET" else request.META.get("HTTP_REFERER", "")
        account = request.user
        posted = typing_posted(request)
        self._record(request, why, kept_typing=posted is not None)
        if posted is not None:
            typing_keep(request, posted=posted, account=account)
        response = redirect(timed_out_url(request, came_from, why))
        add_never_cache_headers(response)
        return response

    def _admin_time_out(self, request, why):
        """Back to the admin's sign-in, which shows why; a page (not a background request) is the next page."""
        self._record(request, why)
        if why == "idle":
            minutes = settings.PORTAL_SESSION_IDLE_SECONDS // 60
            reason = f"you had not done anything for {minutes} minute{'' if minutes == 1 else 's'}"
        else:
            hours = settings.PORTAL_SESSION_ABSOLUTE_HOURS
            reason = f"you had been signed in for {hours} hour{'' if hours == 1 else 's'}"
        messages.info(request, f"You were signed out because {reason}. We do this to protect children's information.")
        login_url = reverse("wagtailadmin_login")
        if request.method == "GET" and not _background_request(request):
            response = redirect_to_login(request.get_full_path(), login_url=login_url)
        else:
            response = redirect(login_url)
        add_never_cache_headers(response)
        return response
