"""The session store of the engine the settings name (or of ``engine``), for ``key`` or a new session."""

from importlib import import_module

from django.conf import settings

from portal_pages.access import SESSION_LAST_ACTIVITY


def stored_session(key=None, engine=None):
    return import_module(engine or settings.SESSION_ENGINE).SessionStore(session_key=key)


def browser_session(page):
    """The stored session of the browser that ``page`` (Playwright's) is in, by its session cookie."""
    return stored_session(next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME))


def idle_past_the_limit(page):
    """Back-date the browser's session as if nothing had been done for one second longer than the idle limit: the
    session has ended on the server, whatever its pages still count down."""
    session = browser_session(page)
    session[SESSION_LAST_ACTIVITY] -= settings.PORTAL_SESSION_IDLE_SECONDS + 1
    session.save()
