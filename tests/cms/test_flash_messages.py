"""A visitor's flash message waits in a cookie, so the visitor gets no session (which would keep every guidance page
out of the page cache for them); a signed-in person's waits in the session (test_review.py: one naming a child)."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.urls import reverse

from cms.flash_messages import SignedInMessagesOnTheServer
from portal_pages.models import AccountState
from portal_pages.tokens import account_token_make
from tests.factories.accounts import ProfessionalFactory

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
