from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page

from cms.demo import COUNCIL_NAME, DEMO_ADMIN_EMAIL
from cms.models import HelpPage
from portal_pages.models import User
from tests.otp import current_code


def test_demo_content_builds_the_fictional_council_site_and_is_idempotent(client, db):
    call_command("load_demo_content", stdout=StringIO())
    counts = (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count())
    out = StringIO()

    call_command("load_demo_content", stdout=out)

    assert (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count()) == counts
    assert DEMO_ADMIN_EMAIL in out.getvalue()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert COUNCIL_NAME in body
    for footer in ("Accessibility statement", "Privacy notice", "Contact us"):
        assert footer in body
    assert client.get("/accessibility-statement/").status_code == 200
    assert ".gov.uk" not in body
    guide = client.get(HelpPage.objects.get(slug="a-guide-for-sencos").url).content.decode()
    assert '<caption class="govuk-table__caption govuk-table__caption--m">When each step' in guide


def test_demo_totp_prints_the_current_code(db):
    call_command("load_demo_content", stdout=StringIO())
    device = TOTPDevice.objects.get(user__email=DEMO_ADMIN_EMAIL)
    out = StringIO()

    call_command("demo_totp", DEMO_ADMIN_EMAIL, stdout=out)

    assert out.getvalue().strip() in {current_code(device, -1), current_code(device), current_code(device, 1)}


@pytest.mark.parametrize("command", [["load_demo_content"], ["load_demo_content", "--if-empty"], ["demo_totp"]])
def test_demo_tools_refuse_to_run_when_they_are_off(db, settings, command):
    call_command("load_demo_content", stdout=StringIO())
    settings.PORTAL_DEMO_TOOLS = False
    if command == ["demo_totp"]:
        command = ["demo_totp", DEMO_ADMIN_EMAIL]
    counts = (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count())
    out = StringIO()

    with pytest.raises(CommandError, match=rf"^{command[0]} is a demo tool and does not run on this site: demo tools"):
        call_command(*command, stdout=out)

    assert out.getvalue() == ""  # no code, no sign-ins printed
    assert (Page.objects.count(), User.objects.count(), TOTPDevice.objects.count()) == counts


def test_demo_totp_leaves_a_line_in_the_log_naming_the_account_by_id(db, caplog):
    call_command("load_demo_content", stdout=StringIO())
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)

    with caplog.at_level("WARNING", logger="cms.management.commands.demo_totp"):
        call_command("demo_totp", DEMO_ADMIN_EMAIL, stdout=StringIO())

    assert [r.getMessage() for r in caplog.records] == [
        f"demo_totp printed the authenticator code of account {admin.pk}"
    ]


@pytest.mark.parametrize(
    "base_url, root",
    [("http://127.0.0.1:8080", "http://127.0.0.1:8080"), ("https://portal.example.org", "https://portal.example.org")],
)
def test_the_demo_sites_address_follows_the_public_address(db, settings, client, base_url, root):
    """`make run PORT=8080` sets WAGTAILADMIN_BASE_URL; the demo's Site was fixed at localhost:80, so an approval
    email linked to "http://localhost/help/...", which reached no server."""
    settings.WAGTAILADMIN_BASE_URL = base_url
    call_command("load_demo_content", stdout=StringIO())

    guide = HelpPage.objects.get(slug="a-guide-for-sencos")
    assert guide.full_url.startswith(root + "/")
    assert client.get(guide.url).status_code == 200
