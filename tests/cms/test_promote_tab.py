"""The Promote tab of every guidance page in plain words: Wagtail's "Slug", "Title tag" and "Meta description" said
nothing to a council's editor."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page

from cms.models import HelpPage
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory

pytestmark = pytest.mark.django_db

WORDS = {
    "slug": (
        "Page's web address",
        "Leave it empty to make it from the title (a page already published keeps its address).",
    ),
    "seo_title": ("Title in search results", "Leave it empty to use the page's title."),
    "search_description": ("Summary in search results", "One or two sentences saying what the page is for."),
}


@pytest.mark.parametrize("factory", [HelpPageFactory, FAQPageFactory, VisualGuidePageFactory])
def test_every_guidance_page_s_promote_tab_says_what_each_box_is_for(verified_admin_client, home_page, factory):
    page = factory(parent=home_page)
    html = BeautifulSoup(
        verified_admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content, "html.parser"
    )

    for name, (label, hint) in WORDS.items():
        box = html.find(attrs={"name": name})
        assert " ".join(html.find("label", attrs={"for": box["id"]}).get_text(" ").split()) == label
        helps = [html.find(id=described) for described in box.get("aria-describedby", "").split()]
        assert any(hint in " ".join(found.get_text(" ").split()) for found in helps if found), name
    assert "Slug" not in html.get_text() and "Title tag" not in html.get_text()


def _fields(panel):
    panel = panel.construct() if hasattr(panel, "construct") else panel
    return panel.bind_to_model(HelpPage).get_form_options().get("fields", [])


def test_the_promote_tab_replaces_exactly_wagtails_search_engine_panel():
    """GuidancePageMixin.promote_panels swaps Wagtail's first Promote panel (Page.promote_panels[0]) for its own and
    keeps the rest: were Wagtail to reorder or change them, this fails rather than a box going missing or twice."""
    assert len(Page.promote_panels) == 2
    assert _fields(Page.promote_panels[0]) == ["slug", "seo_title", "search_description"]
    assert _fields(Page.promote_panels[1]) == ["show_in_menus"]
    assert [name for panel in HelpPage.promote_panels for name in _fields(panel)] == [
        "slug",
        "seo_title",
        "search_description",
        "show_in_menus",
        *[name for panel in HelpPage.navigation_panels for name in _fields(panel)],
    ]
