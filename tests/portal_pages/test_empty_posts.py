"""A POST with nothing in it (a script, a browser that dropped the body, the CSRF token sent in a header) to an
account page is refused like any other bad post: the page shows its errors beside the fields and in the summary, and
nothing is changed. It showed the blank page of a first visit, as if nothing had been sent."""

import pytest
from django.urls import reverse

from portal_pages.models import AccountState, JoinRequest, JoinRequestState, User
from portal_pages.tokens import account_token_make
from tests.factories.accounts import ProfessionalFactory, staff_in_group, verified_login
from tests.otp import sign_in_with_password
from tests.portal_pages.test_join_requests import register_and_confirm

pytestmark = pytest.mark.django_db


def _refused(response, *messages):
    html = response.content.decode()
    assert response.status_code == 200, response
    assert "There is a problem" in html
    for message in messages:
        assert html.count(message) == 2, message  # in the error summary and beside its field


@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("/portal/sign-in/", ["Enter your email address", "Enter your password"]),
        ("/portal/register/", ["Enter your team&#x27;s work email address", "Enter a password"]),
        ("/portal/password-reset/", ["Enter your email address"]),
        ("/portal/register/new-link/", ["Enter your email address"]),
    ],
)
def test_an_empty_post_to_a_signed_out_page_shows_its_errors(client, url, messages):
    _refused(client.post(url, {}), *messages)
    assert not User.objects.exists()


def test_an_empty_post_of_the_code_step_shows_its_error_and_signs_nobody_in(client, professional):
    sign_in_with_password(client, professional.email)
    _refused(client.post("/portal/sign-in/code/", {}), "Enter the code from your authenticator app, or a backup code")
    assert client.get("/portal/").status_code == 302


@pytest.mark.parametrize(("purpose", "state"), [("invite", AccountState.INVITED), ("reset", AccountState.ACTIVE)])
def test_an_empty_post_of_a_new_password_shows_its_error_and_keeps_the_old_one(client, home_page, purpose, state):
    user = ProfessionalFactory(account_state=state)
    view = "portal:invitation" if purpose == "invite" else "portal:password_reset_confirm"
    url = reverse(view, args=[account_token_make(user=user, purpose=purpose)])
    _refused(client.post(url, {}), "Enter a new password")
    password_before = user.password
    user.refresh_from_db()
    assert user.password == password_before and user.account_state == state


def test_an_empty_post_of_enrolment_shows_its_errors_and_confirms_no_device(client, home_page):
    user = ProfessionalFactory()
    sign_in_with_password(client, user.email)
    _refused(
        client.post("/portal/two-factor/set-up/", {}),
        "Enter a name for this device, like Jo&#x27;s phone",
        "Enter the 6-digit code shown in your authenticator app",
    )
    assert not user.totpdevice_set.filter(confirmed=True).exists()


def test_an_empty_post_adding_a_device_shows_its_errors(verified_client, professional):
    _refused(
        verified_client.post("/portal/two-factor/add/", {}),
        "Enter your account&#x27;s password",
        "Enter the 6-digit code shown in your authenticator app",
    )
    assert professional.totpdevice_set.filter(confirmed=True).count() == 1


def test_an_empty_post_of_a_join_decision_asks_for_one(client, home_page, django_capture_on_commit_callbacks):
    account = register_and_confirm(client, django_capture_on_commit_callbacks)
    decide = reverse("portal_join_request_decide", args=[account.join_request.pk])
    admin = verified_login(client, staff_in_group("Portal administrator"))
    html = admin.post(decide, {}).content.decode()
    assert "Choose whether to approve or refuse the request" in html
    assert JoinRequest.objects.get().state == JoinRequestState.WAITING
