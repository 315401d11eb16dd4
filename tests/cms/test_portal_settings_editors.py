"""Content editors and guidance approvers change the council's contacts (Portal settings) themselves: a new phone
number or opening hours shows on the site at once, with no superuser asked. Other staff roles are refused."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from wagtail.models import ModelLogEntry, Site

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
