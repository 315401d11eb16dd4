"""The session store of the engine the settings name (or of ``engine``), for ``key`` or a new session."""

from importlib import import_module

from django.conf import settings


def stored_session(key=None, engine=None):
    return import_module(engine or settings.SESSION_ENGINE).SessionStore(session_key=key)
