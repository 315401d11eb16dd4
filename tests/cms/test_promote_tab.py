"""The Promote tab of every guidance page in plain words: Wagtail's "Slug", "Title tag" and "Meta description" said
nothing to a council's editor."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

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
