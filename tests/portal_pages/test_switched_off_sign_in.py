"""An account switched off by an administrator. Signing in with its right password was told "switched off" but logged
"wrong address or password" and counted by django-axes toward a lock-out; signed in when it was switched off, it was
sent to the sign-in page with no reason."""

import logging

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup

from cms.models import AuditEntry
from portal_pages.access import SWITCHED_OFF_WORDS
from portal_pages.models import AccountState, User
from tests.otp import sign_in_with_password

pytestmark = pytest.mark.usefixtures("requests_commit")


def _switch_off(account, state=AccountState.ACTIVE):
    User.objects.filter(pk=account.pk).update(is_active=False, account_state=state)


def _security_lines(caplog):
    return [
        (r.levelname, r.getMessage(), getattr(r, "account_id", None))
        for r in caplog.records
        if r.name == "cms.security"
    ]


def test_the_right_password_of_a_switched_off_account_is_logged_as_such_by_id_alone(client, professional, caplog):
    _switch_off(professional)

    with caplog.at_level(logging.INFO, logger="cms.security"):
        html = sign_in_with_password(client, professional.email).content.decode()

    assert SWITCHED_OFF_WORDS in html
    assert _security_lines(caplog) == [
        ("WARNING", "Sign-in refused: right password, account switched off", professional.pk)
    ]
    assert professional.email not in caplog.text and professional.display_name not in caplog.text
    assert AuditEntry.objects.filter(action="account.sign_in_failed", target_id=str(professional.pk)).count() == 1


def test_a_wrong_password_of_a_switched_off_account_is_still_a_wrong_password_counted(client, professional, caplog):
    _switch_off(professional)

    with caplog.at_level(logging.INFO, logger="cms.security"):
        sign_in_with_password(client, professional.email, "not-the-password")

    assert _security_lines(caplog) == [("WARNING", "Sign-in refused: wrong address or password", professional.pk)]
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_right_password_of_a_switched_off_account_never_locks_it_out(client, professional, settings):
    _switch_off(professional)

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = sign_in_with_password(client, professional.email)

    assert response.status_code == 200 and SWITCHED_OFF_WORDS in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_locked_out_address_is_refused_even_with_the_right_password_of_a_switched_off_account(
    client, professional, settings
):
    """Not counted is not let through: during a lock-out the password is not checked, so the page says nothing of it."""
    _switch_off(professional)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, professional.email, "not-the-password")

    response = sign_in_with_password(client, professional.email)

    assert response.status_code == 429 and "switched off" not in response.content.decode()


def test_an_account_switched_off_while_signed_in_is_signed_out_and_told_why(verified_client, professional):
    assert verified_client.get("/portal/").status_code == 200
    _switch_off(professional)

    response = verified_client.get("/portal/")

    assert response.status_code == 302 and response.url == "/portal/sign-in/"
    page = BeautifulSoup(verified_client.get(response.url).content, "html.parser")
    banner = page.select_one(".govuk-notification-banner")
    assert banner is not None and banner.get_text(" ", strip=True).endswith(f"{SWITCHED_OFF_WORDS}.")
    assert "_auth_user_id" not in verified_client.session
    # Told once: the next page is the plain sign-in.
    assert verified_client.get("/portal/").url == "/portal/sign-in/?next=/portal/"


def test_an_account_made_dormant_while_signed_in_is_not_told_it_was_switched_off(verified_client, professional):
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT)

    response = verified_client.get("/portal/")

    assert response.url == "/portal/sign-in/?next=/portal/"
    assert "switched off" not in verified_client.get(response.url).content.decode()
