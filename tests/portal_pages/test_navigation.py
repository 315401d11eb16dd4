"""The service navigation: the same links for the same person on every page, the current one marked, Messages with
its unread count, and a Menu toggle for phones."""

import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from cms.models import PortalSettings
from portal_pages.models import InboxMessage
from tests.factories.cms import HelpPageFactory, published


def _navigation(response):
    html = response.content.decode()
    nav = re.search(r'<nav aria-label="Menu" class="govuk-service-navigation__wrapper">(.*?)</nav>', html, re.S)
    assert nav, "no service navigation"
    return nav.group(1)


def _items(nav):
    """(label, href, aria-current) of each link."""
    return [
        (re.sub(r"<[^>]+>", "", label).strip(), href, current)
        for href, current, label in re.findall(
            r'<a class="govuk-service-navigation__link" href="([^"]+)"(?: aria-current="(\w+)")?>(.*?)</a>', nav, re.S
        )
    ]


def test_a_visitor_sees_sign_in_and_register_on_guidance_and_portal_pages_alike(client, home_page):
    on_home = _items(_navigation(client.get("/")))
    on_sign_in = _items(_navigation(client.get("/portal/sign-in/")))

    assert on_home == [("Sign in", "/portal/sign-in/", ""), ("Register", "/portal/register/", "")]
    assert on_sign_in == [("Sign in", "/portal/sign-in/", "page"), ("Register", "/portal/register/", "")]


def test_a_signed_in_professional_sees_one_set_of_links_with_the_current_page_marked(verified_client, professional):
    InboxMessage.objects.create(account=professional, subject="New request", body="A form is waiting", event_key="n:1")
    InboxMessage.objects.create(account=professional, subject="Reminder", body="Due soon", event_key="n:2")

    dashboard = _items(_navigation(verified_client.get("/portal/")))
    guidance = _items(_navigation(verified_client.get("/")))
    inbox = _items(_navigation(verified_client.get("/portal/inbox/")))

    expected = [
        ("Your dashboard", "/portal/"),
        ("Messages (2 unread)", "/portal/inbox/"),
        ("Sign-in devices", "/portal/two-factor/"),
        ("Sign out", "/portal/sign-out/"),
    ]
    assert [item[:2] for item in dashboard] == [item[:2] for item in guidance] == [item[:2] for item in inbox]
    assert [item[:2] for item in dashboard] == expected
    assert [item[2] for item in dashboard] == ["page", "", "", ""]
    assert [item[2] for item in guidance] == ["", "", "", ""]
    assert [item[2] for item in inbox] == ["", "page", "", ""]


def test_a_page_inside_a_section_marks_its_item_as_current_section(verified_client, professional):
    message = InboxMessage.objects.create(account=professional, subject="New", body="Body", event_key="n:3")

    items = _items(_navigation(verified_client.get(f"/portal/inbox/{message.pk}/")))

    # Reading the message marked it read: the count has gone.
    assert ("Messages", "/portal/inbox/", "true") in items


def test_the_navigation_has_a_menu_toggle_for_phones_and_marks_the_current_item_for_forced_colours(verified_client):
    nav = _navigation(verified_client.get("/portal/"))

    toggle = 'class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation"'
    assert toggle in nav
    assert 'id="navigation"' in nav
    assert '<strong class="govuk-service-navigation__active-fallback">Your dashboard</strong>' in nav


def test_staff_on_the_public_site_see_the_staff_admin_link(verified_admin_client, home_page):
    items = _items(_navigation(verified_admin_client.get("/")))

    assert items == [("Staff admin", "/admin/", "")]


@pytest.fixture
def help_section(home_page):
    """The help and guidance section, named in Portal settings as the demo names it."""
    section = published(HelpPageFactory(parent=home_page, title="Help and guidance", slug="help"))
    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.help_page = section
    site_settings.save()
    return section


def test_a_parent_on_a_phone_finds_help_and_guidance_in_the_menu_on_every_page(client, help_section):
    """The menu a phone shows held only Sign in and Register: a parent looking for guidance found nothing there."""
    guide = published(HelpPageFactory(parent=help_section, title="Asking for an assessment", slug="asking"))

    on_home = _items(_navigation(client.get("/")))
    on_section = _items(_navigation(client.get(help_section.url)))
    on_guide = _items(_navigation(client.get(guide.url)))
    on_sign_in = _items(_navigation(client.get("/portal/sign-in/")))

    assert on_home == [
        ("Help and guidance", "/help/", ""),
        ("Sign in", "/portal/sign-in/", ""),
        ("Register", "/portal/register/", ""),
    ]
    assert on_section[0] == ("Help and guidance", "/help/", "page")
    assert on_guide[0] == ("Help and guidance", "/help/", "true")
    assert on_sign_in[0] == ("Help and guidance", "/help/", "")


def test_signed_in_people_find_help_and_guidance_before_signing_out(verified_client, help_section):
    items = [label for label, _href, _current in _items(_navigation(verified_client.get("/portal/")))]

    assert items == ["Your dashboard", "Messages", "Sign-in devices", "Help and guidance", "Sign out"]


def test_an_unpublished_help_section_is_not_in_the_menu(client, help_section):
    help_section.unpublish()

    assert [label for label, _href, _current in _items(_navigation(client.get("/")))] == ["Sign in", "Register"]


def test_a_help_section_for_signed_in_people_is_not_offered_to_a_visitor(verified_client, help_section):
    """A section restricted to signed-in people was in every visitor's menu, leading to a sign-in page."""
    PageViewRestriction.objects.create(page=help_section, restriction_type=PageViewRestriction.LOGIN)

    assert [label for label, _href, _current in _items(_navigation(Client().get("/portal/sign-in/")))] == [
        "Sign in",
        "Register",
    ]
    signed_in = [label for label, _href, _current in _items(_navigation(verified_client.get("/portal/")))]
    assert "Help and guidance" in signed_in


def test_a_help_section_that_is_the_home_page_is_marked_only_on_the_home_page(client, home_page, help_section):
    """Every address starts with "/": each page marked the home page as its current section."""
    site_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.help_page = home_page
    site_settings.save()

    assert _items(_navigation(client.get("/")))[0] == ("Help and guidance", "/", "page")
    assert _items(_navigation(client.get(help_section.url)))[0] == ("Help and guidance", "/", "")
    assert _items(_navigation(client.get("/portal/sign-in/")))[0] == ("Help and guidance", "/", "")
