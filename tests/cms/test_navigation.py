"""Navigation that follows the tree and the pages' topics: section navigation and related content, with the
editor's own links first and the pages they hid left out; "Show in menus" decides what a section lists."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import HelpPage
from cms.navigation import guidance_navigation
from tests.cms.guidance_admin import help_page_form
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory

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
    _published(parent=help_section, title="Uploads", slug="uploads")
    faq = _published(
        FAQPageFactory,
        parent=help_section,
        title="Questions",
        # The same path on another site: that page, not this site's, so "Uploads" is still listed.
        related_links=[("link", {"title": "Council SEND pages", "url": "https://www.example.org/help/uploads/"})],
    )

    assert _related(_soup(faq)) == ["Council SEND pages", "Uploads"]


@pytest.mark.parametrize("address", ["http://localhost/help/uploads/", "http://LOCALHOST/help/uploads"])
def test_an_outside_link_to_a_page_of_this_site_is_not_listed_again_by_the_automatic_ones(sections, address):
    """An editor who pasted a page's full address as an "Outside link" saw that page twice under Related content."""
    help_section, _parents = sections
    _published(parent=help_section, title="Uploads", slug="uploads")
    _published(parent=help_section, title="Signing in", slug="signing-in")
    faq = _published(
        FAQPageFactory,
        parent=help_section,
        title="Questions",
        related_links=[("link", {"title": "How to upload", "url": address})],
    )

    assert _related(_soup(faq)) == ["How to upload", "Signing in"]


def _faq_linking_to(help_section, address):
    _published(parent=help_section, title="Uploads", slug="uploads")
    _published(parent=help_section, title="Signing in", slug="signing-in")
    return _published(
        FAQPageFactory,
        parent=help_section,
        title="Questions",
        related_links=[("link", {"title": "How to upload", "url": address})],
    )


def test_an_outside_link_at_the_portals_public_address_is_not_listed_again(sections, settings):
    """The default site is left as "localhost" (the demo's), so a page's real address, as an editor copies it from
    the browser, never matched a Site's host name: the page was listed twice."""
    settings.WAGTAILADMIN_BASE_URL = "https://send.testshire.example.org"
    help_section, _parents = sections
    faq = _faq_linking_to(help_section, "https://send.testshire.example.org/help/uploads/")

    assert _related(_soup(faq)) == ["How to upload", "Signing in"]


def test_an_outside_link_at_the_host_the_page_is_read_at_is_not_listed_again(sections, settings):
    help_section, _parents = sections
    faq = _faq_linking_to(help_section, "http://127.0.0.1:8000/help/uploads/")

    response = Client().get(faq.url, HTTP_HOST="127.0.0.1:8000")

    assert _related(BeautifulSoup(response.content, "html.parser")) == ["How to upload", "Signing in"]
    # Read at another host, that address is no page of the portal's (the public address is elsewhere too).
    assert _related(_soup(faq)) == ["How to upload", "Uploads", "Signing in"]


def test_an_outside_link_at_the_ipv6_host_the_page_is_read_at_is_not_listed_again(sections, settings):
    """The request's host keeps an IPv6 address's brackets ("[::1]"), a link's host name loses them: never matched."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "[::1]"]
    help_section, _parents = sections
    faq = _faq_linking_to(help_section, "http://[::1]:8000/help/uploads/")

    response = Client().get(faq.url, HTTP_HOST="[::1]:8000")

    assert response.status_code == 200
    assert _related(BeautifulSoup(response.content, "html.parser")) == ["How to upload", "Signing in"]


def test_navigation_kept_in_the_page_cache_is_kept_for_each_host_it_was_read_at(sections, rf, shared_page_cache):
    """What an outside link names depends on the host the page is read at, so one host's navigation is not
    another's."""
    help_section, _parents = sections
    faq = _faq_linking_to(help_section, "http://127.0.0.1:8000/help/uploads/")

    def related(host):
        return [link["title"] for link in guidance_navigation(faq, rf.get(faq.url, HTTP_HOST=host))["related"]]

    assert related("127.0.0.1:8000") == ["How to upload", "Signing in"]
    assert related("testserver") == ["How to upload", "Uploads", "Signing in"]
    assert related("127.0.0.1:8000") == ["How to upload", "Signing in"]


def test_an_outside_link_to_another_port_of_the_sites_host_is_not_this_sites_page(sections, settings):
    """Sites were matched by host name alone: a link to a page served at localhost:8080 (another site, or nothing
    of ours) hid this site's page of the same path."""
    settings.WAGTAILADMIN_BASE_URL = "https://send.testshire.example.org"
    help_section, _parents = sections
    faq = _faq_linking_to(help_section, "http://localhost:8080/help/uploads/")

    assert _related(_soup(faq)) == ["How to upload", "Uploads", "Signing in"]


def test_show_in_menus_is_honoured_by_the_section_listing_and_navigation(sections):
    help_section, _parents = sections
    shown = _published(parent=help_section, title="Signing in")
    _published(parent=help_section, title="Only by link", show_in_menus=False)

    assert HelpPage(title="x").show_in_menus is True  # new guidance pages are shown unless the editor says not
    assert _section_nav(_soup(shown)) == ["Signing in"]
    listing = [a.get_text(strip=True) for a in _soup(help_section).select(".portal-section-list a")]
    assert listing == ["Signing in"]


def _kept_out_of_the_page_cache(page):
    """The page as a browser with a cookie of its own gets it: rendered each time, never served from the page cache
    (a signed-in professional reading guidance, or anyone after a message was flashed)."""
    client = Client()
    client.cookies["messages"] = "any"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200 and response["X-Wagtail-Cache"] == "skip"
    return BeautifulSoup(response.content, "html.parser"), len(queries)


def test_navigation_is_kept_between_renders_and_follows_each_publish_unpublish_and_privacy_change(
    sections, shared_page_cache
):
    """Every render worked the section navigation and related content out again (5 of the FAQ page's 17 queries,
    a third of its server time); kept in the shared page cache, they change with the change that empties it."""
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in")
    uploads = _published(parent=help_section, title="Uploads")

    soup, first = _kept_out_of_the_page_cache(signing_in)
    assert _section_nav(soup) == ["Signing in", "Uploads"] and _related(soup) == ["Uploads"]
    soup, again = _kept_out_of_the_page_cache(signing_in)
    assert _section_nav(soup) == ["Signing in", "Uploads"] and _related(soup) == ["Uploads"]
    assert again <= first - 4

    inbox = _published(parent=help_section, title="Your inbox")
    soup, _ = _kept_out_of_the_page_cache(signing_in)
    assert _section_nav(soup) == ["Signing in", "Uploads", "Your inbox"]
    assert _related(soup) == ["Uploads", "Your inbox"]
    assert soup.select_one(".portal-section-nav a[href='/help/your-inbox/']") is not None

    uploads.unpublish()
    inbox.title = "Messages"
    inbox.save_revision().publish()
    soup, _ = _kept_out_of_the_page_cache(signing_in)
    assert _section_nav(soup) == ["Signing in", "Messages"] and _related(soup) == ["Messages"]

    PageViewRestriction.objects.create(page=inbox, restriction_type=PageViewRestriction.LOGIN)
    soup, _ = _kept_out_of_the_page_cache(signing_in)
    assert _section_nav(soup) == ["Signing in"] and _related(soup) == []


def test_a_preview_and_an_editor_get_navigation_worked_out_afresh_never_the_kept_one(sections, rf, shared_page_cache):
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in")
    gone = _published(parent=help_section, title="Old guidance")
    request = rf.get(signing_in.url)
    assert guidance_navigation(signing_in, request)["related"] == [
        {"title": "Old guidance", "url": gone.url, "page_id": gone.pk}
    ]

    draft = signing_in.get_latest_revision_as_object()
    draft.hidden_related = [("page", gone)]
    request.is_preview = True
    assert guidance_navigation(draft, request)["related"] == []

    gone.unpublish()
    signing_in.related_links = [("page", gone)]
    signing_in.save_revision().publish()
    request = rf.get(signing_in.url)
    (note,) = guidance_navigation(signing_in, request, for_editors=True)["related"]
    assert note["missing"] and note["page"].pk == gone.pk
    assert guidance_navigation(signing_in, request)["related"] == []  # the editor's notes were not kept for all


def test_navigation_follows_a_move_and_a_sections_new_slug(sections, shared_page_cache):
    help_section, parents = sections
    signing_in = _published(parent=help_section, title="Signing in")
    inbox = _published(parent=help_section, title="Your inbox", slug="your-inbox")
    soup, _ = _kept_out_of_the_page_cache(signing_in)
    assert soup.select_one(".portal-section-nav a")["href"] == "/help/your-inbox/"

    help_section.slug = "help-and-advice"
    help_section.save_revision().publish()
    soup, _ = _kept_out_of_the_page_cache(HelpPage.objects.get(pk=signing_in.pk))
    assert soup.select_one(".portal-section-nav a")["href"] == "/help-and-advice/your-inbox/"

    inbox.move(parents, pos="last-child")
    soup, _ = _kept_out_of_the_page_cache(HelpPage.objects.get(pk=signing_in.pk))
    assert _section_nav(soup) == ["Signing in"] and _related(soup) == []


def test_with_a_page_cache_in_each_process_navigation_is_worked_out_for_every_render(sections):
    """A publish empties the page cache of its own process only: navigation kept in the others would go on listing
    an unpublished page, or a page made private, for as long as they keep it."""
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in")
    _published(parent=help_section, title="Uploads")

    _soup_first, first = _kept_out_of_the_page_cache(signing_in)
    soup, again = _kept_out_of_the_page_cache(signing_in)

    assert _section_nav(soup) == ["Signing in", "Uploads"]
    assert again >= first - 1  # the navigation's queries made again (one fewer: Wagtail's own per-process look-ups)


def test_a_page_with_neither_section_navigation_nor_related_content_has_no_empty_landmark(sections):
    """A section's top page (/help/) drew an empty "Section navigation and related content" landmark: one more stop
    for a screen reader, to nothing."""
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in")

    assert _soup(help_section).select("aside") == []
    (aside,) = _soup(signing_in).select("aside")
    assert aside["aria-label"] == "Section navigation and related content" and aside.select_one("nav")


def test_related_content_keeps_to_the_pages_for_the_readers_of_the_page(sections):
    """A parents' page listed the professionals' guides of its section (an authenticator app, a new phone) as related
    content: a page for parents and carers lists theirs and everyone's, a professionals' page theirs and everyone's,
    whichever kind of page (help page, FAQ, visual guide) they are; an everyone's page lists them all."""
    help_section, parents_section = sections
    parents_views = _published(
        parent=help_section, title="How parents' views are included", audience="parents", tags=["parents"]
    )
    _published(parent=help_section, title="Setting up an authenticator app", audience="professionals")
    _published(VisualGuidePageFactory, parent=help_section, title="Adding a new phone", audience="professionals")
    _published(FAQPageFactory, parent=help_section, title="Questions for professionals", audience="professionals")
    _published(parent=help_section, title="Contact us")  # for everyone
    _published(parent=parents_section, title="Your child's plan", audience="parents", tags=["parents"])
    _published(parent=parents_section, title="Recording a family's views", audience="professionals", tags=["parents"])

    assert _related(_soup(parents_views)) == ["Your child's plan", "Contact us"]
    assert _related(_soup(HelpPage.objects.get(title="Setting up an authenticator app"))) == [
        "Adding a new phone",
        "Questions for professionals",
        "Contact us",
    ]
    assert "How parents' views are included" in _related(_soup(HelpPage.objects.get(title="Contact us")))


def test_an_editor_says_who_a_page_is_for_on_its_promote_tab(verified_admin_client, sections):
    help_section, _parents = sections
    page = _published(parent=help_section, title="How parents' views are included")
    editor = BeautifulSoup(verified_admin_client.get(f"/admin/pages/{page.pk}/edit/").content, "html.parser")
    assert [radio["value"] for radio in editor.select("input[name=audience]")] == [
        "everyone",
        "parents",
        "professionals",
    ]
    assert editor.select_one("input[name=audience][checked]")["value"] == "everyone"
    help_text = " ".join(editor.select_one("input[name=audience]").find_parent(class_="w-field").stripped_strings)
    assert (  # an everyone's page lists pages for any readers, not only everyone's
        "A page for parents or professionals lists as related content only pages for the same readers or for "
        "everyone. A page for everyone lists pages for any readers."
    ) in help_text

    saved = verified_admin_client.post(f"/admin/pages/{page.pk}/edit/", help_page_form(page, audience="parents"))

    assert saved.status_code == 302
    assert HelpPage.objects.get(pk=page.pk).audience == "parents"


def test_a_section_for_different_readers_lists_its_pages_in_groups_parents_first(sections):
    help_section, _parents = sections
    _published(parent=help_section, title="Signing in", audience="professionals")
    asking = _published(parent=help_section, title="Asking for an assessment", audience="parents")
    _published(parent=help_section, title="Contact us")

    nav = _soup(asking).select_one("nav.portal-section-nav")

    groups = [
        (h3.get_text(strip=True), [li.get_text(strip=True) for li in h3.find_next("ul").select("li")])
        for h3 in nav.select("h3")
    ]
    assert groups == [
        ("For parents and carers", ["Asking for an assessment"]),
        ("For professionals", ["Signing in"]),
        ("For everyone", ["Contact us"]),
    ]


def test_a_section_for_the_same_readers_lists_its_pages_under_no_readers_heading(sections):
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in", audience="professionals")
    _published(parent=help_section, title="Uploads", audience="professionals")

    nav = _soup(signing_in).select_one("nav.portal-section-nav")

    assert nav.select("h3") == [] and _section_nav(_soup(signing_in)) == ["Signing in", "Uploads"]


def test_a_side_list_an_earlier_release_kept_in_the_shared_cache_is_not_read(sections, shared_page_cache):
    help_section, _parents = sections
    signing_in = _published(parent=help_section, title="Signing in", audience="professionals")
    # As the release before the grouping by readers kept it, at its key: a list of items, no groups.
    request = RequestFactory().get(signing_in.url)
    old_key = f"guidance-navigation:{signing_in.get_site().pk}:testserver:{signing_in.pk}"
    caches["pagecache"].set(old_key, {"section": {"title": "Help", "items": []}, "related": []})

    nav = guidance_navigation(signing_in, request)

    assert [item["title"] for group in nav["section"]["groups"] for item in group["items"]] == ["Signing in"]
