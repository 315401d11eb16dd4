"""SESSION_ENGINE: Django's sessions in the database, each save writing only its own changes (see the package)."""

from django.contrib.sessions.backends import db

from cms.session_backends import OnlyWhatChanged


class SessionStore(OnlyWhatChanged, db.SessionStore):
    pass
