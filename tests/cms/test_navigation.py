"""Navigation that follows the tree and the pages' topics: section navigation and related content, with the
editor's own links first and the pages they hid left out; "Show in menus" decides what a section lists."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from cms.models import HelpPage
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory

pytestmark = pytest.mark.django_db


def _published(factory=HelpPageFactory, tags=(), **fields):
    page = factory(**fields)
    for tag in tags:
        page.tags.add(tag)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _soup(page):
    response = Client().get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _section_nav(soup):
    return [item.get_text(strip=True) for item in soup.select(".portal-section-nav li")]


def _related(soup):
    return [a.get_text(strip=True) for a in soup.select(".portal-related-links a")]


@pytest.fixture
def sections(home_page):
    help_section = _published(parent=home_page, title="Help", slug="help")
    parents = _published(parent=home_page, title="For parents", slug="parents")
    return help_section, parents


def test_a_new_page_appears_in_its_sections_navigation_and_its_siblings_related_content(sections):
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in")
    uploads = _published(parent=help_section, title="Uploads")

    new = _published(parent=help_section, title="Your inbox")

    soup = _soup(signing_in)
    assert _section_nav(soup) == ["Signing in", "Uploads", "Your inbox"]
    assert soup.select_one(".portal-section-nav [aria-current=page]").get_text(strip=True) == "Signing in"
    assert _related(soup) == ["Uploads", "Your inbox"]
    assert "Signing in" in _related(_soup(new)) and uploads.title in _related(_soup(new))


def test_pages_sharing_topics_are_related_across_sections_most_shared_first(sections):
    help_section, parents = sections
    signing_in = _published(parent=help_section, title="Signing in", tags=["sign-in", "parents"])
    _published(parent=help_section, title="Uploads")
    _published(parent=parents, title="Parents' views", tags=["parents"])
    _published(parent=parents, title="Parents signing in", tags=["sign-in", "parents"])

    assert _related(_soup(signing_in)) == ["Parents signing in", "Parents' views", "Uploads"]


def test_editors_add_links_first_and_hide_automatic_ones(sections):
    help_section, parents = sections
    elsewhere = _published(parent=parents, title="Getting help")
    hidden = _published(parent=help_section, title="Old guidance")
    _published(parent=help_section, title="Uploads")
    page = _published(
        parent=help_section,
        title="Signing in",
        related_links=[("page", elsewhere)],
        hidden_related=[("page", hidden)],
    )

    assert _related(_soup(page)) == ["Getting help", "Uploads"]


def test_the_faq_page_lists_its_own_links_then_the_automatic_ones(sections):
    help_section, _parents = sections
    _published(parent=help_section, title="Uploads")
    faq = _published(
        FAQPageFactory,
        parent=help_section,
        title="Questions",
        related_links=[("link", {"title": "Council SEND pages", "url": "https://www.example.org/send"})],
    )

    assert _related(_soup(faq)) == ["Council SEND pages", "Uploads"]


def test_show_in_menus_is_honoured_by_the_section_listing_and_navigation(sections):
    help_section, _parents = sections
    shown = _published(parent=help_section, title="Signing in")
    _published(parent=help_section, title="Only by link", show_in_menus=False)

    assert HelpPage(title="x").show_in_menus is True  # new guidance pages are shown unless the editor says not
    assert _section_nav(_soup(shown)) == ["Signing in"]
    listing = [a.get_text(strip=True) for a in _soup(help_section).select(".portal-section-list a")]
    assert listing == ["Signing in"]
