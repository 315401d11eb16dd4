"""The account journeys through the real views, with codes computed from each device's key."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import AuditEntry
from portal_pages import otp
from portal_pages.models import AccountState, UsedBackupCode, User
from tests.factories.accounts import PASSWORD, ProfessionalFactory, StaffUserFactory, TOTPDeviceFactory
from tests.otp import current_code, enrol, sign_in, sign_in_with_password
from tests.portal_pages.conftest import link_in_last_email

# Each request commits when it ends, as on a server, and sends what it put in the outbox (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("requests_commit")

NEW_PASSWORD = "kettle marmalade lighthouse"


def test_register_verify_enrol_reach_the_dashboard(client, organisation):
    response = client.post(
        "/portal/register/",
        {
            "organisation": "oakfield primary school",
            "email": "SENCO@oakfield-primary.example.org",
            "display_name": "Oakfield Primary SENCO",
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response.url == "/portal/register/check-your-email/"
    user = User.objects.get(email="senco@oakfield-primary.example.org")
    assert user.account_state == AccountState.PENDING_VERIFICATION and not user.is_active
    assert user.organisation == organisation

    # Not yet confirmed: the password alone says why it cannot sign in.
    response = sign_in_with_password(client, user.email, NEW_PASSWORD)
    assert "You need to confirm your email address" in response.content.decode()

    verify_path = link_in_last_email("/portal/verify/")
    assert "Confirm your email address" in client.get(verify_path).content.decode()
    assert client.post(verify_path).url == "/portal/sign-in/"
    user.refresh_from_db()
    assert user.account_state == AccountState.ACTIVE and user.is_active and user.email_verified_at
    assert client.post(verify_path).status_code == 400  # single use

    response = sign_in_with_password(client, user.email, NEW_PASSWORD)
    assert response.url == "/portal/sign-in/code/"
    # No device yet: the code step and every portal page send the account to set one up.
    assert client.get("/portal/sign-in/code/").url == "/portal/two-factor/set-up/"
    assert client.get("/portal/").url.startswith("/portal/two-factor/set-up/")

    url, device = enrol(client)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(url, {"name": "Jo's phone", "code": wrong})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    response = client.post(url, {"name": "Jo's phone", "code": current_code(device)})
    assert response.url == "/portal/two-factor/backup-codes/"
    device.refresh_from_db()
    assert device.confirmed and device.name == "Jo's phone"
    dashboard = client.get("/portal/")
    assert dashboard.status_code == 200
    assert "Oakfield Primary SENCO" in dashboard.content.decode()
    actions = list(AuditEntry.objects.filter(target_id=str(user.pk)).values_list("action", flat=True))
    assert {"account.registered", "account.verified", "account.device_added", "account.signed_in"} <= set(actions)


def test_sign_in_asks_for_password_then_code_and_cycles_the_session_key(client, professional):
    client.get("/portal/sign-in/")
    first_key = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = sign_in_with_password(client, professional.email)
    assert response.url == "/portal/sign-in/code/"
    after_password = client.cookies["sessionid"].value
    assert after_password != first_key
    assert client.get("/portal/").url.startswith("/portal/sign-in/code/")

    device = professional.totpdevice_set.get()
    response = client.post("/portal/sign-in/code/", {"code": current_code(device)})
    assert response.url == "/portal/"
    assert client.cookies["sessionid"].value != after_password
    assert client.get("/portal/").status_code == 200
    entry = AuditEntry.objects.filter(action="account.signed_in").get()
    assert entry.actor == professional and entry.ip_address == "127.0.0.1"
    # The device by kind and id: its name is typed by its owner, and the log is read by administrators.
    assert entry.data == {"device_kind": "authenticator", "device_id": device.persistent_id}


def test_a_wrong_password_or_code_is_refused_with_a_clear_message(client, professional):
    response = sign_in_with_password(client, professional.email, "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "The email address or password is not right" in html
    assert AuditEntry.objects.filter(action="account.sign_in_failed", target_id=str(professional.pk)).exists()

    sign_in_with_password(client, professional.email)
    device = professional.totpdevice_set.get()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/portal/sign-in/code/", {"code": wrong})
    assert "The code is not right" in response.content.decode()
    assert client.get("/portal/").status_code == 302
    assert AuditEntry.objects.filter(action="account.code_failed").count() == 1


def _code_errors(response):
    """The code box's error, in the error summary and beside the field (GOV.UK: the same words in both)."""
    page = BeautifulSoup(response.content, "html.parser")
    beside = page.select_one(".govuk-error-message").get_text(" ", strip=True).removeprefix("Error:").strip()
    return [link.get_text(strip=True) for link in page.select(".govuk-error-summary a")], beside


def test_a_wrong_code_reads_alike_at_sign_in_and_at_set_up_and_only_sign_in_offers_backup_codes(client, professional):
    """Signing in said "Enter the code your authenticator app shows now", setting up a device "Enter the 6-digit
    code ... for this account": two wordings of one message."""
    device = professional.totpdevice_set.get()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    sign_in_with_password(client, professional.email)
    at_sign_in = _code_errors(client.post("/portal/sign-in/code/", {"code": wrong}))

    sign_in(client, professional)
    url, new_device = enrol(client, first=False)
    wrong = f"{(int(current_code(new_device)) + 1) % 1_000_000:06d}"
    at_set_up = _code_errors(client.post(url, {"name": "Sam's phone", "code": wrong, "password": PASSWORD}))

    app_code = "The code is not right. Enter the 6-digit code your authenticator app shows now for this portal"
    assert at_set_up == ([app_code], app_code)
    with_backup = f"{app_code}, or one of your 8-character backup codes"
    assert at_sign_in == ([with_backup], with_backup)


def test_a_colleague_signs_in_with_a_second_named_device(client, professional):
    second = TOTPDeviceFactory(user=professional, name="Sam's phone")

    response = sign_in(client, professional, device=second)

    assert response.url == "/portal/"
    assert AuditEntry.objects.get(action="account.signed_in").data == {
        "device_kind": "authenticator",
        "device_id": second.persistent_id,
    }


def test_adding_a_device_needs_the_password_and_a_code_from_the_new_app(verified_client, professional):
    url, device = enrol(verified_client, first=False)
    response = verified_client.post(url, {"name": "Sam's phone", "code": current_code(device), "password": "wrong"})
    assert "The password is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = verified_client.post(url, {"name": "Sam's phone", "code": current_code(device), "password": PASSWORD})
    assert response.url == "/portal/two-factor/"
    confirmed = TOTPDevice.objects.filter(user=professional, confirmed=True).order_by("pk")
    assert list(confirmed.values_list("name", flat=True)) == [
        "Jo's phone",
        "Sam's phone",
    ]
    page = verified_client.get("/portal/two-factor/").content.decode()
    assert "Sam&#x27;s phone" in page
    added = AuditEntry.objects.get(action="account.device_added")
    assert added.data == {"device_kind": "authenticator", "device_id": confirmed.last().persistent_id}


def test_removing_a_device_but_never_the_last(verified_client, professional):
    only = professional.totpdevice_set.get()
    response = verified_client.post(f"/portal/two-factor/devices/{only.pk}/remove/")
    assert "only device" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=only.pk).exists()

    spare = TOTPDeviceFactory(user=professional, name="Old phone")
    spare_id = spare.persistent_id
    response = verified_client.post(f"/portal/two-factor/devices/{spare.pk}/remove/")
    assert response.url == "/portal/two-factor/"
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()
    removed = AuditEntry.objects.get(action="account.device_removed")
    assert removed.data == {"device_kind": "authenticator", "device_id": spare_id}


def test_another_accounts_device_is_not_found(verified_client, organisation):
    other = TOTPDeviceFactory(name="Not yours")
    assert verified_client.get(f"/portal/two-factor/devices/{other.pk}/remove/").status_code == 404
    assert verified_client.post(f"/portal/two-factor/devices/{other.pk}/remove/").status_code == 404
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_backup_codes_shown_once_each_works_once_and_regenerating_voids_the_old(client, verified_client, professional):
    response = verified_client.post("/portal/two-factor/backup-codes/")
    html = response.content.decode()
    codes = [t.token for t in StaticDevice.objects.get(user=professional).token_set.all()]
    assert len(codes) == 10 and all(code in html for code in codes)
    assert 'download="backup-codes.txt"' in html
    assert codes[0] not in verified_client.get("/portal/two-factor/backup-codes/").content.decode()

    verified_client.post("/portal/sign-out/")
    sign_in_with_password(client, professional.email)
    response = client.post("/portal/sign-in/code/", {"code": codes[0]}, follow=True)
    assert response.status_code == 200
    assert "You have 9 backup codes left" in response.content.decode()
    used = AuditEntry.objects.get(action="account.backup_code_used")
    backup = StaticDevice.objects.get(user=professional)
    assert used.data == {"device_kind": "backup_codes", "device_id": backup.persistent_id, "backup_codes_left": 9}

    client.post("/portal/sign-out/")
    sign_in_with_password(client, professional.email)
    response = client.post("/portal/sign-in/code/", {"code": codes[0]})
    assert response.status_code == 200 and "That backup code has already been used" in response.content.decode()

    # A new set voids the old one.
    response = client.post("/portal/sign-in/code/", {"code": codes[1]})
    assert response.url == "/portal/"
    client.post("/portal/two-factor/backup-codes/")
    client.post("/portal/sign-out/")
    sign_in_with_password(client, professional.email)
    response = client.post("/portal/sign-in/code/", {"code": codes[2]})
    assert "The code is not right" in response.content.decode()
    assert AuditEntry.objects.filter(action="account.backup_codes_regenerated").count() == 2


def _sign_in_with_backup_code(client, user, code):
    assert sign_in_with_password(client, user.email).status_code == 302
    return client.post("/portal/sign-in/code/", {"code": code})


def test_a_backup_code_typed_again_is_said_to_be_used_not_wrong(client, professional):
    """django-otp deletes a backup code once it is used: typed again, it was "The code is not right", and a school
    whose SENCO had ticked nothing off its printed list could not tell a used code from a mistyped one."""
    codes = otp.backup_codes_regenerate(professional)
    assert _sign_in_with_backup_code(client, professional, codes[0]).url == "/portal/"
    client.post("/portal/sign-out/")

    sign_in_with_password(client, professional.email)
    used = "That backup code has already been used. Enter one of your other backup codes, or the 6-digit code your "
    used += "authenticator app shows now for this portal"
    # As typed from the printed list: in capitals, with a space.
    response = client.post("/portal/sign-in/code/", {"code": f"{codes[0][:4].upper()} {codes[0][4:]}"})
    assert response.status_code == 200 and _code_errors(response) == ([used], used)
    assert AuditEntry.objects.filter(action="account.code_failed").count() == 1
    assert client.get("/portal/").url.startswith("/portal/sign-in/code/")
    # A code never given is wrong, not used; the kept record holds no code.
    assert "The code is not right" in client.post("/portal/sign-in/code/", {"code": "zzzz9999"}).content.decode()
    assert not any(codes[0] in kept for kept in UsedBackupCode.objects.values_list("code_hash", flat=True))

    # Another account's used code is simply wrong for this one.
    colleague = ProfessionalFactory(organisation=professional.organisation)
    TOTPDeviceFactory(user=colleague)
    their_codes = otp.backup_codes_regenerate(colleague)
    assert _sign_in_with_backup_code(Client(), colleague, their_codes[0]).url == "/portal/"
    assert "The code is not right" in client.post("/portal/sign-in/code/", {"code": their_codes[0]}).content.decode()

    # New codes void the old set: its used codes are then no more this account's than its unused ones.
    otp.backup_codes_regenerate(professional)
    assert not UsedBackupCode.objects.filter(device__user=professional).exists()
    assert "The code is not right" in client.post("/portal/sign-in/code/", {"code": codes[0]}).content.decode()


def test_staff_cannot_use_the_portal_sign_in(client):
    staff = StaffUserFactory()
    response = sign_in_with_password(client, staff.email)
    assert response.status_code == 200
    assert "Council staff sign in to the staff admin" in response.content.decode()


def test_signing_out_ends_the_session(verified_client):
    assert verified_client.get("/portal/sign-out/").status_code == 200
    response = verified_client.post("/portal/sign-out/")
    assert response.url == "/portal/signed-out/?reason=signed_out"
    assert verified_client.get("/portal/").url.startswith("/portal/sign-in/")
    assert AuditEntry.objects.filter(action="account.signed_out").exists()


@pytest.mark.parametrize("state", [AccountState.ACTIVE, AccountState.DORMANT])
def test_a_switched_off_account_is_told_so_not_that_its_password_is_wrong(client, professional, state):
    """An account an administrator switched off was told its email address or password was not right (and a reset
    never comes to a switched-off account); switched off and dormant, it was told to ask for a reactivation that
    would not let it sign in."""
    User.objects.filter(pk=professional.pk).update(is_active=False, account_state=state)
    html = sign_in_with_password(client, professional.email).content.decode()
    assert "This account has been switched off, so it cannot sign in." in html
    assert "dormant" not in html and "not right" not in html
    assert client.get("/portal/").status_code == 302
    html = sign_in_with_password(client, professional.email, "not-the-password").content.decode()
    assert "switched off" not in html and "not right" in html


def test_a_dormant_account_is_told_why_it_cannot_sign_in(client, professional):
    User.objects.filter(pk=professional.pk).update(account_state=AccountState.DORMANT)
    response = sign_in_with_password(client, professional.email)
    assert "Your account is dormant" in response.content.decode()
    assert client.get("/portal/").status_code == 302
    # With a wrong password it says nothing about the account.
    response = sign_in_with_password(client, professional.email, "not-the-password")
    assert "dormant" not in response.content.decode()
    assert len(mail.outbox) == 0


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting each password it hashes (made, or checked against a stored hash)."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize(
    "state",
    [AccountState.ACTIVE, AccountState.DORMANT, AccountState.PENDING_VERIFICATION, AccountState.AWAITING_APPROVAL],
)
def test_a_wrong_password_costs_as_many_hashes_for_an_account_as_for_an_unknown_address(
    client, professional, settings, state
):
    """Time tells an outsider what the page does not: each hash is most of a refusal's cost (PBKDF2, a good part of a
    second in production), so an account's address must not cost one more than an unknown one."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    User.objects.filter(pk=professional.pk).update(account_state=state)

    def hashes(address):
        CountingHasher.hashed = 0
        response = sign_in_with_password(client, address, "not the password at all")
        assert "The email address or password is not right" in response.content.decode()
        return CountingHasher.hashed

    assert hashes(professional.email) == hashes("nobody@oakfield-primary.example.org")


def test_the_code_box_takes_a_backup_code_as_typed_on_a_phone(client, professional):
    """A backup code has letters (django-otp's base32), but the code box asked phones for a numeric keypad, and its
    hint spoke of a 6-digit code alone."""
    TOTPDeviceFactory(user=professional)
    response = sign_in_with_password(client, professional.email)

    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")

    box = page.select_one("input[name=code]")
    assert not box.has_attr("inputmode") and box["autocapitalize"] == "none"
    assert "8-character backup codes" in page.select_one(f"#{box['aria-describedby'].split()[0]}").get_text()


def _linked_code_error(html):
    """The GOV.UK error pattern for the code box: its form group and input marked, and every id its
    aria-describedby names on the page, the error message among them."""
    page = BeautifulSoup(html, "html.parser")
    box = page.select_one("input[name=code]")
    assert "govuk-input--error" in box["class"]
    assert "govuk-form-group--error" in box.find_parent("div")["class"]
    described = [page.find(id=name) for name in box["aria-describedby"].split()]
    assert all(described), box["aria-describedby"]
    return [element.get_text(" ", strip=True) for element in described]


def test_a_wrong_code_at_sign_in_is_linked_to_the_code_box(client, professional):
    """The view adds the wrong-code error after the form is valid: the box said only "code-hint"."""
    sign_in_with_password(client, professional.email)

    response = client.post("/portal/sign-in/code/", {"code": "000000"})

    texts = _linked_code_error(response.content.decode())
    assert "8-character backup codes" in texts[0] and "The code is not right" in texts[-1]


def test_a_wrong_code_when_adding_a_device_is_linked_to_the_code_box(verified_client):
    """It pointed to Django's "id_code_error", an id no element has."""
    url, device = enrol(verified_client, first=False)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = verified_client.post(url, {"name": "Tablet", "code": wrong, "password": PASSWORD})

    texts = _linked_code_error(response.content.decode())
    assert len(texts) == 1 and "Error: The code is not right" in texts[0]


def test_setting_up_with_no_name_and_a_wrong_code_says_both_at_once_and_saves_nothing(client, professional):
    """The wrong code was reported only after a name was typed, on the next try."""
    professional.totpdevice_set.all().delete()
    sign_in_with_password(client, professional.email)
    url, device = enrol(client)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(url, {"name": "", "code": wrong})

    page = BeautifulSoup(response.content, "html.parser")
    summary = [item.get_text(" ", strip=True) for item in page.select(".govuk-error-summary__list li")]
    assert summary[0] == "Enter a name for this device, like Jo's phone"
    assert summary[1].startswith("The code is not right")
    beside = [error.get_text(" ", strip=True) for error in page.select(".govuk-error-message")]
    assert beside == [f"Error: {said}" for said in summary]
    device.refresh_from_db()
    assert not device.confirmed and device.last_t == -1 and device.throttling_failure_count == 0


def test_setting_up_with_no_name_and_the_right_code_keeps_the_code_usable(client, professional):
    """The code is only checked while the name is missing: it still works once the name is typed."""
    professional.totpdevice_set.all().delete()
    sign_in_with_password(client, professional.email)
    url, device = enrol(client)
    html = client.post(url, {"name": "", "code": current_code(device)}).content.decode()
    assert "Enter a name for this device" in html and "The code is not right" not in html

    response = client.post(url, {"name": "Jo's phone", "code": current_code(device)})

    assert response.url == "/portal/two-factor/backup-codes/"


def test_a_code_in_other_digits_is_not_right(client, professional):
    """A code of "²²²²²²" passes str.isdigit(), and int() refused it: the code step answered with a server error."""
    sign_in_with_password(client, professional.email)
    response = client.post("/portal/sign-in/code/", {"code": "²²²²²²"})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    assert client.get("/portal/").url.startswith("/portal/sign-in/code/")
