"""The admin's search for a caseworker, who has no pages to search: the dashboard's box and the sidebar's find child
records (advice_forms.admin.casework.ChildRecordSearchArea, cms.admin_search); a guidance editor's still find pages."""

import json

from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories.accounts import verified_login
from tests.factories.advice_forms import ChildRecordFactory


def _dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _dashboard_search(page):
    form = page.select_one("main form[role=search]")
    return None if form is None else (form["action"], form.select_one("input[name=q]")["placeholder"])


def _sidebar_search_url(page):
    props = json.loads(page.select_one("#wagtail-sidebar-props").string)
    modules = [module for module in props["modules"] if module["_type"] == "wagtail.sidebar.SearchModule"]
    return modules[0]["_args"][0] if modules else None


def test_a_caseworkers_dashboard_and_sidebar_search_find_child_records(caseworker_client):
    """The dashboard's "Search all pages…" answered every caseworker's search with "Sorry, you do not have permission
    to access this area."."""
    found = ChildRecordFactory(first_name="Zephyrine", last_name="Quillbrook")
    ChildRecordFactory(first_name="Other", last_name="Child")
    page = _dashboard(caseworker_client)
    records = reverse("child_records:index")

    assert _dashboard_search(page) == (records, "Search child records…")
    assert _sidebar_search_url(page) == records
    response = caseworker_client.get(records, {"q": "Zephyrine Quillbrook"})
    assert response.status_code == 200
    listed = response.content.decode()
    assert reverse("child_records:inspect", args=[found.pk]) in listed and "Other" not in listed


def test_a_content_editors_dashboard_search_still_searches_pages(client, home_page, role_groups, content_editor):
    page = _dashboard(verified_login(client, content_editor))

    action, placeholder = _dashboard_search(page)
    assert action.startswith("/admin/pages/") and placeholder == "Search all pages…"
    assert _sidebar_search_url(page) == reverse("wagtailadmin_pages:search")
    assert "child records" not in page.get_text().lower()


def test_staff_with_no_search_area_get_no_dashboard_search(administrator_client):
    """A portal administrator may search neither pages nor child records: no box that only leads to a refusal."""
    page = _dashboard(administrator_client)

    assert _dashboard_search(page) is None
