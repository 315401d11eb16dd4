"""Every kind of account that cannot sign in (switched off, dormant, request to join waiting or refused, address not
confirmed), signing in with its right password, is told why and logged by its id, and the attempt is not counted
toward a lock-out: it is no guess at a password. A wrong password is counted whatever the account."""

import logging

import pytest
from axes.models import AccessAttempt

from portal_pages.models import AccountState, User
from tests.factories.accounts import PASSWORD, staff_in_group
from tests.otp import sign_in_with_password

pytestmark = pytest.mark.usefixtures("requests_commit")

# (account_state, is_active, the word the log line ends with, words of the page's error)
CANNOT_SIGN_IN = [
    pytest.param(AccountState.ACTIVE, False, "switched off", "switched off", id="switched-off"),
    pytest.param(AccountState.DORMANT, False, "switched off", "switched off", id="dormant-and-switched-off"),
    pytest.param(AccountState.DORMANT, True, "dormant", "Your account is dormant", id="dormant"),
    pytest.param(
        AccountState.AWAITING_APPROVAL, True, "not approved", "waiting for a portal administrator", id="waiting"
    ),
    pytest.param(AccountState.REFUSED, True, "refused", "was not approved", id="refused"),
    pytest.param(
        AccountState.PENDING_VERIFICATION, True, "not confirmed", "confirm your email address", id="not-confirmed"
    ),
]


def _cannot_sign_in(account, state, is_active):
    User.objects.filter(pk=account.pk).update(account_state=state, is_active=is_active)
    account.refresh_from_db()
    return account


@pytest.mark.parametrize(("state", "is_active", "why", "words"), CANNOT_SIGN_IN)
def test_the_right_password_of_an_account_that_cannot_sign_in_never_locks_it_out(
    client, professional, settings, caplog, state, is_active, why, words
):
    account = _cannot_sign_in(professional, state, is_active)

    with caplog.at_level(logging.INFO, logger="cms.security"):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = sign_in_with_password(client, account.email)

    assert response.status_code == 200 and words in response.content.decode()
    assert not AccessAttempt.objects.exists()
    lines = {(r.getMessage(), getattr(r, "account_id", None)) for r in caplog.records if r.name == "cms.security"}
    assert lines == {(f"Sign-in refused: right password, account {why}", account.pk)}


@pytest.mark.parametrize(("state", "is_active", "why", "words"), CANNOT_SIGN_IN)
def test_a_wrong_password_of_an_account_that_cannot_sign_in_is_counted(
    client, professional, settings, state, is_active, why, words
):
    account = _cannot_sign_in(professional, state, is_active)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, account.email, "not-the-password")
    response = sign_in_with_password(client, account.email)

    assert response.status_code == 429 and words not in response.content.decode()


@pytest.mark.parametrize(
    ("state", "is_active"),
    [(AccountState.ACTIVE, False), (AccountState.DORMANT, True), (AccountState.DORMANT, False)],
    ids=["switched-off", "dormant", "dormant-and-switched-off"],
)
def test_the_right_password_of_a_staff_account_that_cannot_sign_in_never_locks_it_out_of_the_admin(
    client, settings, role_groups, state, is_active
):
    account = _cannot_sign_in(staff_in_group("SEND caseworker"), state, is_active)

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/admin/login/", {"username": account.email, "password": PASSWORD})

    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
