"""A long title: the title box stopped at 255 characters unsaid (its maxlength), and a title that long saved with
"This field is required." on the page's web address (its slug), on the Promote tab, where nobody looked. A web
address left empty is now made from the title; a title over 255 characters is kept and refused beside it."""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.models import HelpPage
from tests.cms.guidance_admin import help_page_form
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

WORDS = "How the council decides whether to carry out an education health and care needs assessment "


def _title(length):
    return (WORDS * 10)[: length - 1] + "s"


def _add(client, parent, title, slug=""):
    data = help_page_form(SimpleNamespace(title=title, slug=slug, intro="What happens."), publish=False)
    return client.post(reverse("wagtailadmin_pages:add", args=["cms", "helppage", parent.pk]), data)


def test_a_255_character_title_with_no_web_address_saves_with_one_made_from_it(verified_admin_client, home_page):
    title = _title(255)
    assert len(title) == 255
    response = _add(verified_admin_client, home_page, title)

    assert response.status_code == 302
    page = HelpPage.objects.get(title=title)
    assert page.slug.startswith("how-the-council-decides-whether-to-carry-out")
    assert len(page.slug) <= 255 and not page.slug.endswith("-")

    # A second page of the same title gets a web address of its own, still within 255 characters.
    assert _add(verified_admin_client, home_page, title).status_code == 302
    slugs = set(HelpPage.objects.filter(title=title).values_list("slug", flat=True))
    assert len(slugs) == 2 and all(len(slug) <= 255 for slug in slugs)


def test_a_web_address_typed_is_kept(verified_admin_client, home_page):
    assert _add(verified_admin_client, home_page, "Transport", slug="getting-to-school").status_code == 302
    assert HelpPage.objects.get(title="Transport").slug == "getting-to-school"


def test_a_title_over_255_characters_is_kept_and_refused_beside_it(verified_admin_client, home_page):
    title = _title(300)
    response = _add(verified_admin_client, home_page, title)

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": ["Title must be 255 characters or fewer"]}
    html = BeautifulSoup(response.content, "html.parser")
    box = html.find(attrs={"name": "title"})
    assert box.get("maxlength") is None  # nothing cut off as it is pasted or typed
    assert box["value"] == title  # kept as typed
    error = html.find(id=box["aria-describedby"].split()[-1])
    assert " ".join(error.get_text().split()) == "Title must be 255 characters or fewer"
    assert not HelpPage.objects.filter(title__startswith="How the council").exists()


def test_a_title_without_letters_or_numbers_asks_for_a_web_address(verified_admin_client, home_page):
    response = _add(verified_admin_client, home_page, "???")
    assert response.context["form"].errors == {
        "slug": ["Enter the page's web address: the title has no letters or numbers to make it from"]
    }


def test_a_draft_with_its_web_address_emptied_gets_one_from_its_title(verified_admin_client, home_page):
    page = HelpPageFactory(parent=home_page, title="School transport", slug="old-address", live=False)
    data = help_page_form(page, publish=False, slug="")
    response = verified_admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert HelpPage.objects.get(pk=page.pk).get_latest_revision_as_object().slug == "school-transport"


@pytest.mark.parametrize("live", [True, False])
def test_a_published_page_with_its_web_address_emptied_keeps_its_address(verified_admin_client, home_page, live):
    """Emptying the box moved a live page to an address made from its title, unsaid: links people saved broke. One
    unpublished since keeps it too, so publishing it again brings it back where it was."""
    page = HelpPageFactory(parent=home_page, title="School transport", slug="old-address")
    published(page)
    if not live:
        page.unpublish()
    data = help_page_form(page, publish=False, slug="")
    response = verified_admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert HelpPage.objects.get(pk=page.pk).get_latest_revision_as_object().slug == "old-address"


def test_a_web_address_made_from_a_title_a_sibling_has_is_numbered_as_wagtail_numbers_them(
    verified_admin_client, home_page
):
    HelpPageFactory(parent=home_page, title="Transport", slug="transport")
    assert _add(verified_admin_client, home_page, "Transport").status_code == 302
    assert _add(verified_admin_client, home_page, "Transport").status_code == 302

    assert set(HelpPage.objects.filter(title="Transport").values_list("slug", flat=True)) == {
        "transport",
        "transport-2",
        "transport-3",
    }
