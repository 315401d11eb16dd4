"""SESSION_ENGINE: Django's sessions in the database read through the cache, each save writing only its own changes
(see the package). The cache keys are Django's, so docs/operations.md's command that empties them still finds them."""

from django.contrib.sessions.backends import cached_db

from cms.session_backends import OnlyWhatChanged


class SessionStore(OnlyWhatChanged, cached_db.SessionStore):
    pass
