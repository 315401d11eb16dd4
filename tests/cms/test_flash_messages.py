"""A visitor's flash message waits in a cookie, so the visitor gets no session (which would keep every guidance page
out of the page cache for them); a signed-in person's waits in the session (test_review.py: one naming a child)."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.urls import reverse

from cms.flash_messages import SignedInMessagesOnTheServer
from portal_pages.access import SESSION_LAST_ACTIVITY
from portal_pages.models import AccountState
from portal_pages.tokens import account_token_make
from tests.factories.accounts import ProfessionalFactory
from tests.sessions import stored_session

pytestmark = pytest.mark.django_db


def test_a_visitors_message_waits_in_a_cookie_and_leaves_no_session(client):
    account = ProfessionalFactory(account_state=AccountState.PENDING_VERIFICATION)
    token = account_token_make(user=account, purpose="verify")

    response = client.post(reverse("portal:verify", args=[token]))

    assert response.status_code == 302
    assert response.cookies["messages"].value
    assert not getattr(response.cookies.get(settings.SESSION_COOKIE_NAME), "value", "")
    assert "Your email address is confirmed" in client.get(response["Location"]).content.decode()


def test_a_message_waiting_in_the_cookie_is_read_once_signed_in_and_the_cookie_goes(client, rf):
    """Django's fallback reads the session only when the cookie says more is waiting there: a message written just
    before a sign-in (in the cookie) or a sign-out (in the session) would never be shown."""
    account = ProfessionalFactory()
    anonymous = rf.get("/")
    SessionMiddleware(lambda request: None).process_request(anonymous)
    anonymous.user = AnonymousUser()
    before = SignedInMessagesOnTheServer(anonymous)
    before.add(messages.INFO, "Your email address is confirmed.")
    response = HttpResponse()
    before.update(response)

    signed_in = rf.get("/", HTTP_COOKIE=f"messages={response.cookies['messages'].value}")
    SessionMiddleware(lambda request: None).process_request(signed_in)
    signed_in.session.save()
    signed_in.user = account
    after = SignedInMessagesOnTheServer(signed_in)
    assert [str(message) for message in after] == ["Your email address is confirmed."]
    after.add(messages.SUCCESS, "Accepted: the advice about a child.")
    response = HttpResponse()
    after.update(response)
    assert response.cookies["messages"].value == ""  # the read cookie deleted, the new message not in one
    del signed_in.COOKIES["messages"]  # as the browser deletes it
    assert [str(message) for message in SignedInMessagesOnTheServer(signed_in)] == [
        "Accepted: the advice about a child."
    ]


def _request_in(rf, key, account):
    """A request of the session ``key``, signed in as ``account``, that has read its session as each does first."""
    request = rf.get("/")
    request.session = stored_session(key)
    request.session.get(SESSION_LAST_ACTIVITY)
    request.user = account
    return request


def _shown(request) -> list:
    storage = SignedInMessagesOnTheServer(request)
    shown = [str(message) for message in storage]
    storage.update(HttpResponse())
    request.session.save()
    return shown


@pytest.mark.parametrize("page_ends_first", [True, False], ids=["page ends first", "save ends first"])
def test_a_page_showing_a_message_and_a_save_adding_one_at_once_show_each_once(rf, page_ends_first):
    """Two requests of one session at once (cms/session_backends/ keeps what each changed): the page the last save led
    to shows its message while another save adds its own. Under one key for the list, the page's removal of what it
    showed took the new message with it, or the save put back the one shown."""
    account = ProfessionalFactory()
    first = _request_in(rf, None, account)
    earlier = SignedInMessagesOnTheServer(first)
    earlier.add(messages.SUCCESS, "Your answers are saved.")
    earlier.update(HttpResponse())
    first.session.save()
    key = first.session.session_key

    page, save = _request_in(rf, key, account), _request_in(rf, key, account)
    shown = SignedInMessagesOnTheServer(page)
    assert [str(message) for message in shown] == ["Your answers are saved."]
    shown.update(HttpResponse())
    added = SignedInMessagesOnTheServer(save)
    added.add(messages.SUCCESS, "The document is uploaded.")
    added.update(HttpResponse())
    for request in (page, save) if page_ends_first else (save, page):
        request.session.save()

    assert _shown(_request_in(rf, key, account)) == ["The document is uploaded."]


def test_a_message_waiting_under_django_s_own_key_is_shown_once(rf):
    """One written before the portal gave each message a key of its own (an upgrade while it waited)."""
    account = ProfessionalFactory()
    request = _request_in(rf, None, account)
    request.session["_messages"] = SessionStorage(request).serialize_messages(
        [Message(messages.INFO, "You have been signed out.")]
    )
    request.session.save()
    key = request.session.session_key

    assert _shown(_request_in(rf, key, account)) == ["You have been signed out."]
    assert _shown(_request_in(rf, key, account)) == []
