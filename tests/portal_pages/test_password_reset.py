import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, User
from tests.otp import current_code, sign_in, sign_in_with_password
from tests.portal_pages.conftest import link_in_last_email

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

NEW_PASSWORD = "kettle marmalade lighthouse"


def test_reset_then_still_asked_for_a_code_and_other_sessions_end(client, professional):
    other = Client()
    assert sign_in(other, professional).url == "/portal/"
    assert other.get("/portal/").status_code == 200

    response = client.post("/portal/password-reset/", {"email": professional.email})
    assert response.url == "/portal/password-reset/check-your-email/"
    link = link_in_last_email("/portal/password-reset/")
    assert "60 minutes" in mail.outbox[-1].body
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password": NEW_PASSWORD})
    assert response.url == "/portal/sign-in/"

    assert other.get("/portal/").url.startswith("/portal/sign-in/")  # the other session has ended
    assert client.post(link, {"new_password": "another fine password"}).status_code == 400  # single use

    response = sign_in_with_password(client, professional.email, NEW_PASSWORD)
    assert response.url == "/portal/sign-in/code/"
    assert client.get("/portal/").url.startswith("/portal/sign-in/code/")  # a reset never skips the code
    device = professional.totpdevice_set.get()
    # The next 30-second code: the current one was used by the other session, and replays are refused.
    assert client.post("/portal/sign-in/code/", {"code": current_code(device, offset=1)}).url == "/portal/"
    assert AuditEntry.objects.filter(action="account.password_reset", target_id=str(professional.pk)).exists()
    assert mail.outbox[-1].subject == "Your password has been changed"


def test_unknown_address_gets_the_same_page_and_no_email(client, professional):
    known = client.post("/portal/password-reset/", {"email": professional.email})
    unknown = client.post("/portal/password-reset/", {"email": "nobody@oakfield-primary.example.org"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert len(mail.outbox) == 1


def test_the_link_expires_after_an_hour(client, professional):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/portal/password-reset/", {"email": professional.email})
        link = link_in_last_email("/portal/password-reset/")
        traveller.shift(3601)
        response = client.post(link, {"new_password": NEW_PASSWORD})
    assert response.status_code == 400
    professional.refresh_from_db()
    assert not professional.check_password(NEW_PASSWORD)


def test_a_dormant_account_is_told_how_to_be_reactivated_instead(client, professional):
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT)
    response = client.post("/portal/password-reset/", {"email": professional.email})
    assert response.url == "/portal/password-reset/check-your-email/"
    email = mail.outbox[-1]
    assert email.subject == "Your SEND portal account needs to be reactivated"
    assert "send@testshire.example.org" in email.body
    assert "/portal/password-reset/" not in email.body


def test_a_bad_new_password_gets_a_clear_error(client, professional):
    client.post("/portal/password-reset/", {"email": professional.email})
    link = link_in_last_email("/portal/password-reset/")
    response = client.post(link, {"new_password": "short"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "This password is too short" in response.content.decode()


def test_reset_requests_are_rate_limited(client, professional, settings):
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR = 3
    for _ in range(3):
        client.post("/portal/password-reset/", {"email": professional.email})
    response = client.post("/portal/password-reset/", {"email": professional.email})
    assert "You have asked too many times" in response.content.decode()
    assert len(mail.outbox) == 3


def _reset(client, email, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/portal/password-reset/", {"email": email}, **extra)


def _unknown(n):
    return f"nobody{n}@oakfield-primary.example.org"


def test_without_trusted_proxies_a_forged_forwarded_header_does_not_escape_the_limit(client, settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP = 3
    for n in range(3):
        assert _reset(client, _unknown(n), remote="192.0.2.10", forwarded=f"203.0.113.{n}").status_code == 302

    response = _reset(client, _unknown(9), remote="192.0.2.10", forwarded="203.0.113.99")

    assert "You have asked too many times" in response.content.decode()


def test_behind_a_trusted_proxy_two_clients_are_limited_separately(client, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP = 3
    for n in range(3):
        # Each request forges a different left-most entry; the proxy appends the address it saw.
        assert (
            _reset(client, _unknown(n), remote="10.0.0.9", forwarded=f"198.51.100.{n}, 203.0.113.5").status_code == 302
        )

    limited = _reset(client, _unknown(8), remote="10.0.0.9", forwarded="198.51.100.99, 203.0.113.5")
    other = _reset(client, _unknown(9), remote="10.0.0.9", forwarded="203.0.113.6")

    assert "You have asked too many times" in limited.content.decode()
    assert other.status_code == 302


def test_an_ipv6_client_is_limited_by_its_64_whichever_of_its_addresses_it_uses(client, settings):
    """One host usually holds a whole /64: a new address of it for each request escaped a limit kept per address."""
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP = 3
    for n in range(3):
        assert _reset(client, _unknown(n), remote=f"2001:db8:1:2::{n + 1:x}").status_code == 302

    limited = _reset(client, _unknown(8), remote="2001:db8:1:2:dead:beef:0:1")
    other = _reset(client, _unknown(9), remote="2001:db8:1:3::1")

    assert "You have asked too many times" in limited.content.decode()
    assert other.status_code == 302, "the next /64 is another client"


# The admin's password reset (Wagtail's form) is on the same limiter.


def test_the_admin_password_reset_is_rate_limited_with_a_clear_refusal(client, superuser, settings):
    limit = settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR
    for _ in range(limit):
        response = client.post("/admin/password_reset/", {"email": superuser.email})
        assert response.status_code == 302 and response.url == "/admin/password_reset/done/"
    assert len(mail.outbox) == limit

    response = client.post("/admin/password_reset/", {"email": superuser.email})

    assert response.status_code == 429
    assert "You have asked too many times" in response.content.decode()
    assert len(mail.outbox) == limit


def test_the_admin_and_portal_resets_share_one_count_per_address(client, superuser, settings):
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR = 2
    client.post("/portal/password-reset/", {"email": superuser.email})
    client.post("/portal/password-reset/", {"email": superuser.email})

    response = client.post("/admin/password_reset/", {"email": superuser.email})

    assert response.status_code == 429


def test_the_admin_password_reset_limits_each_address_behind_a_trusted_proxy(client, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP = 2
    for n in range(2):
        client.post(
            "/admin/password_reset/", {"email": _unknown(n)}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5"
        )

    limited = client.post(
        "/admin/password_reset/", {"email": _unknown(8)}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    other = client.post(
        "/admin/password_reset/", {"email": _unknown(9)}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )

    assert limited.status_code == 429
    assert other.status_code == 302


OLD_KEY = "the-key-before-rotation-" + "o" * 40
NEW_KEY = "the-key-after-rotation-" + "n" * 40


def test_a_link_sent_before_the_secret_key_changed_works_while_the_old_key_is_a_fallback(
    client, professional, settings
):
    settings.SECRET_KEY = OLD_KEY
    client.post("/portal/password-reset/", {"email": professional.email})
    link = link_in_last_email("/portal/password-reset/")

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []
    assert client.get(link).status_code == 400  # without the fallback the link is dead
    settings.SECRET_KEY_FALLBACKS = [OLD_KEY]
    assert client.get(link).status_code == 200
    assert client.post(link, {"new_password": NEW_PASSWORD}).url == "/portal/sign-in/"

    professional.refresh_from_db()
    assert professional.check_password(NEW_PASSWORD)


def test_a_session_signed_in_before_the_secret_key_changed_stays_signed_in_with_the_fallback(verified_client, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = NEW_KEY

    assert verified_client.get("/portal/").status_code == 200


def test_people_sharing_one_ip_address_each_get_their_own_few_resets(client, settings):
    """A school's staff reach the portal from one address: five requests an hour for all of them refused the sixth
    person's reset (and registration) for the rest of the hour, at both doors."""
    settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR = 5
    for n in range(6):
        assert _reset(client, _unknown(n), remote="192.0.2.10").status_code == 302
    assert client.post("/admin/password_reset/", {"email": _unknown(7)}, REMOTE_ADDR="192.0.2.10").status_code == 302

    for _ in range(5):
        _reset(client, _unknown(8), remote="192.0.2.10")
    assert "You have asked too many times" in _reset(client, _unknown(8), remote="192.0.2.10").content.decode()


def test_a_new_password_through_the_admins_reset_link_is_audited_and_the_account_told(client, superuser):
    """The portal's reset audits the new password, clears a lockout and emails "Your password has been changed"; the
    admin's did none of them, so someone whose password a stranger reset heard nothing."""
    client.post("/admin/password_reset/", {"email": superuser.email})
    link = link_in_last_email("/admin/password_reset/confirm/")
    form = client.get(link, follow=True)
    assert form.status_code == 200

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/complete/"
    superuser.refresh_from_db()
    assert superuser.check_password("a long new passphrase")
    assert AuditEntry.objects.filter(action=AccountEvent.PASSWORD_RESET, target_id=str(superuser.pk)).count() == 1
    assert [(email.to, email.subject) for email in mail.outbox[-1:]] == [
        ([superuser.email], "Your password has been changed")
    ]


@pytest.mark.parametrize(
    "state, why",
    [
        (AccountState.REFUSED, "A portal administrator did not approve your request to join"),
        (AccountState.AWAITING_APPROVAL, "Your request to join is still waiting for a portal administrator"),
    ],
)
def test_an_account_whose_request_to_join_waits_or_was_refused_is_emailed_why_no_link_is_sent(
    client, professional, state, why
):
    User.objects.filter(pk=professional.pk).update(account_state=state, is_active=False)
    response = client.post("/portal/password-reset/", {"email": professional.email})
    unknown = client.post("/portal/password-reset/", {"email": "nobody@oakfield-primary.example.org"})
    assert response.url == unknown.url == "/portal/password-reset/check-your-email/"  # the same page for any address
    (email,) = mail.outbox
    assert email.to == [professional.email] and email.subject == "Your SEND portal password was not reset"
    body = " ".join(email.body.split())
    assert "We have not sent a link to reset it." in body and why in body
    assert "/portal/password-reset/" not in email.body
