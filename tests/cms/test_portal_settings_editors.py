"""Content editors and guidance approvers change the council's phone number and its hours (Portal settings)
themselves: a new one shows on the site at once, with no superuser asked. The other fields are superusers' alone;
other staff roles are refused."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from wagtail.models import ModelLogEntry, Site

from cms.form_fields import PHONE_FORMAT_ERROR, PhoneField
from cms.models import PortalSettings
from portal_pages.roles import portal_settings_editors_ensure
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db


def _settings_form(settings, **changes):
    data = {
        "council_name": settings.council_name,
        "service_name": settings.service_name,
        "logo": "",
        "support_email": settings.support_email,
        "ict_email": settings.ict_email,
        "phone": settings.phone,
        "phone_hours": settings.phone_hours,
        "feedback_url": settings.feedback_url,
        "accessibility_page": "",
        "privacy_page": "",
        "contact_page": "",
        "help_page": "",
    }
    return data | changes


@pytest.mark.parametrize("role", ["Content editor", "Guidance approvers"])
def test_those_who_keep_the_guidance_change_the_councils_phone_number_and_it_shows_at_once(
    client, home_page, role, django_capture_on_commit_callbacks
):
    faq = FAQPageFactory(parent=home_page, slug="questions", questions=[question("Who do I call?")])
    faq.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    settings = PortalSettings.for_site(site)
    url = f"/admin/settings/cms/portalsettings/{site.pk}/"
    person = staff_in_group(role)
    editor = verified_login(client, person)
    assert Client().get(faq.url).status_code == 200  # kept by the page cache

    assert editor.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        saved = editor.post(
            url, _settings_form(settings, phone="01632 960 123", phone_hours="Monday to Thursday, 9am to 4pm")
        )

    assert saved.status_code == 302
    page = Client().get(faq.url).content.decode()
    assert "01632 960 123" in page and "Monday to Thursday, 9am to 4pm" in page
    # No approval step for settings: who changed them is in the site history.
    assert ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PortalSettings), action="wagtail.edit", user=person
    ).exists()


@pytest.mark.parametrize("role", ["SEND caseworker", "Form designer", "Portal administrator"])
def test_other_staff_roles_cannot_change_the_portal_settings(client, home_page, role):
    site = Site.objects.get(is_default_site=True)
    settings = PortalSettings.for_site(site)
    url = f"/admin/settings/cms/portalsettings/{site.pk}/"
    staff = verified_login(client, staff_in_group(role))

    staff.post(url, _settings_form(settings, phone="01632 960 999"))

    assert PortalSettings.objects.get(site=site).phone != "01632 960 999"


def test_groups_made_before_the_change_are_given_the_permission_by_the_migration():
    permission = Permission.objects.get(content_type__app_label="cms", codename="change_portalsettings")
    editors, approvers = Group.objects.get(name="Content editor"), Group.objects.get(name="Guidance approvers")
    editors.permissions.remove(permission)
    approvers.permissions.remove(permission)

    portal_settings_editors_ensure(apps)

    assert permission in editors.permissions.all() and permission in approvers.permissions.all()
    assert not Group.objects.get(name="Form designer").permissions.filter(pk=permission.pk).exists()


def test_the_demo_contact_page_shows_the_phone_number_and_hours_from_the_settings(
    client, db, django_capture_on_commit_callbacks
):
    """The contact page's number was typed into its body: a new number in the settings reached the FAQ pages and
    search but a parent on "Contact the SEND service" still read the old one. Its "Contact details" block shows
    the settings' own."""
    call_command("load_demo_content", stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    settings = PortalSettings.for_site(site)
    contact_url = settings.contact_page.url
    before = Client().get(contact_url).content.decode()  # kept by the page cache
    assert settings.phone in before and settings.support_email in before and settings.ict_email in before
    editor = verified_login(client, staff_in_group("Content editor"))

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            f"/admin/settings/cms/portalsettings/{site.pk}/",
            _settings_form(
                settings,
                phone="01632 960 123",
                phone_hours="Monday to Thursday, 9am to 4pm",
                contact_page=str(settings.contact_page.pk),
            ),
        )

    page = Client().get(contact_url).content.decode()
    assert "01632 960 123" in page and "Monday to Thursday, 9am to 4pm" in page
    assert "01632 960 000" not in page


def test_each_contact_field_says_where_it_shows():
    for name in ("support_email", "ict_email", "phone", "phone_hours"):
        help_text = str(PortalSettings._meta.get_field(name).help_text)
        assert "Shown" in help_text and "contact page" in help_text.replace("“Contact details”", "contact page"), name


# Where the portal's emails send people (a stolen account is reported to support_email), its name in every email and
# subject, its logo and its links: a save is live at once, so only superusers change them.
SUPERUSER_ONLY_CHANGES = {
    "council_name": "Elsewhere council",
    "service_name": "Elsewhere service",
    "support_email": "help@elsewhere.example",
    "ict_email": "ict@elsewhere.example",
    "feedback_url": "https://elsewhere.example/feedback",
}


def _kestrelford_settings(home_page):
    site = Site.objects.get(is_default_site=True)
    settings = PortalSettings.for_site(site)
    settings.council_name = "Kestrelford Council"
    settings.service_name = "Kestrelford SEND Portal"
    settings.support_email = "send@kestrelford.example"
    settings.ict_email = "ict@kestrelford.example"
    settings.feedback_url = "https://kestrelford.example/feedback"
    settings.contact_page = home_page
    settings.save()
    return site, settings


@pytest.mark.parametrize("role", ["Content editor", "Guidance approvers"])
def test_editors_change_the_phone_number_but_a_crafted_post_changes_nothing_else(client, home_page, role):
    """An editor's account, careless or taken over, could send the reports of stolen accounts to an outside address:
    the emails and links are not in an editor's form, and posting them anyway leaves them as they were."""
    site, settings = _kestrelford_settings(home_page)
    url = f"/admin/settings/cms/portalsettings/{site.pk}/"
    editor = verified_login(client, staff_in_group(role))

    form = editor.get(url).content.decode()
    saved = editor.post(url, _settings_form(settings, phone="01632 960 123", contact_page="", **SUPERUSER_ONLY_CHANGES))

    assert 'name="phone"' in form and 'name="phone_hours"' in form
    for name in [*SUPERUSER_ONLY_CHANGES, "logo", "accessibility_page", "privacy_page", "contact_page", "help_page"]:
        assert f'name="{name}"' not in form, name
    assert "changed by a superuser only" in form
    assert saved.status_code == 302
    now = PortalSettings.objects.get(site=site)
    assert now.phone == "01632 960 123"
    for name in SUPERUSER_ONLY_CHANGES:
        assert getattr(now, name) == getattr(settings, name), name
    assert now.contact_page_id == home_page.pk


def test_a_superuser_changes_the_support_email_and_the_other_fields(verified_admin_client, home_page):
    site, settings = _kestrelford_settings(home_page)

    saved = verified_admin_client.post(
        f"/admin/settings/cms/portalsettings/{site.pk}/", _settings_form(settings, **SUPERUSER_ONLY_CHANGES)
    )

    assert saved.status_code == 302
    now = PortalSettings.objects.get(site=site)
    for name, value in SUPERUSER_ONLY_CHANGES.items():
        assert getattr(now, name) == value, name


@pytest.mark.parametrize("name", ["council_name", "service_name", "phone_hours"])
@pytest.mark.parametrize("hidden", ["\x07", "\x00", "\u202e"])
def test_a_name_with_a_character_that_cannot_be_seen_is_refused_beside_the_field(
    verified_admin_client, home_page, name, hidden
):
    """The names go into emails' subjects: a control character there is garbage or a forged header. The phone's
    hours are one line too."""
    site, settings = _kestrelford_settings(home_page)

    response = verified_admin_client.post(
        f"/admin/settings/cms/portalsettings/{site.pk}/", _settings_form(settings, **{name: f"Kestrel{hidden}ford"})
    )

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    beside = page.select_one(f"#id_{name}").find_parent(attrs={"data-field-wrapper": True})
    errors = " ".join(beside.select_one(".error-message").get_text().split())
    assert errors.startswith("Type the text again") or errors.startswith("Remove the hidden text-direction")
    assert getattr(PortalSettings.objects.get(site=site), name) == getattr(settings, name)


def test_a_line_break_in_the_service_name_is_kept_as_a_space_so_every_email_can_still_be_sent(
    verified_admin_client, home_page
):
    """A line break in an email's subject raised BadHeaderError for every email naming the service."""
    site, settings = _kestrelford_settings(home_page)

    verified_admin_client.post(
        f"/admin/settings/cms/portalsettings/{site.pk}/",
        _settings_form(settings, service_name="Kestrelford\r\nSEND Portal", council_name="Kestrelford\nCouncil"),
    )

    now = PortalSettings.objects.get(site=site)
    assert (now.service_name, now.council_name) == ("Kestrelford SEND Portal", "Kestrelford Council")


# A tab, a NUL, a line break, a text direction override, a zero-width space, a soft hyphen: control (Cc) and format
# (Cf) characters, which nobody reading the number can see.
UNSEEN_IN_PHONE = ["\t", "\x00", "\n", "\r\n", "\u202e", "\u200b", "\u00ad"]


@pytest.mark.parametrize("hidden", UNSEEN_IN_PHONE)
def test_a_phone_number_with_a_character_that_cannot_be_seen_is_refused_beside_the_field(client, home_page, hidden):
    """The number is shown on every FAQ page, the error pages and in emails: it was stored with whatever was in it."""
    site, settings = _kestrelford_settings(home_page)
    editor = verified_login(client, staff_in_group("Content editor"))

    response = editor.post(
        f"/admin/settings/cms/portalsettings/{site.pk}/", _settings_form(settings, phone=f"01632 960{hidden} 123")
    )

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    beside = page.select_one("#id_phone").find_parent(attrs={"data-field-wrapper": True})
    assert " ".join(beside.select_one(".error-message").get_text().split()) == PHONE_FORMAT_ERROR
    assert PortalSettings.objects.get(site=site).phone == settings.phone


@pytest.mark.parametrize("phone", ["ring the office", "123", "01632 960 001; drop", "0800-CALL-SEND"])
def test_a_phone_number_the_portals_phone_fields_refuse_is_refused_beside_the_field(client, home_page, phone):
    """Portal settings' number is the one parents and professionals are told to ring: it took any text without a
    character that cannot be seen, while every phone field of the portal refuses what is not a telephone number."""
    site, settings = _kestrelford_settings(home_page)
    editor = verified_login(client, staff_in_group("Content editor"))
    with pytest.raises(ValidationError):
        PhoneField(required=False, max_length=40).clean(phone)

    response = editor.post(f"/admin/settings/cms/portalsettings/{site.pk}/", _settings_form(settings, phone=phone))

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    beside = page.select_one("#id_phone").find_parent(attrs={"data-field-wrapper": True})
    assert " ".join(beside.select_one(".error-message").get_text().split()) == PHONE_FORMAT_ERROR
    assert PortalSettings.objects.get(site=site).phone == settings.phone


@pytest.mark.parametrize("phone", ["01632 960 001", "+44 808 157 0192", "(01632) 960-001 ext. 12"])
def test_a_phone_number_the_portals_phone_fields_take_is_saved(client, home_page, phone):
    site, settings = _kestrelford_settings(home_page)
    editor = verified_login(client, staff_in_group("Content editor"))

    editor.post(f"/admin/settings/cms/portalsettings/{site.pk}/", _settings_form(settings, phone=phone))

    assert PortalSettings.objects.get(site=site).phone == phone
