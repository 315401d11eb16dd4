"""robots.txt and sitemap.xml: search engines read the public guidance and are kept out of the rest; the sitemap
lists only live pages without a view restriction, each as a whole address on the site's public address."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory
from tests.factories.cms import HelpPageFactory, published
from tests.otp import sign_in

pytestmark = pytest.mark.django_db

PUBLIC = "https://send.testshire.example.org"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC + "/"


def _listed(client=None):
    response = (client or Client()).get("/sitemap.xml")
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml") and b"http://www.sitemaps.org/schemas/sitemap/0.9" in response.content
    return [loc.get_text() for loc in BeautifulSoup(response.content, "html.parser").select("url > loc")]


def test_robots_txt_allows_the_guidance_keeps_out_the_rest_and_names_the_sitemap(home_page):
    response = Client().get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in ("/portal/", "/admin/", "/_util/", "/documents/"):
        assert f"Disallow: {path}" in lines
    assert lines[-1] == f"Sitemap: {PUBLIC}/sitemap.xml"


def test_the_sitemap_lists_live_public_pages_only_on_the_public_address(home_page):
    guidance = published(HelpPageFactory(parent=home_page, title="How to register", slug="how-to-register"))
    HelpPageFactory(parent=home_page, slug="draft", live=False)
    signed_in_only = published(HelpPageFactory(parent=home_page, slug="staff-notes"))
    PageViewRestriction.objects.create(page=signed_in_only, restriction_type=PageViewRestriction.LOGIN)
    published(HelpPageFactory(parent=signed_in_only, slug="under-restriction"))
    by_password = published(HelpPageFactory(parent=home_page, slug="by-password"))
    PageViewRestriction.objects.create(page=by_password, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for_a_group = published(HelpPageFactory(parent=home_page, slug="for-a-group"))
    restriction = PageViewRestriction.objects.create(page=for_a_group, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Readers"))

    assert _listed() == [f"{PUBLIC}/", f"{PUBLIC}/{guidance.slug}/"]


def test_a_page_published_after_the_sitemap_was_read_is_listed_at_once(home_page, django_capture_on_commit_callbacks):
    Client().get("/")  # the page cache now keeps the home page
    assert _listed() == [f"{PUBLIC}/"]

    with django_capture_on_commit_callbacks(execute=True):
        new = published(HelpPageFactory(parent=home_page, slug="new-guidance"))
    again = Client().get("/sitemap.xml")

    assert again["X-Wagtail-Cache"] == "skip"
    assert _listed() == [f"{PUBLIC}/", f"{PUBLIC}/{new.slug}/"]


def test_a_signed_in_professional_gets_the_same_robots_txt_and_sitemap(home_page, client):
    professional = ProfessionalFactory()
    TOTPDeviceFactory(user=professional)
    sign_in(client, professional)

    assert client.get("/robots.txt").content == Client().get("/robots.txt").content
    assert _listed(client) == _listed()
