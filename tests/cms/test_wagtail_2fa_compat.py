"""Staff sign in to /admin/ with a password and then a TOTP code, through wagtail-2fa as patched.

These tests fail when upstream changes: if django-otp or wagtail-2fa fix the "Please select a device"
bug, test_upstream_form_still_needs_the_patch fails and cms/wagtail_2fa_compat.py can go.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa import forms as upstream_forms
from wagtail_2fa import views as wagtail_2fa_views

from cms.forms import DEVICE_NAME_REQUIRED, PASSWORD_REQUIRED, WRONG_CODE, WRONG_PASSWORD
from cms.wagtail_2fa_compat import AdminDeviceForm, AdminTokenForm
from tests.factories.accounts import PASSWORD, StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.otp import current_code
from tests.upstream import changed_lines


def _sign_in_with_password(client, user, password):
    response = client.post("/admin/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    return client.get("/admin/", follow=False)


def test_admin_asks_for_a_password_then_a_totp_code(client, superuser, password):
    assert client.get("/admin/").url.startswith("/admin/login/")

    # Every admin page's title names the portal, not the software: the sign-in, the code and the dashboard.
    sign_in_page = client.get("/admin/login/").content.decode()
    assert "<title>Sign in - SEND Professional Portal staff admin</title>" in sign_in_page
    assert re.search(r"<h1>\s*Sign in to the SEND Professional Portal staff admin\s*</h1>", sign_in_page)
    response = _sign_in_with_password(client, superuser, password)
    assert response.status_code == 302
    assert response.url.startswith("/admin/2fa/auth")
    assert "- SEND Professional Portal staff admin</title>" in client.get(response.url).content.decode()

    device = superuser.totpdevice_set.get()
    response = client.post("/admin/2fa/auth", {"otp_token": current_code(device)})
    assert response.status_code == 302

    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Dashboard - SEND Professional Portal staff admin</title>" in html
    assert re.search(r"<h1[^>]*>\s*SEND Professional Portal\s*</h1>", html)
    assert response.wsgi_request.user == superuser and response.wsgi_request.user.is_verified()


def test_the_code_step_asks_for_the_code_in_words(client, superuser, password):
    """wagtail-2fa's field has no label: the admin's code page asked for an "Otp token"."""
    response = _sign_in_with_password(client, superuser, password)

    page = BeautifulSoup(client.get(response.url).content, "html.parser")

    assert (
        page.select_one("label[for=id_otp_token]").get_text(strip=True).rstrip("*")
        == "Code from your authenticator app"
    )
    assert "Otp token" not in page.get_text()
    assert page.select_one("#id_otp_token")["autocomplete"] == "one-time-code"


def test_a_wrong_code_is_refused(client, superuser, password):
    _sign_in_with_password(client, superuser, password)
    device = superuser.totpdevice_set.get()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post("/admin/2fa/auth", {"otp_token": wrong})

    assert response.status_code == 200
    assert client.get("/admin/").url.startswith("/admin/2fa/auth")


def _said_beside_the_code_field(response):
    """The error text beside the code field, and the page's whole text."""
    page = BeautifulSoup(response.content, "html.parser")
    field = page.select_one("#id_otp_token").find_parent(attrs={"data-field-wrapper": True})
    errors = field.select(".error-message")
    return [" ".join(error.get_text().split()) for error in errors], " ".join(page.get_text().split())


def test_the_code_step_says_what_is_wrong_beside_the_field_in_govuk_words(client, superuser, password):
    """An empty code said "This field is required."; a wrong or reused one "Invalid code" in a banner. Now the GOV.UK
    words, in the error summary and beside the field."""
    _sign_in_with_password(client, superuser, password)
    device = superuser.totpdevice_set.get()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    assert client.post("/admin/2fa/auth", {"otp_token": current_code(device)}).status_code == 302
    client.post("/admin/logout/")
    _sign_in_with_password(client, superuser, password)

    for code, words in [
        ("", "Enter the 6-digit code from your authenticator app"),
        (wrong, WRONG_CODE),
        (current_code(device), WRONG_CODE),  # reused
    ]:
        response = client.post("/admin/2fa/auth", {"otp_token": code})
        beside, text = _said_beside_the_code_field(response)
        assert response.status_code == 200 and beside == [f"Error: {words}"], code
        summary = " ".join(BeautifulSoup(response.content, "html.parser").select_one("[role=alert]").get_text().split())
        # Said twice, as GOV.UK says it: in the error summary (a link to the field) and beside the field; no banner.
        assert words in summary and text.count(words) == 2, code
        assert "Invalid code" not in text and "This field is required" not in text


def test_a_wrong_admin_code_is_audited_and_logged_as_the_portal_s_are(client, superuser, password, caplog):
    from cms.models import AuditEntry

    _sign_in_with_password(client, superuser, password)
    device = superuser.totpdevice_set.get()
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    with caplog.at_level("WARNING", logger="cms.security"):
        client.post("/admin/2fa/auth", {"otp_token": wrong})

    entry = AuditEntry.objects.get(action="account.code_failed")
    assert (entry.actor, entry.target_id, entry.data) == (superuser, str(superuser.pk), {"where": "admin"})
    [line] = [r for r in caplog.records if r.name == "cms.security" and r.levelname == "WARNING"]
    assert line.account_id == superuser.pk and wrong not in line.getMessage() and wrong not in str(line.__dict__)


def test_a_wrong_code_reads_the_same_in_the_admin_and_the_portal(client, superuser, password, professional):
    """The admin said "The code is wrong or has been used: enter the next code your app shows", the portal "The code
    is not right. Enter the 6-digit code your authenticator app shows now for this portal"."""
    _sign_in_with_password(client, superuser, password)
    wrong = f"{(int(current_code(superuser.totpdevice_set.get())) + 1) % 1_000_000:06d}"
    admin_said, _ = _said_beside_the_code_field(client.post("/admin/2fa/auth", {"otp_token": wrong}))

    portal = Client()
    portal.post("/portal/sign-in/", {"username": professional.email, "password": PASSWORD})
    wrong = f"{(int(current_code(professional.totpdevice_set.get())) + 1) % 1_000_000:06d}"
    portal_page = BeautifulSoup(portal.post("/portal/sign-in/code/", {"code": wrong}).content, "html.parser")
    portal_said = " ".join(portal_page.select_one("#code-error").get_text().split())

    assert admin_said == [f"Error: {WRONG_CODE}"]
    assert portal_said.startswith(f"Error: {WRONG_CODE}")


def test_staff_with_two_devices_sign_in_with_either(client, superuser, password):
    second = TOTPDeviceFactory(user=superuser, name="Spare phone")
    _sign_in_with_password(client, superuser, password)

    response = client.post("/admin/2fa/auth", {"otp_token": current_code(second)})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_patch_is_installed():
    assert wagtail_2fa_views.LoginView.form_class is AdminTokenForm


@pytest.mark.django_db
def test_upstream_form_still_needs_the_patch(superuser):
    device = superuser.totpdevice_set.get()
    form = upstream_forms.TokenForm(superuser, data={"otp_token": current_code(device)})

    # Upstream still refuses a correct code; when this fails, upstream is fixed: remove the patch.
    assert not form.is_valid()
    assert "Please select a device." in str(form.errors)


def _verified_administrator(client):
    """A non-superuser in the Portal administrator group, which holds portal_pages.change_user."""
    from django.contrib.auth.models import Group

    administrator = StaffUserFactory()
    administrator.groups.add(Group.objects.get(name="Portal administrator"))
    TOTPDeviceFactory(user=administrator)
    verified_login(client, administrator)
    return administrator


def test_a_non_superuser_administrator_cannot_manage_another_staff_accounts_2fa(client, superuser):
    administrator = _verified_administrator(client)
    colleague = StaffUserFactory()
    device = TOTPDeviceFactory(user=colleague, name="Lost phone")

    assert client.get(f"/admin/2fa/devices/{colleague.pk}").status_code == 404
    assert client.post(f"/admin/2fa/devices/{device.pk}/remove", {"user_id": colleague.pk}).status_code == 404
    assert colleague.totpdevice_set.exists()
    assert client.get(f"/admin/2fa/devices/{administrator.pk}").status_code == 200


def test_staff_without_the_permission_still_cannot_manage_others_2fa(client, db):
    from django.contrib.auth.models import Group

    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name="Content editor"))  # admin access, no change_user
    TOTPDeviceFactory(user=staff)
    verified_login(client, staff)
    other = StaffUserFactory()
    other_device = TOTPDeviceFactory(user=other)

    assert client.get(f"/admin/2fa/devices/{other.pk}").status_code == 404
    client.post(f"/admin/2fa/devices/{other_device.pk}/remove", {"user_id": other.pk})
    assert other.totpdevice_set.exists()
    assert client.get(f"/admin/2fa/devices/{staff.pk}").status_code == 200


def test_our_device_views_answer_upstreams_urls():
    from django.urls import resolve, reverse

    from cms import wagtail_2fa_compat

    # When upstream moves these pages, these fail: route the new paths to views that check as ours do.
    assert resolve(reverse("wagtail_2fa_device_list", args=[1])).func.view_class is wagtail_2fa_compat.DeviceListView
    remove = resolve(reverse("wagtail_2fa_device_remove", args=[1]))
    assert remove.func.view_class is wagtail_2fa_compat.DeviceDeleteView
    assert issubclass(wagtail_2fa_compat.DeviceListView, wagtail_2fa_views.DeviceListView)


def test_a_staff_sign_in_is_audited_with_the_device_kind_and_id(client, superuser, password):
    from cms.models import AuditEntry

    _sign_in_with_password(client, superuser, password)
    device = superuser.totpdevice_set.get()
    client.post("/admin/2fa/auth", {"otp_token": current_code(device)})

    entry = AuditEntry.objects.get(action="account.signed_in")
    assert entry.actor == superuser
    assert entry.data == {"device_kind": "authenticator", "device_id": device.persistent_id, "where": "admin"}


def test_a_professionals_portal_page_reads_no_permissions(verified_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = verified_client.get("/portal/")

    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_staff_signed_in_by_password_alone_are_still_sent_to_the_code_step_outside_the_portal(
    client, superuser, password, home_page
):
    _sign_in_with_password(client, superuser, password)

    for path in ("/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/admin/2fa/auth"), path


def test_the_admin_code_step_gives_a_new_session_key(client, superuser, password):
    """As the portal's code step does: a session key seen before the code (fixed by an attacker, or read over a
    shoulder) does not open the admin after it."""
    _sign_in_with_password(client, superuser, password)
    before = client.cookies["sessionid"].value

    response = client.post("/admin/2fa/auth", {"otp_token": current_code(superuser.totpdevice_set.get())})

    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get("/admin/").status_code == 200


def test_confirming_a_first_admin_device_gives_a_new_session_key(client, db):
    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name="Content editor"))
    _sign_in_with_password(client, staff, PASSWORD)
    assert client.get("/admin/2fa/devices/new").status_code == 200
    before = client.cookies["sessionid"].value
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post(
        "/admin/2fa/devices/new", {"name": "Phone", "otp_token": current_code(device), "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.get("/admin/").status_code == 200


SIGN_IN_BUTTON = (
    'data-controller="w-progress" data-action="w-progress#activate" '
    "data-w-progress-active-value=\"{% trans 'Signing in…' %}\">"
    "{% icon name=\"spinner\" %}<em>{% trans 'Sign in' %}</em></button>"
)
SIGN_OUT_BUTTON = (
    "formaction=\"{% url 'wagtailadmin_logout' %}?next={% url 'wagtailadmin_login' %}\" formmethod=\"post\""
)


def test_our_code_page_is_upstreams_without_its_banner():
    """cms/templates/wagtail_2fa/otp_form_v6.html is a copy of wagtail-2fa's page less the "Invalid code" banner, with
    the error summary, "Error: " in a refused page's title, no positive tabindex on its buttons, no empty list of
    messages and a code box that names in aria-describedby only what is on the page. When upstream
    changes its page, this fails: copy it again and make the same changes, or drop ours if upstream now shows errors
    beside the field and its own summary."""
    import difflib
    from pathlib import Path

    import wagtail_2fa
    from django.conf import settings

    upstream = Path(wagtail_2fa.__file__).parent / "templates/wagtail_2fa/otp_form_v6.html"
    ours = Path(settings.BASE_DIR) / "cms/templates/wagtail_2fa/otp_form_v6.html"
    changed = [
        line
        for line in difflib.unified_diff(upstream.read_text().splitlines(), ours.read_text().splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert [line[0] + line[1:].strip() for line in changed] == [
        "-{% load i18n wagtailadmin_tags %}",
        '-{% block titletag %}{% trans "Sign in" %}{% endblock %}',
        '+{% comment %}wagtail-2fa 1.8.0\'s code page (cms.wagtail_2fa_compat), without its "Invalid code" banner: '
        'the form says what is wrong beside the field, and a page sent back has "Error: " in its title and the error '
        "summary, which takes focus. Its buttons have no tabindex: upstream's 3 and 4 put them before the skip link "
        "and the code box. No empty list of messages, and the code box names in aria-describedby only what is on the "
        "page (admin_field).{% endcomment %}",
        "+{% load i18n wagtailadmin_tags portal_tags %}",
        '+{% block titletag %}{% if form.errors %}Error: {% endif %}{% trans "Sign in" %}{% endblock %}',
        '-<div class="messages" role="status">',
        "-{# Always show messages div so it can be appended to by JS #}",
        "-{% if messages or form.errors %}",
        "-<ul>",
        "-{% if form.errors %}",
        '-<li class="error">{% blocktrans %}Invalid code{% endblocktrans %}</li>',
        "-{% endif %}",
        "-{% for message in messages %}",
        '-<li class="{{ message.tags }}">{{ message }}</li>',
        "-{% endfor %}",
        "-</ul>",
        "-{% endif %}",
        "-</div>",
        '+{% include "cms/admin/includes/sign_in_messages.html" %}',
        "-{% block above_login %}{% endblock %}",
        '+{% block above_login %}{% include "cms/admin/includes/error_summary.html" %}{% endblock %}',
        "-{% formattedfield field=form.otp_token %}",
        "+{% admin_field form.otp_token %}",
        "-{% formattedfield field=field %}",
        "+{% admin_field field %}",
        '-<button type="submit" class="button button-longrunning" tabindex="3" ' + SIGN_IN_BUTTON,
        '+<button type="submit" class="button button-longrunning" ' + SIGN_IN_BUTTON,
        "-" + SIGN_OUT_BUTTON + ' tabindex="4">',
        "+" + SIGN_OUT_BUTTON + ">",
    ]


def _said_beside_each_field(response):
    """{field name: the error text beside it} on a Wagtail admin form, and the page's whole text."""
    page = BeautifulSoup(response.content, "html.parser")
    said = {}
    for wrapper in page.select("[data-field-wrapper]"):
        errors = [" ".join(error.get_text().split()) for error in wrapper.select(".error-message")]
        if errors:
            said[wrapper.select_one("input")["name"]] = errors
    return said, " ".join(page.get_text().split())


def _staff_without_a_device(client):
    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name="Content editor"))
    _sign_in_with_password(client, staff, PASSWORD)
    assert client.get("/admin/2fa/devices/new").status_code == 200
    return staff, TOTPDevice.objects.get(user=staff, confirmed=False)


def test_adding_an_admin_device_says_the_portals_words_beside_each_field(client, db):
    """wagtail-2fa's page said "This field is required." three times, "Invalid token. Please make sure you have
    entered it correctly." and "Invalid password"."""
    staff, device = _staff_without_a_device(client)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    for posted, expected in [
        (
            {"name": "", "otp_token": "", "password": ""},
            {
                "name": [DEVICE_NAME_REQUIRED],
                "otp_token": ["Enter the 6-digit code from your authenticator app"],
                "password": [PASSWORD_REQUIRED],
            },
        ),
        (
            {"name": "Phone", "otp_token": wrong, "password": "not-the-password"},
            {"otp_token": [WRONG_CODE], "password": [WRONG_PASSWORD]},
        ),
    ]:
        response = client.post("/admin/2fa/devices/new", posted)
        said, text = _said_beside_each_field(response)
        assert response.status_code == 200 and said == expected
        assert "This field is required" not in text and "Invalid" not in text

    device.refresh_from_db()
    assert not device.confirmed and client.get("/admin/").url.startswith("/admin/2fa/")


def test_a_code_tried_while_the_new_device_waits_is_told_to_wait_not_that_it_is_wrong(client, db, settings):
    """Upstream tried no code while the device waited after a wrong one, and said a right code was invalid."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    staff, device = _staff_without_a_device(client)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client.post("/admin/2fa/devices/new", {"name": "Phone", "otp_token": wrong, "password": PASSWORD})

    response = client.post(
        "/admin/2fa/devices/new", {"name": "Phone", "otp_token": current_code(device), "password": PASSWORD}
    )

    said, _ = _said_beside_each_field(response)
    assert response.status_code == 200 and list(said) == ["otp_token"]
    assert said["otp_token"] != [WRONG_CODE] and "wait" in said["otp_token"][0].lower()


def test_the_device_form_patch_is_installed():
    assert wagtail_2fa_views.DeviceCreateView.form_class is AdminDeviceForm
    assert wagtail_2fa_views.DeviceUpdateView.form_class is AdminDeviceForm


def test_upstream_device_form_still_says_its_own_words(rf, db):
    """When this fails, upstream has changed its device form: check that AdminDeviceForm still says the portal's
    words (its messages and methods are named after upstream's), or drop it if upstream's now fit."""
    staff = StaffUserFactory()
    device = TOTPDevice.objects.create(user=staff, name="", confirmed=False)
    request = rf.post("/admin/2fa/devices/new")
    request.user = staff

    form = upstream_forms.DeviceForm(request, instance=device, data={"name": "", "otp_token": "", "password": ""})
    assert not form.is_valid()
    assert form.errors == {name: ["This field is required."] for name in ("name", "otp_token", "password")}

    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    form = upstream_forms.DeviceForm(
        request, instance=device, data={"name": "Phone", "otp_token": wrong, "password": "wrong"}
    )
    with_wrong_code = form.is_valid() or form.errors
    assert dict(with_wrong_code) == {
        "otp_token": ["Invalid token. Please make sure you have entered it correctly."],
        "password": ["Invalid password"],
    }


def test_renaming_an_admin_device_says_the_portals_words(client, superuser, password):
    verified_login(client, superuser)
    device = superuser.totpdevice_set.get()

    response = client.post(f"/admin/2fa/devices/{device.pk}/update", {"name": "", "password": "not-the-password"})

    said, _ = _said_beside_each_field(response)
    assert response.status_code == 200 and said == {"name": [DEVICE_NAME_REQUIRED], "password": [WRONG_PASSWORD]}
    device.refresh_from_db()
    assert device.name == "Admin phone"


def test_our_device_page_is_upstreams_in_plain_words():
    """cms/templates/wagtail_2fa/device_form.html is wagtail-2fa's page that adds an authenticator, with what
    tests/cms/device_form_from_upstream.txt lists changed. When upstream changes its page, this fails: copy it again,
    make the same changes and write the list anew, or drop ours if upstream's now says the same."""
    from pathlib import Path

    import wagtail_2fa
    from django.conf import settings

    upstream = Path(wagtail_2fa.__file__).parent / "templates/wagtail_2fa/device_form.html"
    ours = Path(settings.BASE_DIR) / "cms/templates/wagtail_2fa/device_form.html"
    expected = Path(__file__).parent / "device_form_from_upstream.txt"
    assert changed_lines(upstream, ours) == expected.read_text().splitlines()


def test_setting_up_an_admin_authenticator_says_so_in_plain_words(client, db):
    """The page said "Two Factor Settings", "a random code that changes every minute" (it changes every 30 seconds),
    "Wagtail CMS account" and "log in"; its QR code had no alt text and its setup link was out of the keyboard's
    reach."""
    _staff_without_a_device(client)
    page = BeautifulSoup(client.get("/admin/2fa/devices/new").content, "html.parser")
    text = " ".join(page.get_text().split())

    assert page.select_one("h1").get_text(strip=True) == "Set up your authenticator app"
    assert "The app shows a new 6-digit code every 30 seconds." in text
    for upstreams in ["Two Factor", "every minute", "Wagtail CMS", "log in", "One Time Password"]:
        assert upstreams not in text
    qr = page.select_one("img[src='/admin/2fa/devices/qr-code']")
    assert "QR code" in qr["alt"] and "setup link below does the same" in qr["alt"]
    setup_link = page.select_one("pre")
    assert setup_link["tabindex"] == "0" and setup_link["aria-label"] and setup_link.get_text().startswith("otpauth://")


def test_a_refused_code_is_linked_to_its_field_and_the_password_is_asked_for_again(client, db):
    """The error was linked to no field (aria-describedby named only the help), and after a wrong code the password
    field came back empty with nothing saying to type it again."""
    _staff, device = _staff_without_a_device(client)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post("/admin/2fa/devices/new", {"name": "Phone", "otp_token": wrong, "password": PASSWORD})

    page = BeautifulSoup(response.content, "html.parser")
    code = page.select_one("input[name=otp_token]")
    error = page.select_one(f"#{code['aria-describedby'].split()[-1]}")
    assert " ".join(error.get_text().split()) == WRONG_CODE
    password = page.select_one("input[name=password]")
    assert not password.has_attr("value")  # never sent back to the browser
    hint = page.select_one(f"#{password['aria-describedby'].split()[0]}")
    assert "Enter your password again" in hint.get_text()


def test_our_set_up_views_answer_upstreams_urls():
    from django.urls import resolve, reverse

    from cms import wagtail_2fa_compat

    # When upstream moves these pages, these fail: route the new paths to views that keep the device being set up.
    assert resolve(reverse("wagtail_2fa_device_new")).func.view_class is wagtail_2fa_compat.DeviceCreateView
    assert resolve(reverse("wagtail_2fa_device_qrcode")).func.view_class is wagtail_2fa_compat.DeviceQRCodeView
    assert issubclass(wagtail_2fa_compat.DeviceCreateView, wagtail_2fa_views.DeviceCreateView)
    assert issubclass(wagtail_2fa_compat.DeviceQRCodeView, wagtail_2fa_views.DeviceQRCodeView)


def test_upstream_set_up_still_makes_a_new_device_on_every_visit(rf, db):
    """What cms.wagtail_2fa_compat.DeviceCreateView replaces: upstream's ``device`` (a cached property) and the
    utilities it calls, by these names and signatures. When this fails, upstream has changed them: check that ours
    still shows and confirms the device being set up, or drop ours if upstream now keeps it."""
    import inspect

    from django.utils.functional import cached_property
    from wagtail_2fa import utils as upstream_utils

    assert isinstance(inspect.getattr_static(wagtail_2fa_views.DeviceCreateView, "device"), cached_property)
    for utility in (upstream_utils.new_unconfirmed_device, upstream_utils.get_unconfirmed_device):
        assert list(inspect.signature(utility).parameters) == ["user"]
    assert list(inspect.signature(wagtail_2fa_views.DeviceQRCodeView.get).parameters) == ["self", "request"]

    staff = StaffUserFactory()
    seen = []
    for _ in range(2):
        view = wagtail_2fa_views.DeviceCreateView()
        view.setup(rf.get("/admin/2fa/devices/new"))
        view.request.user = staff
        seen.append((view.device.pk, view.device.key))
    assert seen[0] != seen[1] and seen[0][1] != seen[1][1]  # a new device, with a new secret, per visit
    assert list(TOTPDevice.objects.filter(user=staff).values_list("pk", "name")) == [(seen[1][0], "Device #1")]
