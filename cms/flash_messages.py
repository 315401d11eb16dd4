"""Where a flash message waits for the next page: on the server for someone signed in, in a cookie for a visitor.

Django's default keeps messages in a signed cookie, which anyone holding the browser (or a proxy that logs cookies)
can read: "Accepted: ... for <a child's name>" sat there between the caseworker's post and the next page. Messages
stored while someone is signed in wait in their session instead. A visitor's stay in the cookie (Django's fallback),
so a visitor gets no session, which would keep every guidance page they open out of the page cache (cms/cache.py).

Whether someone is signed in is asked as the response leaves, and both places are read on the next page: a
message written as someone signs out (the admin's time-out says why on its sign-in page) or in is not lost.

A message Wagtail writes in words the portal does not use is stored in the portal's (``PORTAL_WORDING``): the admin's
sign-in page said "You have been successfully logged out." where every other page says sign in and sign out.
"""

from django.contrib.messages.storage.fallback import FallbackStorage

# The extra tag of an admin message that takes the focus on the page it is shown on (cms/admin/message-focus.js): one
# that tells of an action done, or refused, on another page, which Wagtail's role="status" list would hold unannounced.
TAKES_FOCUS = "portal-takes-focus"

# Wagtail's message, as it writes it -> the portal's words for it (GOV.UK style: sign in, sign out).
PORTAL_WORDING = {"You have been successfully logged out.": "You have been signed out."}


class SignedInMessagesOnTheServer(FallbackStorage):
    """settings.MESSAGE_STORAGE: Django's cookie-then-session fallback, except that the messages of a request that
    ends signed in go to the session alone."""

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
