"""Typing kept at a time-out: a form posted after the session ran out is not saved, but not lost either.

Someone at a page with JavaScript off (no autosave, no warning dialog) who presses "Save" after the idle limit is
signed out before the view runs (portal_pages/middleware.py); with JavaScript on, the warning dialog's countdown ends
the same way on a page holding typing no save has kept (an autosave refused or never sent, a form not yet sent),
posting the page's form to its own address (``time_out_asked``). Saving such a post would let whoever sits at an
unattended computer write into a child's advice without signing in, so nothing is saved; instead, for a view marked
with ``keeps_typing``, the posted fields (never the CSRF token; a chosen file cannot be kept, only its name) are kept
server-side in the new signed-out session, tied to the account that timed out and the page's path, for
``KEPT_SECONDS`` (the session itself ends then). Once that same account has signed in again (password and code:
Django's ``login`` and our code step cycle the session key and keep its data), the view takes them back with
``typing_take`` and shows them as unsaved typing, once. Any other account signing in in that browser, here or in the
admin, throws them away (``typing_forget_others``, on Django's ``user_logged_in``); left untaken past ``KEPT_SECONDS``
they go at the next portal request (``typing_forget_old``). Nothing of them is logged; the time-out's audit entry says
only that typing was kept.
"""

import time
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

SESSION_KEPT_TYPING = "portal_kept_typing"
# How long typing kept at a time-out waits for its account to sign in again and come back to the page.
KEPT_SECONDS = 3600
LEFT_OUT = frozenset({"csrfmiddlewaretoken"})
# In the address of the post the time-out dialog sends at its countdown's end (``time_out_asked``).
TIMED_OUT_QUERY = "timed_out"
# The most text kept from one post: a step of 40 long answers at their 6,000 characters is 240,000.
KEPT_MAX_CHARACTERS = 1_000_000


@dataclass(frozen=True)
class KeptTyping:
    data: MultiValueDict  # the posted fields, to bind the page's form to
    file_names: list  # the files chosen in that post, which were not kept


class _FileNames(FileUploadHandler):
    """Notes each posted file's name and throws its content away, never writing it anywhere: a file is not kept."""

    def __init__(self, request=None):
        super().__init__(request)
        self.names = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.file_name:
            self.names.append(self.file_name)

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _file_names(request) -> _FileNames:
    """The one handler that notes this request's posted file names, put in place before anything reads the body (one
    a request: the time-out's CSRF check and ``typing_posted`` may both read it)."""
    handler = getattr(request, "_portal_file_names", None)
    if handler is None:
        handler = request._portal_file_names = _FileNames(request)
        with suppress(AttributeError):  # raised when something before read the body: its files are in request.FILES
            request.upload_handlers = [handler]
    return handler


def _csrf_refusal(request):
    """Django's CSRF check of a post, which the time-out comes before: its refusal (a 403 page), or None."""
    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


def keeps_typing(view):
    """Mark ``view`` (the function the URL pattern names) as one whose post, arriving after a time-out, is kept for
    ``typing_take``; the view must then take it on its next GET, or it is simply forgotten after ``KEPT_SECONDS``."""
    view.portal_keeps_typing = True
    return view


def view_keeps_typing(request) -> bool:
    """Whether the view of this request's address is marked ``keeps_typing``: once the view is chosen, as Django has
    resolved it (a template's tag); before, as the middleware asks, by resolving the address."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return getattr(match.func, "portal_keeps_typing", False)


def typing_posted(request) -> dict | None:
    """What a post to a ``keeps_typing`` view carries, read before the session ends; None for any other request, an
    empty post, one that fails its CSRF check, or a body Django refuses to read (too big, too many fields,
    malformed)."""
    if request.method != "POST" or not view_keeps_typing(request):
        return None
    files = _file_names(request)
    try:
        # The post's own CSRF check, which the time-out comes before: a post another site made keeps nothing.
        if _csrf_refusal(request) is not None:
            return None
        fields = {name: values for name, values in request.POST.lists() if name not in LEFT_OUT}
        file_names = files.names or [
            chosen.name for _name, chosen_files in request.FILES.lists() for chosen in chosen_files
        ]
    except (SuspiciousOperation, MultiPartParserError, OSError):  # OSError: a body cut off (UnreadablePostError)
        return None
    if not fields and not file_names:
        return None
    # Read before the field limit's own check runs (cms/field_limits.py): more than a portal page may post, or more
    # text than any page of the portal holds, is not what someone typed, and is not kept in the session.
    values = [value for posted in fields.values() for value in posted]
    if len(values) > settings.PORTAL_MAX_FIELDS or sum(map(len, values)) > KEPT_MAX_CHARACTERS:
        return None
    return {"path": request.path, "fields": fields, "file_names": file_names}


def time_out_asked(request) -> bool:
    """A post the time-out dialog sent as its countdown ended (session-timeout.js): the page's own form, holding typing
    that no save has kept, posted to its own address with ``?timed_out=1``. It is a post after the time-out, whatever
    the server's clock says (the page may have been heard from while the dialog was open): never saved, the session
    ended as the dialog said, and, on a page that keeps typing, the typing kept."""
    return request.method == "POST" and request.GET.get(TIMED_OUT_QUERY) == "1"


def time_out_refusal(request):
    """For a post that asks for the time-out while the session still runs: Django's CSRF refusal (a 403 page) when it
    fails the check, so that another site cannot sign anyone out; else None. The body is read as ``typing_posted``
    reads it (a chosen file's content thrown away)."""
    _file_names(request)
    return _csrf_refusal(request)


def typing_keep(request, *, posted: dict, account) -> None:
    """Keep ``posted`` (from ``typing_posted``) in this signed-out session for ``account``, replacing any before."""
    request.session[SESSION_KEPT_TYPING] = {**posted, "account": account.pk, "kept_at": time.time()}
    # Nobody may come back: the session row (and what it holds) ends with the wait, not hours later.
    request.session.set_expiry(KEPT_SECONDS)


def typing_forget_others(request, user) -> None:
    """Run at every sign-in (Django's ``user_logged_in``: the portal's, the admin's, any other): typing kept for
    another account is thrown away, never shown to this one nor left in its session; the short session the wait
    made lasts as long as settings say again."""
    kept = request.session.get(SESSION_KEPT_TYPING)
    if kept is None:
        return
    if kept.get("account") != user.pk:
        del request.session[SESSION_KEPT_TYPING]
    request.session.set_expiry(None)


def typing_forget_old(request) -> None:
    """Throw away typing kept longer ago than ``KEPT_SECONDS`` that its page has not taken (the account signed in
    again but went elsewhere): it is not left for the rest of a signed-in session."""
    kept = request.session.get(SESSION_KEPT_TYPING)
    if kept is not None and time.time() - kept.get("kept_at", 0) > KEPT_SECONDS:
        del request.session[SESSION_KEPT_TYPING]


def typing_waiting(request) -> dict | None:
    """What the signed-out page says of typing kept at the time-out that just happened: None when nothing was kept,
    else whether files were chosen (they were not kept) and how long the typing still waits, counted from when it was
    kept (the page may be reloaded later): "1 hour" at first, then "about 40 more minutes"; ``waits`` is None once
    less than a minute is left (nobody signs in again with a code that fast; past ``KEPT_SECONDS`` it is thrown away).
    Nothing is taken."""
    kept = request.session.get(SESSION_KEPT_TYPING)
    if kept is None:
        return None
    left = KEPT_SECONDS - (time.time() - kept.get("kept_at", 0))
    minutes = round(left / 60) if left >= 60 else 0
    if not minutes:
        waits = None
    elif minutes % 60 == 0:
        hours = minutes // 60
        waits = f"{hours} hour{'s' if hours != 1 else ''}"
    else:
        waits = f"about {minutes} more minute{'s' if minutes != 1 else ''}"
    return {"files": bool(kept.get("file_names")), "waits": waits}


def typing_take(request) -> KeptTyping | None:
    """The typing kept at a time-out for this page (``request.path``) and the signed-in account, taken out of the
    session so that it shows once; None when there is none. Typing kept for another account, or longer ago than
    ``KEPT_SECONDS``, is thrown away; typing kept for another page waits for that page."""
    kept = request.session.get(SESSION_KEPT_TYPING)
    if kept is None:
        return None
    if kept.get("account") != request.user.pk or time.time() - kept.get("kept_at", 0) > KEPT_SECONDS:
        del request.session[SESSION_KEPT_TYPING]
        return None
    if kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEPT_TYPING]
    return KeptTyping(data=MultiValueDict(kept["fields"]), file_names=list(kept["file_names"]))
