"""Guessing authenticator codes: after a wrong code, django-otp makes the account wait (1, 2, 4… seconds) before
any code is accepted, the right one included, in the portal and the staff admin alike.

settings/test.py turns the throttle off so that other tests may sign in twice in a second; these tests turn it
back on. The clock is frozen, so "wait" is decided by the clock, not by how fast the machine is."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cms.models import AuditEntry
from portal_pages import otp
from portal_pages.events import AccountEvent
from tests.factories.accounts import PASSWORD, TOTPDeviceFactory
from tests.otp import current_code, sign_in_with_password

WAIT = "You have entered too many wrong codes. Wait 1 second and try again"
WAIT_2 = "You have entered too many wrong codes. Wait 2 seconds and try again"
NOT_RIGHT = "The code is not right."


@pytest.fixture
def throttled(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        yield clock


def _wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_after_a_wrong_code_even_the_right_code_waits(client, professional, throttled):
    device = professional.totpdevice_set.get()
    assert sign_in_with_password(client, professional.email).url == "/portal/sign-in/code/"

    wrong = client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))})
    assert wrong.status_code == 200 and NOT_RIGHT in wrong.content.decode()

    right_too_soon = client.post("/portal/sign-in/code/", {"code": current_code(device)})
    assert right_too_soon.status_code == 200 and WAIT in right_too_soon.content.decode()
    assert client.get("/portal/").url.startswith("/portal/sign-in/code/")

    throttled.shift(timedelta(seconds=2))
    right = client.post("/portal/sign-in/code/", {"code": current_code(device)})
    assert right.status_code == 302 and right.url == "/portal/"


def test_guessed_backup_codes_wait_too(client, professional, throttled):
    codes = otp.backup_codes_regenerate(professional)
    assert sign_in_with_password(client, professional.email).status_code == 302

    wrong = client.post("/portal/sign-in/code/", {"code": "zzzz9999"})
    assert wrong.status_code == 200 and NOT_RIGHT in wrong.content.decode()
    too_soon = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert too_soon.status_code == 200 and WAIT in too_soon.content.decode()
    assert otp.backup_codes_left(professional) == len(codes)

    throttled.shift(timedelta(seconds=2))
    right = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert right.status_code == 302 and right.url == "/portal/"


def test_a_used_backup_code_is_said_to_be_used_and_waits_as_a_wrong_code_does(client, professional, throttled):
    """Saying that a backup code has been used changes only the words: it is a refused code like any other, so the
    next code waits, and while the account waits a used code is not looked at (the wait is said instead)."""
    codes = otp.backup_codes_regenerate(professional)
    assert sign_in_with_password(client, professional.email).status_code == 302
    assert client.post("/portal/sign-in/code/", {"code": codes[0]}).url == "/portal/"
    client.post("/portal/sign-out/")
    throttled.shift(timedelta(seconds=2))

    assert sign_in_with_password(client, professional.email).status_code == 302
    again = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert again.status_code == 200 and "That backup code has already been used" in again.content.decode()
    too_soon = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert WAIT in too_soon.content.decode() and "already been used" not in too_soon.content.decode()
    assert WAIT in client.post("/portal/sign-in/code/", {"code": codes[1]}).content.decode()
    assert otp.backup_codes_left(professional) == len(codes) - 1


def test_the_wait_said_is_the_wait_django_otp_makes_doubling_after_each_wrong_code(client, professional, throttled):
    """The page said "Wait a minute" after one wrong code retyped within a second; the wait is 1, 2, 4… seconds."""
    device = professional.totpdevice_set.get()
    assert sign_in_with_password(client, professional.email).status_code == 302
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))})
    assert WAIT in client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))}).content.decode()

    throttled.shift(timedelta(seconds=1))
    assert NOT_RIGHT in client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))}).content.decode()
    assert WAIT_2 in client.post("/portal/sign-in/code/", {"code": current_code(device)}).content.decode()
    throttled.shift(timedelta(seconds=1))
    assert WAIT in client.post("/portal/sign-in/code/", {"code": current_code(device)}).content.decode()


def test_a_backup_code_is_tried_while_the_authenticator_waits(client, professional, throttled):
    """The page offers backup codes; while the app's codes waited, a backup code was refused with the same wait."""
    device = professional.totpdevice_set.get()
    codes = otp.backup_codes_regenerate(professional)
    assert sign_in_with_password(client, professional.email).status_code == 302
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))})

    right = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert right.status_code == 302 and right.url == "/portal/"
    assert otp.backup_codes_left(professional) == len(codes) - 1


def test_a_second_authenticator_waits_with_the_first(client, professional, throttled):
    """A wrong code is recorded on the first device only; the second device's code was then tried at once, so an
    account with two phones had no wait between guesses."""
    first = professional.totpdevice_set.get()
    second = TOTPDeviceFactory(user=professional, name="Spare phone")
    assert sign_in_with_password(client, professional.email).status_code == 302
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(first))})

    too_soon = client.post("/portal/sign-in/code/", {"code": current_code(second)})
    assert too_soon.status_code == 200 and WAIT in too_soon.content.decode()
    throttled.shift(timedelta(seconds=2))
    assert client.post("/portal/sign-in/code/", {"code": current_code(second)}).status_code == 302


def test_the_admin_code_step_waits_after_a_wrong_code(client, superuser, password, throttled):
    device = superuser.totpdevice_set.get()
    assert client.post("/admin/login/", {"username": superuser.email, "password": password}).status_code == 302

    assert client.post("/admin/2fa/auth", {"otp_token": _wrong(current_code(device))}).status_code == 200
    too_soon = client.post("/admin/2fa/auth", {"otp_token": current_code(device)})
    assert too_soon.status_code == 200 and WAIT in too_soon.content.decode()
    assert client.get("/admin/").url.startswith("/admin/2fa/auth")

    throttled.shift(timedelta(seconds=2))
    right = client.post("/admin/2fa/auth", {"otp_token": current_code(device)})
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_code_step_waits_for_every_device_of_the_account(client, superuser, password, throttled):
    first = superuser.totpdevice_set.get()
    second = TOTPDeviceFactory(user=superuser, name="Spare phone")
    assert client.post("/admin/login/", {"username": superuser.email, "password": password}).status_code == 302
    assert client.post("/admin/2fa/auth", {"otp_token": _wrong(current_code(first))}).status_code == 200

    too_soon = client.post("/admin/2fa/auth", {"otp_token": current_code(second)})
    assert too_soon.status_code == 200 and WAIT in too_soon.content.decode()
    throttled.shift(timedelta(seconds=2))
    assert client.post("/admin/2fa/auth", {"otp_token": current_code(second)}).status_code == 302


def _colleague_signs_in_on_another_phone(throttled, second, *, admin=False, password=PASSWORD):
    """The wait after the typo has passed; a colleague signs in to the shared account with their own phone."""
    throttled.shift(timedelta(seconds=2))
    colleague = Client()
    if admin:
        colleague.post("/admin/login/", {"username": second.user.email, "password": password})
        assert colleague.post("/admin/2fa/auth", {"otp_token": current_code(second)}).status_code == 302
    else:
        sign_in_with_password(colleague, second.user.email)
        assert colleague.post("/portal/sign-in/code/", {"code": current_code(second)}).status_code == 302


def test_a_colleagues_sign_in_on_another_phone_ends_the_wait_a_typo_started(client, professional, throttled):
    """A wrong code is recorded on the account's first phone, and django-otp cleared its count only when that phone
    signed in: a team account's waits grew with each day's typo (0 s, 1 s, 3 s, 7 s… 35 minutes by day 12)."""
    first = professional.totpdevice_set.get()
    second = TOTPDeviceFactory(user=professional, name="Colleague's phone")
    sign_in_with_password(client, professional.email)
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(first))})

    _colleague_signs_in_on_another_phone(throttled, second)

    assert NOT_RIGHT in client.post("/portal/sign-in/code/", {"code": _wrong(current_code(first))}).content.decode()
    assert WAIT in client.post("/portal/sign-in/code/", {"code": current_code(first)}).content.decode()


def test_a_backup_code_accepted_ends_the_authenticators_wait(client, professional, throttled):
    device = professional.totpdevice_set.get()
    codes = otp.backup_codes_regenerate(professional)
    sign_in_with_password(client, professional.email)
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))})
    assert client.post("/portal/sign-in/code/", {"code": codes[0]}).status_code == 302

    again = Client()
    sign_in_with_password(again, professional.email)
    assert client.get("/portal/").status_code == 200
    assert again.post("/portal/sign-in/code/", {"code": current_code(device)}).status_code == 302


def test_in_the_admin_a_colleagues_sign_in_on_another_phone_ends_the_wait(client, superuser, password, throttled):
    first = superuser.totpdevice_set.get()
    second = TOTPDeviceFactory(user=superuser, name="Colleague's phone")
    client.post("/admin/login/", {"username": superuser.email, "password": password})
    client.post("/admin/2fa/auth", {"otp_token": _wrong(current_code(first))})

    _colleague_signs_in_on_another_phone(throttled, second, admin=True, password=password)

    client.post("/admin/2fa/auth", {"otp_token": _wrong(current_code(first))})
    assert WAIT in client.post("/admin/2fa/auth", {"otp_token": current_code(first)}).content.decode()


def test_a_code_refused_for_a_wait_is_audited_and_logged_so(client, professional, throttled, caplog):
    """The portal left no trace of a code refused during a wait."""
    device = professional.totpdevice_set.get()
    sign_in_with_password(client, professional.email)
    client.post("/portal/sign-in/code/", {"code": _wrong(current_code(device))})

    caplog.clear()
    with caplog.at_level("WARNING", logger="cms.security"):
        client.post("/portal/sign-in/code/", {"code": current_code(device)})

    entry = AuditEntry.objects.get(action=AccountEvent.CODE_REFUSED_WAITING)
    assert (entry.actor, entry.target_id, entry.data) == (professional, str(professional.pk), {})
    assert AuditEntry.objects.filter(action=AccountEvent.CODE_FAILED).count() == 1
    [line] = [r for r in caplog.records if r.name == "cms.security"]
    assert line.account_id == professional.pk and "waiting" in line.getMessage()
    assert current_code(device) not in str(line.__dict__)


def test_in_the_admin_a_code_refused_for_a_wait_is_not_audited_as_a_wrong_code(client, superuser, password, throttled):
    """The admin audited a right code refused during a wait as a wrong code."""
    device = superuser.totpdevice_set.get()
    client.post("/admin/login/", {"username": superuser.email, "password": password})
    client.post("/admin/2fa/auth", {"otp_token": _wrong(current_code(device))})

    client.post("/admin/2fa/auth", {"otp_token": current_code(device)})

    assert AuditEntry.objects.filter(action=AccountEvent.CODE_FAILED).count() == 1
    entry = AuditEntry.objects.get(action=AccountEvent.CODE_REFUSED_WAITING)
    assert (entry.actor, entry.data) == (superuser, {"where": "admin"})
