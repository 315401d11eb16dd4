"""Session engines that two requests at once cannot undo: each writes back only what it changed.

Django writes a session whole at the end of a request that changed it, as that request read it when it began. Two
requests of one browser at once then undo each other: the one that ends last writes back the session as it was
before the other, losing the flash message the other added (a form's "… updated." gone when an autosave in flight
as Save was pressed ended after it) or bringing back the one the other had shown. Any signed-in
request of the portal or the admin changes the session (the idle clock lives in it, portal_pages/middleware.py), so
any two could.

These engines keep Django's table, cache keys and signing and change one thing: a save reads the stored session
again, locked until it is written, and writes this request's own changes over it (what it set, changed in place or
removed since it read the session), so changes that requests at once made to different keys are all kept (the flash
messages have a key each for this: cms/flash_messages.py). It costs one query more for each save, and a request
saving the same session meanwhile waits for the lock (while Redis is written too, with cached_db). A session
deleted meanwhile (signed out, or signed in again, in another tab) is not made again: the save fails as Django's
does. For the same key, the request that ends last still wins.

SESSION_ENGINE names ``cms.session_backends.db``, or ``cms.session_backends.cached_db`` where Redis keeps the
sessions' cached copies (settings/production.py). Django's async methods are left as they are: nothing here is async.
"""

import copy

from django.contrib.sessions.backends.base import UpdateError
from django.db import router, transaction


class OnlyWhatChanged:
    """Mixed in before one of Django's database-backed SessionStores."""

    _as_read = None  # the session as this request read it, or as it last wrote it

    def load(self):
        data = super().load()
        self._as_read = copy.deepcopy(data)
        return data

    def save(self, must_create=False):
        if must_create or self.session_key is None or self._as_read is None:
            super().save(must_create)  # a new session: nobody else can have written it
        else:
            with transaction.atomic(using=router.db_for_write(self.model)):
                self._session_cache = self._mine_over(self._stored())
                super().save(must_create=False)
        self._as_read = copy.deepcopy(self._session)

    def _stored(self) -> dict:
        # Whether or not it has expired since this request read it: Django's own save renews a row not yet cleared
        # away, and a request that began in time is not refused for ending a second late.
        try:
            row = self.model.objects.select_for_update().only("session_data").get(session_key=self.session_key)
        except self.model.DoesNotExist:
            raise UpdateError from None  # Django's own save says so for a row gone: SessionInterrupted, a 400
        return self.decode(row.session_data)

    def _mine_over(self, stored: dict) -> dict:
        mine, as_read = self._session, self._as_read
        stored.update({key: value for key, value in mine.items() if key not in as_read or as_read[key] != value})
        for key in as_read.keys() - mine.keys():
            stored.pop(key, None)
        return stored
