"""No id is used twice on a public page: a skip link, a label or aria-labelledby that names an id used twice reaches
the first element with it, which may be the wrong one (the guidance navigation's heading once shared "navigation"
with the service navigation's menu, which the menu button controls). axe's duplicate-id rules are no help here:
two are off by default (WCAG 4.1.1 is obsolete) and the third only asks for a review, which the axe checks ignore."""

from collections import Counter

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.test import Client

from faq.blocks import RESERVED_ANCHORS
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_pages(home_page):
    """The kinds of public page a parent meets, each in a section with other pages so the section navigation shows:
    the home page, a help section and its pages, an FAQ page, a visual guide and search."""
    help_section = published(HelpPageFactory(parent=home_page, title="Help and guidance", slug="help"))
    help_page = published(HelpPageFactory(parent=help_section, title="Parents' and carers' views", slug="views"))
    questions = [question("How do I sign in?"), question("Section navigation")]
    faqs = published(FAQPageFactory(parent=help_section, slug="faqs", questions=questions, show_in_menus=True))
    guide = published(
        VisualGuidePageFactory(
            parent=help_section, slug="guide", steps=[step("Sign in", wagtail_factories.ImageFactory())]
        )
    )
    return ["/", help_section.url, help_page.url, faqs.url, guide.url, "/search/", "/search/?q=sign"]


def test_no_id_is_used_twice_on_any_public_page(public_pages):
    repeated = {}
    for path in public_pages:
        response = Client().get(path)
        assert response.status_code == 200, path
        ids = Counter(tag["id"] for tag in BeautifulSoup(response.content, "html.parser").find_all(id=True))
        if twice := sorted(name for name, count in ids.items() if count > 1):
            repeated[path] = twice

    assert repeated == {}


def test_the_guidance_navigation_is_named_by_its_own_heading(public_pages):
    soup = BeautifulSoup(Client().get(public_pages[2]).content, "html.parser")

    nav = soup.select_one("nav.portal-section-nav")
    heading = soup.find(id=nav["aria-labelledby"])
    assert heading.parent is nav and heading.get_text(strip=True) == "Help and guidance"
    # The service navigation's menu button still controls its menu.
    toggle = soup.select_one(".govuk-service-navigation__toggle")
    if toggle:
        assert soup.find(id=toggle["aria-controls"]).name == "ul"


def test_every_id_of_the_faq_page_other_than_its_answers_is_one_an_answers_anchor_may_not_take(public_pages):
    """An answer's anchor (typed, or made from its question) is an id on the page: each id the page uses itself is
    reserved, so no anchor takes one (a question "Section navigation" gets "section-navigation-2")."""
    soup = BeautifulSoup(Client().get(public_pages[3]).content, "html.parser")
    answers = {heading["id"] for heading in soup.select(".portal-faq-answer [id]")}

    assert {tag["id"] for tag in soup.find_all(id=True)} - answers - set(RESERVED_ANCHORS) == set()
    assert "section-navigation-2" in answers
