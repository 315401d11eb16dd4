"""Where a flash message waits for the next page: on the server for someone signed in, in a cookie for a visitor.

Django's default keeps messages in a signed cookie, which anyone holding the browser (or a proxy that logs cookies)
can read: "Accepted: ... for <a child's name>" sat there between the caseworker's post and the next page. Messages
stored while someone is signed in wait in their session instead. A visitor's stay in the cookie (Django's fallback),
so a visitor gets no session, which would keep every guidance page they open out of the page cache (cms/cache.py).

Whether someone is signed in is asked as the response leaves, and both places are read on the next page: a
message written as someone signs out (the admin's time-out says why on its sign-in page) or in is not lost.

A message Wagtail writes in words the portal does not use is stored in the portal's (``PORTAL_WORDING``): the admin's
sign-in page said "You have been successfully logged out." where every other page says sign in and sign out.

In the session each message has a key of its own (``OneKeyEach``): a page that shows one message and a save that adds
another, two requests at once, then change different keys, which the session engine keeps apart
(cms/session_backends/). Under Django's one key for the list, the page removing what it showed took the save's new
message with it, or the save put back the one shown.
"""

import time

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage

# The extra tag of an admin message that takes the focus on the page it is shown on (cms/admin/message-focus.js): one
# that tells of an action done, or refused, on another page, which Wagtail's role="status" list would hold unannounced.
TAKES_FOCUS = "portal-takes-focus"

# Wagtail's message, as it writes it -> the portal's words for it (GOV.UK style: sign in, sign out).
PORTAL_WORDING = {"You have been successfully logged out.": "You have been signed out."}


class OneKeyEach(SessionStorage):
    """Django's session storage with each message under a key of its own ("_messages.<time>"), in the order written;
    a message read from a key is removed from the session by removing that key alone."""

    prefix = f"{SessionStorage.session_key}."

    def _keys(self) -> list:
        # Django's own key too: a message that waited in it across an upgrade is still shown once. (A session cannot
        # be iterated: keys() it is.)
        keys = self.request.session.keys()
        return sorted(key for key in keys if key.startswith(self.prefix) or key == self.session_key)

    def _get(self, *args, **kwargs):
        found = []
        for key in self._keys():
            for message in self.deserialize_messages(self.request.session[key]):
                message.session_key = key
                found.append(message)
        return found, True

    def _store(self, messages, response, *args, **kwargs):
        session = self.request.session
        kept = {getattr(message, "session_key", None) for message in messages}
        for key in self._keys():
            if key not in kept:
                session.pop(key)
        written = time.time_ns()
        for number, message in enumerate(messages):
            if getattr(message, "session_key", None) is None:
                message.session_key = f"{self.prefix}{written}.{number:03d}"
                session[message.session_key] = self.serialize_messages([message])
        return []


class SignedInMessagesOnTheServer(FallbackStorage):
    """settings.MESSAGE_STORAGE: Django's cookie-then-session fallback, except that the messages of a request that
    ends signed in go to the session alone, each under a key of its own."""

    storage_classes = (CookieStorage, OneKeyEach)

    def _get(self, *args, **kwargs):
        # Django's fallback reads the session only when the cookie says some messages did not fit in it.
        found = []
        for storage in self.storages:
            if storage is self.storages[1] and self.request.session.session_key is None:
                continue  # no session to read (a visitor's first page): reading would not make one
            messages, _all_retrieved = storage._get()
            if messages:
                self._used_storages.add(storage)
                found.extend(messages)
        return found, True

    def add(self, level, message, extra_tags=""):
        # Wagtail's admin messages come through its template, blank lines around the words.
        return super().add(level, PORTAL_WORDING.get(str(message).strip(), message), extra_tags)

    def _store(self, messages, response, *args, **kwargs):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return super()._store(messages, response, *args, **kwargs)
        cookie, session = self.storages
        if cookie in self._used_storages:
            cookie._store([], response)  # the messages it held were read on this page: its cookie is deleted
            self._used_storages.discard(cookie)
        if messages or session in self._used_storages:
            self._used_storages.discard(session)
            return session._store(messages, response)
        return []
