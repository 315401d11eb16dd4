"""A page published under a section page that is not live (never published, or unpublished since): nothing the public
sees names that section, whose title is the unpublished page's: not the page's breadcrumbs or section navigation, nor
its search result."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

SECTION = "Reorganisation plans"


@pytest.fixture
def under_a_draft(home_page):
    section = HelpPageFactory(parent=home_page, title=SECTION, slug="plans", live=False)
    page = published(HelpPageFactory(parent=section, title="Moderation meetings", slug="meetings"))
    published(HelpPageFactory(parent=section, title="Moderation dates", slug="dates"))
    call_command("update_index", verbosity=0)
    return page


def test_its_search_result_names_no_section(under_a_draft):
    soup = BeautifulSoup(Client().get("/search/", {"q": "moderation"}).content, "html.parser")
    results = soup.select(".portal-search-results__item")
    assert sorted(item.h3.get_text(strip=True) for item in results) == ["Moderation dates", "Moderation meetings"]
    assert SECTION not in soup.get_text()


def test_its_page_names_the_section_neither_in_its_breadcrumbs_nor_its_navigation(under_a_draft):
    response = Client().get(under_a_draft.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".govuk-breadcrumbs__link")] == ["Home"]
    assert SECTION not in soup.get_text()


def test_a_live_section_is_named_as_before(under_a_draft):
    published(under_a_draft.get_parent().specific)
    call_command("update_index", verbosity=0)
    soup = BeautifulSoup(Client().get(under_a_draft.url).content, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select(".govuk-breadcrumbs__link")] == ["Home", SECTION]
    assert soup.select_one(".portal-section-nav h2").get_text(strip=True) == SECTION
    search = BeautifulSoup(Client().get("/search/", {"q": "meetings"}).content, "html.parser")
    assert search.select_one(".portal-search-results__section").get_text(strip=True) == SECTION
