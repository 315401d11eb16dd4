"""Editors promote pages for a search (Settings → Promoted search results): shown first in the portal's search.
Content editors and guidance approvers manage them; caseworkers and the other roles do not."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from portal_pages.roles import SEARCH_PROMOTION_PERMISSIONS, portal_settings_editors_ensure
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    made = {
        slug: published(HelpPageFactory(parent=home_page, title=title, slug=slug))
        for slug, title in (
            ("sencos", "Plans for SENCOs: a plan guide"),
            ("uploading", "Uploading a plan"),
            ("parents", "Asking for a plan"),
            ("draft", "Draft plan notes"),
        )
    }
    made["draft"].unpublish()
    call_command("update_index", verbosity=0)
    return made


def _titles(client, query, selector=".portal-search-results h3 a"):
    soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(selector)]


@pytest.mark.parametrize("query", ["plan", "PLAN", "  Plan "])
def test_a_promoted_page_comes_first_and_once_for_its_search_in_any_case(client, pages, query):
    SearchPromotion.objects.create(query=Query.get("plan"), page=pages["parents"], sort_order=0)
    SearchPromotion.objects.create(query=Query.get("plan"), page=pages["draft"], sort_order=1)

    titles = _titles(client, query)

    assert titles[0] == "Asking for a plan" and titles.count("Asking for a plan") == 1
    assert _titles(client, query, ".portal-search-results__item--promoted h3 a") == ["Asking for a plan"]
    assert "Draft plan notes" not in titles  # a promoted page that is not live is not shown
    assert _titles(client, "uploading")[0] == "Uploading a plan"  # other searches are as they were


def test_a_role_group_made_before_promotions_is_given_them_and_caseworkers_are_not(role_groups):
    """portal_pages 0020: content editors and guidance approvers gain the permissions; no other role does."""
    permissions = Permission.objects.filter(content_type__app_label="wagtailsearchpromotions")
    editors = Group.objects.get(name="Content editor")
    editors.permissions.remove(*permissions)

    portal_settings_editors_ensure(apps, SEARCH_PROMOTION_PERMISSIONS)

    for codename in ("add_searchpromotion", "change_searchpromotion", "delete_searchpromotion"):
        holders = Group.objects.filter(permissions__codename=codename).values_list("name", flat=True)
        assert sorted(holders) == ["Content editor", "Guidance approvers"], codename


@pytest.mark.parametrize(("role", "status"), [("Content editor", 200), ("SEND caseworker", 302)])
def test_content_editors_open_promoted_search_results_and_caseworkers_cannot(client, role_groups, role, status):
    editor = verified_login(client, staff_in_group(role))

    assert editor.get("/admin/searchpicks/").status_code == status


def _summary(client, query, page=1):
    soup = BeautifulSoup(client.get("/search/", {"q": query, "page": page}).content, "html.parser")
    heading = soup.select_one("main h2")
    titles = [a.get_text(strip=True) for a in soup.select(".portal-search-results h3 a")]
    return heading.get_text(strip=True) if heading else "", titles, soup.select_one(".portal-search-instead")


def test_a_search_that_matches_no_page_counts_its_promoted_page_as_its_result(client, pages):
    """It read "0 results for “zebra”" above the page it showed."""
    SearchPromotion.objects.create(query=Query.get("zebra"), page=pages["parents"], sort_order=0)

    heading, titles, instead = _summary(client, "zebra")

    assert (heading, titles, instead) == ("1 result for “zebra”", ["Asking for a plan"], None)


def test_the_count_is_of_the_distinct_results_offered_across_the_pages_of_results(client, pages, home_page):
    """A promoted page that also matched was counted once, but listed again on the page of results it fell on, and a
    promoted link was listed but not counted: "12 results" above 13 or 14 entries."""
    for n in range(1, 10):  # with the three live plan pages, 12 pages match "plan"
        published(HelpPageFactory(parent=home_page, title=f"Plan help {n}", slug=f"plan-{n}"))
    call_command("update_index", verbosity=0)
    for order, slug in enumerate(("parents", "sencos")):
        SearchPromotion.objects.create(query=Query.get("plan"), page=pages[slug], sort_order=order)
    SearchPromotion.objects.create(
        query=Query.get("plan"), external_link_url="https://www.gov.uk/", external_link_text="GOV.UK", sort_order=2
    )

    first_heading, first, _ = _summary(client, "plan")
    second_heading, second, _ = _summary(client, "plan", page=2)

    assert first_heading == second_heading == "13 results for “plan”"  # 12 pages and the link
    assert first[:3] == ["Asking for a plan", "Plans for SENCOs: a plan guide", "GOV.UK"]
    assert (len(first), len(second)) == (10, 3)
    assert len(set(first + second)) == 13
