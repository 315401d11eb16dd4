"""django-axes locks a username+IP pair after repeated password failures, in the portal and the admin."""

import time_machine
from axes.utils import reset as axes_reset
from bs4 import BeautifulSoup
from django.utils import timezone

from cms.models import AuditEntry
from portal_pages.models import User
from tests.otp import sign_in, sign_in_with_password


def _fail(client, email, times, ip="10.0.0.1"):
    for _ in range(times):
        response = sign_in_with_password(client, email, "not-the-password", REMOTE_ADDR=ip)
    return response


def test_lockout_after_the_configured_failures_with_what_to_do_next(client, professional, settings):
    response = _fail(client, professional.email, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    response = _fail(client, professional.email, 1)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in is locked" in html and "reset your password" in html and "wait 1 hour" in html

    # Even the right password is refused from that address now.
    response = sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action="account.locked_out", target_id=str(professional.pk)).exists()


def test_the_locked_page_says_the_configured_cool_off_in_its_heading_as_in_its_text(client, professional, settings):
    """The heading said "for an hour" whatever AXES_COOLOFF_HOURS said; the text below it used the setting."""
    settings.AXES_COOLOFF_TIME = 3
    page = BeautifulSoup(_fail(client, professional.email, settings.AXES_FAILURE_LIMIT).content, "html.parser")
    assert page.h1.get_text(strip=True) == "Sign-in is locked for 3 hours"
    assert "wait 3 hours" in page.get_text() and "an hour" not in page.get_text()


def test_the_same_account_still_signs_in_from_another_address(client, professional, settings):
    _fail(client, professional.email, settings.AXES_FAILURE_LIMIT)
    assert sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.1").status_code == 429

    response = sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302 and response.url == "/portal/sign-in/code/"


def test_an_ipv6_client_is_locked_out_by_its_64_whichever_of_its_addresses_it_uses(client, professional, settings):
    """One host usually holds a whole /64: a new address of it for each guess escaped the lock-out, kept per address."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _fail(client, professional.email, 1, ip=f"2001:db8:1:2::{n + 1:x}")
    assert response.status_code == 429

    assert sign_in_with_password(client, professional.email, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    response = sign_in_with_password(client, professional.email, REMOTE_ADDR="2001:db8:1:3::1")
    assert response.status_code == 302 and response.url == "/portal/sign-in/code/", "the next /64 is another client"


def test_a_password_reset_lifts_the_lock(client, professional, settings):
    from portal_pages.services import password_resets

    _fail(client, professional.email, settings.AXES_FAILURE_LIMIT)
    password_resets.password_reset_complete(user=professional, password="kettle marmalade lighthouse")
    response = sign_in_with_password(client, professional.email, "kettle marmalade lighthouse", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_the_wagtail_admin_login_is_throttled_too(client, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": superuser.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Sign-in is locked" in response.content.decode()
    response = client.post("/admin/login/", {"username": superuser.email, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(client, professional, settings):
    _fail(client, professional.email, settings.AXES_FAILURE_LIMIT - 1, ip="127.0.0.1")
    assert sign_in(client, professional).url == "/portal/"
    client.post("/portal/sign-out/")
    response = _fail(client, professional.email, settings.AXES_FAILURE_LIMIT - 1, ip="127.0.0.1")
    assert response.status_code == 200


def test_an_address_typed_in_other_letter_case_signs_in_to_the_same_account(client, professional):
    """Accounts keep their address in lower case; one typed or pasted as "Senco@School.example" is the same account."""
    response = sign_in_with_password(client, f"  {professional.email.title()} ")
    assert response.status_code == 302 and response.url == "/portal/sign-in/code/"
    assert client.session["_auth_user_id"] == str(professional.pk)


def test_changing_the_letter_case_of_the_address_does_not_escape_the_lockout(client, professional, settings):
    variants = [professional.email.upper(), professional.email.title(), professional.email.swapcase()]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in_with_password(client, variants[attempt % 3], "not-the-password", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_an_account_kept_with_capitals_signs_in_however_its_address_is_typed(client, professional):
    """Wagtail's own user screens keep a staff address as typed: "Jane.Smith@..." signs in as "jane.smith@..." too."""
    User.objects.filter(pk=professional.pk).update(email="Senco.Office@School.example")
    for typed in ("Senco.Office@School.example", "senco.office@school.example", "SENCO.OFFICE@SCHOOL.EXAMPLE"):
        client.logout()
        response = sign_in_with_password(client, typed)
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(professional.pk), typed


def test_a_password_reset_lifts_the_lock_of_an_account_kept_with_capitals(client, professional, settings):
    User.objects.filter(pk=professional.pk).update(email="Senco.Office@School.example")
    professional.refresh_from_db()
    from portal_pages.services import password_resets

    _fail(client, "senco.office@school.example", settings.AXES_FAILURE_LIMIT, ip="127.0.0.1")
    assert sign_in_with_password(client, professional.email).status_code == 429
    password_resets.password_reset_complete(user=professional, password="kettle marmalade lighthouse")
    assert sign_in_with_password(client, professional.email, "kettle marmalade lighthouse").status_code == 302


def _look_alikes(address):
    """The address with a letter that PostgreSQL's case-insensitive match folds onto a plain one, though lower case
    keeps it apart: a long s (ſ, UPPER gives S), a dotless i (ı, UPPER gives I)."""
    return [address.replace("s", "\u017f", 1), address.replace("i", "\u0131", 1)]


def test_a_look_alike_of_an_address_is_another_address_it_neither_signs_in_nor_resets(client, professional, mailoutbox):
    """A look-alike got a fresh count of failures and, with the right password, signed in to the account (on
    PostgreSQL, whose UPPER folds it onto the plain letter); it is now an address no account has."""
    from portal_pages.services import password_resets

    for typed in _look_alikes(professional.email):
        assert typed != professional.email
        response = sign_in_with_password(client, typed)
        assert response.status_code == 200 and "_auth_user_id" not in client.session, typed
        assert not AuditEntry.objects.filter(action="account.sign_in_failed", target_id=str(professional.pk)).exists()
        password_resets.password_reset_request(email=typed)
    assert mailoutbox == []


def test_a_look_alike_of_a_staff_address_does_not_sign_in_to_the_admin(client, superuser, password):
    for typed in _look_alikes(superuser.email):
        if typed == superuser.email:
            continue
        response = client.post("/admin/login/", {"username": typed, "password": password})
        assert response.status_code == 200 and "_auth_user_id" not in client.session, typed


# Behind a load balancer (PORTAL_TRUSTED_PROXIES): the key is the client's address, never a forged one.

PROXY = "10.0.0.9"


def _fail_via(client, email, times, *, remote, forwarded):
    for attempt in range(times):
        response = sign_in_with_password(
            client, email, "not-the-password", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded.format(attempt)
        )
    return response


def test_without_trusted_proxies_a_forged_forwarded_header_does_not_escape_the_lockout(client, professional, settings):
    settings.PORTAL_TRUSTED_PROXIES = []

    response = _fail_via(
        client, professional.email, settings.AXES_FAILURE_LIMIT, remote="10.0.0.1", forwarded="203.0.113.{}"
    )

    assert response.status_code == 429
    response = sign_in_with_password(
        client, professional.email, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.200"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_two_clients_are_locked_out_separately(client, professional, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    response = _fail_via(client, professional.email, settings.AXES_FAILURE_LIMIT, remote=PROXY, forwarded="203.0.113.5")
    assert response.status_code == 429

    other = sign_in_with_password(client, professional.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302 and other.url == "/portal/sign-in/code/"
    entry = AuditEntry.objects.filter(action="account.locked_out").get()
    assert entry.ip_address == "203.0.113.5"


def test_behind_a_trusted_proxy_a_spoofed_left_most_entry_does_not_escape_the_lockout(client, professional, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    response = _fail_via(
        client,
        professional.email,
        settings.AXES_FAILURE_LIMIT,
        remote=PROXY,
        forwarded="198.51.100.{}, 203.0.113.5",
    )

    assert response.status_code == 429


def test_one_lock_out_is_audited_once_however_often_it_refuses(client, professional, settings):
    _fail(client, professional.email, settings.AXES_FAILURE_LIMIT)
    for _ in range(9):
        assert (
            sign_in_with_password(client, professional.email, "not-the-password", REMOTE_ADDR="10.0.0.1").status_code
            == 429
        )
    assert sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.1").status_code == 429

    assert AuditEntry.objects.filter(action="account.locked_out", target_id=str(professional.pk)).count() == 1
    # Nor is each refusal a failed sign-in: only the attempts before the lock-out were checked.
    failed = AuditEntry.objects.filter(action="account.sign_in_failed", target_id=str(professional.pk))
    assert failed.count() == settings.AXES_FAILURE_LIMIT

    # Once the lock is lifted, the next lock-out is another entry.
    axes_reset(username=professional.email)
    _fail(client, professional.email, settings.AXES_FAILURE_LIMIT)
    assert AuditEntry.objects.filter(action="account.locked_out", target_id=str(professional.pk)).count() == 2


def test_a_lock_out_lasts_the_cool_off_from_the_attempt_that_caused_it_however_often_it_is_retried(
    client, professional, settings
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _fail(client, professional.email, settings.AXES_FAILURE_LIMIT)
        traveller.shift(50 * 60)
        assert _fail(client, professional.email, 1).status_code == 429
        traveller.shift(11 * 60)

        response = sign_in_with_password(client, professional.email, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 302 and response.url == "/portal/sign-in/code/"
