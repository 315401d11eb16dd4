"""A staff account's first admin sign-in, where it sets up its authenticator app on wagtail-2fa's page (as patched in
cms.wagtail_2fa_compat): audited as the portal's set-up and sign-in are, and then on to where the person was going."""

import base64
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.models import AuditEntry
from cms.two_factor import UNCONFIRMED_DEVICE_LIFETIME, qr_code_svg
from tests.factories.accounts import PASSWORD, SuperuserFactory, TOTPDeviceFactory
from tests.otp import current_code


def _code_from_the_page(html):
    """The code an authenticator app shows after reading the page's setup link (the QR code's contents)."""
    setup_link = BeautifulSoup(html, "html.parser").select_one("pre code").get_text().strip()
    secret = parse_qs(urlsplit(setup_link).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def _signed_in_by_password_to_the_set_up(client, user):
    """/admin/ as a person meets it: the sign-in page, the password, then the admin's gate sends them to set up."""
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/admin/login/?next=/admin/"
    response = client.post(response.url, {"username": user.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == "/admin/2fa/devices/new?next=/admin/"
    return response.url


def _set_up(client, url, name="ICT phone"):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {"name": name, "otp_token": _code_from_the_page(page.content), "password": PASSWORD})


def test_a_first_admin_sign_in_that_sets_up_the_authenticator_is_audited_as_a_later_one_is(client, db):
    """The set-up wrote no audit entry: neither the device added nor the sign-in it completed, where a later sign-in
    with a code is recorded (account.signed_in, where admin)."""
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)

    response = _set_up(client, url)

    assert response.status_code == 302 and response.url == "/admin/"  # where they were going, not the device list
    assert client.get("/admin/").status_code == 200
    device = TOTPDevice.objects.get(user=superuser, confirmed=True)
    assert device.name == "ICT phone"
    entries = AuditEntry.objects.filter(actor=superuser).order_by("pk")
    named = {"device_kind": "authenticator", "device_id": device.persistent_id, "where": "admin"}
    assert [(entry.action, entry.target, entry.data) for entry in entries] == [
        ("account.device_added", superuser, named),
        ("account.signed_in", superuser, named),
    ]
    assert entries[0].ip_address and entries[1].ip_address  # written with the request, as the portal's are


def test_the_audit_log_names_the_admin_s_set_up_as_it_names_the_portal_s(client, db):
    """The same kind and id, and no device name ("ICT phone" is typed by its owner), as devices.device_confirm
    writes for a team account; "where: admin" tells the two apart."""
    superuser = SuperuserFactory()
    _set_up(client, _signed_in_by_password_to_the_set_up(client, superuser))

    entry = AuditEntry.objects.get(action="account.device_added")
    page = client.get(f"/admin/audit_log/inspect/{entry.pk}/").content.decode()
    text = " ".join(BeautifulSoup(page, "html.parser").get_text().split())
    assert "Authenticator device added" in text and "Where: admin" in text
    assert "ICT phone" not in text


@pytest.mark.parametrize("elsewhere", ["https://elsewhere.example/", "//elsewhere.example/admin/"])
def test_a_set_up_whose_next_is_another_site_goes_to_the_admin_home(client, db, elsewhere):
    superuser = SuperuserFactory()
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})

    response = _set_up(client, f"/admin/2fa/devices/new?{urlencode({'next': elsewhere})}")

    assert response.status_code == 302 and response.url == "/admin/"


def test_a_set_up_goes_on_to_the_admin_page_it_was_asked_for(client, db):
    superuser = SuperuserFactory()
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})
    response = client.get("/admin/pages/")
    assert response.url == "/admin/2fa/devices/new?next=/admin/pages/"

    response = _set_up(client, response.url)

    assert response.status_code == 302 and response.url == "/admin/pages/"


def test_a_first_set_up_with_no_next_goes_to_the_admin_home(client, db):
    superuser = SuperuserFactory()
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})

    response = _set_up(client, "/admin/2fa/devices/new")

    assert response.status_code == 302 and response.url == "/admin/"


def test_another_device_added_by_a_signed_in_admin_is_audited_and_signs_nobody_in(verified_admin_client, superuser):
    """From "Manage 2FA" (no next): back to the device list, as before, with the device audited and no second
    sign-in recorded."""
    before = AuditEntry.objects.filter(action="account.signed_in").count()

    response = _set_up(verified_admin_client, "/admin/2fa/devices/new", name="Spare phone")

    assert response.status_code == 302 and response.url == f"/admin/2fa/devices/{superuser.pk}"
    device = TOTPDevice.objects.get(user=superuser, name="Spare phone")
    entry = AuditEntry.objects.get(action="account.device_added")
    assert entry.actor == superuser and entry.data["device_id"] == device.persistent_id
    assert AuditEntry.objects.filter(action="account.signed_in").count() == before


def test_a_refused_set_up_writes_no_audit_entry(client, db):
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    client.get(url)
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(url, {"name": "ICT phone", "otp_token": wrong, "password": PASSWORD})

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action__in=["account.device_added", "account.signed_in"]).exists()


def test_a_later_sign_in_is_still_audited_once(client, db):
    superuser = SuperuserFactory()
    device = TOTPDeviceFactory(user=superuser)
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})

    client.post("/admin/2fa/auth", {"otp_token": current_code(device)})

    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["account.signed_in"]


def _setup_link(html):
    return BeautifulSoup(html, "html.parser").select_one("pre code").get_text().strip()


def test_a_reload_of_the_set_up_page_keeps_the_qr_code_already_scanned(client, db):
    """The person scans the QR code, reloads (or comes back from the setup link, or opens a second tab) and types
    the code their app shows: accepted. Each visit made a new device with a new secret, so it was "wrong"."""
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    first = client.get(url)
    scanned = client.get("/admin/2fa/devices/qr-code").content

    again = client.get(url)
    client.get("/admin/2fa/devices/new")  # a second tab, from "Manage 2FA"

    assert _setup_link(again.content) == _setup_link(first.content)
    assert client.get("/admin/2fa/devices/qr-code").content == scanned
    code = _code_from_the_page(first.content)
    response = client.post(url, {"name": "ICT phone", "otp_token": code, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    device = TOTPDevice.objects.get(user=superuser)
    assert device.confirmed and device.config_url == _setup_link(first.content)


def test_visits_of_the_set_up_page_keep_one_device_being_set_up(client, db):
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)

    rows = []
    for _ in range(4):
        assert client.get(url).status_code == 200
        rows += TOTPDevice.objects.filter(user=superuser).values_list("pk", "key", "name", "confirmed")

    assert len(set(rows)) == 1 and rows[0][2:] == ("Device #1", False)  # the same row each time, with the same key


def test_another_browser_of_the_same_person_shows_the_same_device_being_set_up(client, db):
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    first = client.get(url)

    other = Client()
    assert _setup_link(other.get(_signed_in_by_password_to_the_set_up(other, superuser)).content) == _setup_link(
        first.content
    )
    assert TOTPDevice.objects.filter(user=superuser).count() == 1


def test_adding_another_device_never_touches_a_confirmed_one(verified_admin_client, superuser):
    confirmed = superuser.totpdevice_set.get()
    before = TOTPDevice.objects.filter(pk=confirmed.pk).values().get()

    first = verified_admin_client.get("/admin/2fa/devices/new")
    verified_admin_client.get("/admin/2fa/devices/new")

    assert TOTPDevice.objects.filter(pk=confirmed.pk).values().get() == before
    assert TOTPDevice.objects.filter(user=superuser, confirmed=False).count() == 1
    code = _code_from_the_page(first.content)
    response = verified_admin_client.post(
        "/admin/2fa/devices/new", {"name": "Spare phone", "otp_token": code, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert set(superuser.totpdevice_set.values_list("name", "confirmed")) == {
        ("Admin phone", True),
        ("Spare phone", True),
    }
    assert TOTPDevice.objects.filter(pk=confirmed.pk).values().get() == before


def test_a_set_up_left_longer_than_a_day_starts_again_with_a_new_device(client, db):
    """Past UNCONFIRMED_DEVICE_LIFETIME (when the daily task clears it) the page makes a new one, as the portal's."""
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    first = client.get(url)
    TOTPDevice.objects.filter(user=superuser).update(created_at=timezone.now() - UNCONFIRMED_DEVICE_LIFETIME)

    again = client.get(url)

    assert _setup_link(again.content) != _setup_link(first.content)
    assert TOTPDevice.objects.filter(user=superuser).count() == 1


def test_the_qr_code_is_the_device_the_page_shows_and_none_without_one(client, db):
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    assert client.get("/admin/2fa/devices/qr-code").status_code == 404  # upstream: a server error

    client.get(url)
    device = TOTPDevice.objects.get(user=superuser)

    response = client.get("/admin/2fa/devices/qr-code")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == qr_code_svg(device)  # the portal's set-up page draws it the same way


@pytest.mark.parametrize("gone", ["removed", "over a day old"])
def test_a_set_up_posted_after_its_device_has_gone_shows_the_page_again_with_a_new_qr_code(client, db, gone):
    """The daily task removed the device being set up (or it is over a day old) while the page was open: the post
    was a server error (a blank device taken as confirmed, saved with no user). The page again, keeping the next."""
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    first = client.get(url)
    code = _code_from_the_page(first.content)
    if gone == "removed":
        TOTPDevice.objects.filter(user=superuser).delete()
    else:
        TOTPDevice.objects.filter(user=superuser).update(created_at=timezone.now() - UNCONFIRMED_DEVICE_LIFETIME)

    response = client.post(url, {"name": "ICT phone", "otp_token": code, "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302 and response.url == "/admin/2fa/devices/new?" + urlencode({"next": "/admin/"})
    assert not TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()
    assert not AuditEntry.objects.exists()
    page = client.get(response.url)
    assert "The set-up had run out" in page.content.decode()
    assert _setup_link(page.content) != _setup_link(first.content)
    assert _set_up(client, response.url).url == "/admin/"


@pytest.mark.parametrize("elsewhere", ["https://elsewhere.example/", "//elsewhere.example/admin/"])
def test_a_set_up_posted_after_its_device_has_gone_drops_a_next_on_another_site(client, db, elsewhere):
    superuser = SuperuserFactory()
    url = _signed_in_by_password_to_the_set_up(client, superuser)
    client.get(url)
    TOTPDevice.objects.filter(user=superuser).delete()

    response = client.post(url, {"name": "ICT phone", "password": PASSWORD, "next": elsewhere})

    assert response.status_code == 302 and response.url == "/admin/2fa/devices/new"
