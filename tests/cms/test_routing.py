"""Wagtail's routing kept in the shared page cache (cms/routing.py): an address leads where the tree says at once
after every change that can move it."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from cms.models import HelpPage
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory

pytestmark = pytest.mark.django_db


def _published(factory=HelpPageFactory, **fields):
    page = factory(**fields)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _get(path):
    """As a browser with a cookie of its own gets it: rendered each time, never from the page cache."""
    client = Client()
    client.cookies["messages"] = "any"
    return client.get(path)


def _title(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().split("<h1", 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


@pytest.fixture
def help_section(home_page):
    return _published(parent=home_page, title="Help", slug="help")


def test_a_kept_route_follows_a_new_slug_a_move_an_unpublish_and_a_deletion(home_page, help_section, shared_page_cache):
    signing_in = _published(parent=help_section, title="Signing in", slug="signing-in")
    assert _title(_get("/help/signing-in/")) == _title(_get("/help/signing-in/")) == "Signing in"

    signing_in.slug = "sign-in"
    signing_in.save_revision().publish()
    assert _get("/help/signing-in/").status_code == 404
    assert _title(_get("/help/sign-in/")) == "Signing in"

    parents = _published(parent=home_page, title="For parents", slug="parents")
    HelpPage.objects.get(pk=signing_in.pk).move(parents, pos="last-child")
    moved = _get("/help/sign-in/")  # Wagtail's redirect from the old address
    assert moved.status_code == 301 and moved["Location"] == "/parents/sign-in/"
    assert _title(_get("/parents/sign-in/")) == "Signing in"

    HelpPage.objects.get(pk=signing_in.pk).unpublish()
    assert _get("/parents/sign-in/").status_code == 404

    uploads = _published(parent=help_section, title="Uploads", slug="uploads")
    assert _get("/help/uploads/").status_code == 200
    uploads.delete()
    assert _get("/help/uploads/").status_code == 404


def test_a_kept_route_shows_each_publish_and_still_asks_for_sign_in_on_a_page_made_private(
    help_section, shared_page_cache
):
    page = _published(parent=help_section, title="Signing in", slug="signing-in")
    assert _title(_get("/help/signing-in/")) == "Signing in"

    page.title = "How to sign in"
    page.save_revision().publish()
    assert _title(_get("/help/signing-in/")) == "How to sign in"

    PageViewRestriction.objects.create(page=help_section, restriction_type=PageViewRestriction.LOGIN)
    response = _get("/help/signing-in/")
    assert response.status_code == 302 and "next=/help/signing-in/" in response["Location"]


def test_a_kept_route_follows_the_sites_new_root(home_page, help_section, shared_page_cache):
    _published(parent=help_section, title="Signing in", slug="signing-in")
    assert _get("/help/signing-in/").status_code == 200

    site = Site.objects.get()
    site.root_page = help_section
    site.save()
    assert _get("/help/signing-in/").status_code == 404
    assert _title(_get("/signing-in/")) == "Signing in"


def test_a_pages_own_routes_are_served_as_before_and_a_missing_page_is_not_found(help_section, shared_page_cache):
    _published(FAQPageFactory, parent=help_section, title="Questions", slug="faqs")
    for _ in range(2):
        assert _title(_get("/help/faqs/")) == "Questions"
        assert _get("/help/faqs/printable/").status_code in (200, 202)  # the PDF, or "being prepared"
        assert _get("/help/faqs/nothing-here/").status_code == 404
        assert _get("/help/nothing-here/").status_code == 404
