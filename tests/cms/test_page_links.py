"""Deleting or unpublishing a page that others link to: the confirmation lists them and offers a redirect; their
links never block a publish and show nothing to the public; Reports → Broken links lists every page to mend."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.page_links import files_used, pages_with_broken_links
from portal_pages.roles import GUIDANCE_APPROVERS
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db


def _publish(page, capture):
    with capture(execute=True):  # Wagtail updates its reference index once the change is committed
        page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def pages(home_page, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    old = _publish(HelpPageFactory(parent=home_page, title="Old sign-in guide", slug="old-sign-in"), capture)
    new = _publish(HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in"), capture)
    answer = f'<p>Read <a linktype="page" id="{old.pk}">the sign-in guide</a> first.</p>'
    faq = _publish(
        FAQPageFactory(
            parent=home_page,
            title="Questions",
            slug="faqs",
            questions=[question("How do I sign in?", answer)],
            related_links=[("page", {"page": old, "title": ""})],
        ),
        capture,
    )
    home_page.guidance_links = [("page", old)]
    _publish(home_page, capture)
    return {"old": old, "new": new, "faq": faq, "home": home_page, "capture": capture}


@pytest.fixture
def approver_client(role_groups):
    return verified_login(Client(), staff_in_group(GUIDANCE_APPROVERS))


@pytest.fixture
def editor_client(role_groups):
    return verified_login(Client(), staff_in_group("Content editor"))


def _linking_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    heading = soup.find("h2", string=lambda text: text and "link to this page" in text)
    return heading.get_text(strip=True), [li.get_text(strip=True) for li in heading.find_next("ul").find_all("li")]


def test_the_delete_confirmation_lists_the_linking_pages_and_the_redirect_takes_visitors_on(pages, approver_client):
    old, new = pages["old"], pages["new"]
    delete_url = reverse("wagtailadmin_pages:delete", args=[old.pk])
    confirmation = approver_client.get(delete_url)

    assert _linking_titles(confirmation) == (
        "2 pages link to this page",
        ["Professional portal for SEND advice", "Questions"],
    )
    assert 'name="redirect_to"' in confirmation.content.decode()

    with pages["capture"](execute=True):
        response = approver_client.post(delete_url, {"redirect_to": new.pk})
    assert response.status_code == 302
    assert not Page.objects.filter(pk=old.pk).exists()
    visitor = Client().get("/old-sign-in/")
    assert (visitor.status_code, visitor["Location"]) == (301, "/signing-in/")


def test_a_redirect_to_the_page_itself_is_refused_and_nothing_is_deleted(pages, approver_client):
    old = pages["old"]
    response = approver_client.post(reverse("wagtailadmin_pages:delete", args=[old.pk]), {"redirect_to": old.pk})
    assert response.status_code == 302
    assert Page.objects.filter(pk=old.pk).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not this page" in message for message in messages)


def test_the_unpublish_confirmation_lists_the_linking_pages_and_offers_a_redirect(pages, approver_client):
    old, new = pages["old"], pages["new"]
    unpublish_url = reverse("wagtailadmin_pages:unpublish", args=[old.pk])
    assert _linking_titles(approver_client.get(unpublish_url))[0] == "2 pages link to this page"

    approver_client.post(unpublish_url, {"redirect_to": new.pk})

    old.refresh_from_db()
    assert not old.live
    assert Client().get("/old-sign-in/")["Location"] == "/signing-in/"


def test_links_to_a_deleted_page_show_nothing_to_the_public_and_never_block_a_publish(pages, approver_client):
    old, faq, home = pages["old"], pages["faq"], pages["home"]
    with pages["capture"](execute=True):
        approver_client.post(reverse("wagtailadmin_pages:delete", args=[old.pk]), {})

    public = BeautifulSoup(Client().get("/faqs/").content, "html.parser")
    answer_link = public.find("a", string="the sign-in guide")
    assert answer_link is not None and not answer_link.has_attr("href")
    assert "Old sign-in guide" not in public.get_text() and "no longer exists" not in public.get_text()
    staff_view = approver_client.get("/faqs/").content.decode()
    assert "this page no longer exists" in staff_view

    # The editor never touched the emptied "Page on this site" block: publishing is not refused for it.
    data = nested_form_data(
        {
            "title": faq.title,
            "slug": faq.slug,
            "intro": "Updated.",
            "questions": streamfield(
                [("question", {"question": "How do I sign in?", "answer": rich_text("<p>Read it.</p>"), "anchor": ""})]
            ),
            "related_links": streamfield([("page", {"page": "", "title": ""})]),
            "downloads": streamfield([]),
            "hidden_related": streamfield([]),
            "audience": "everyone",
            "change_kind": "minor",
            "change_note": "",
            "tags": "",
        }
    )
    data["action-publish"] = "Publish"
    response = approver_client.post(reverse("wagtailadmin_pages:edit", args=[faq.pk]), data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")
    faq.refresh_from_db()
    assert faq.intro == "Updated."
    home_data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "intro": rich_text(""),
            "audience_heading": home.audience_heading,
            "audiences": streamfield([]),
            "guidance_heading": home.guidance_heading,
            "guidance_links": streamfield([("page", "")]),
        }
    )
    home_data["action-publish"] = "Publish"
    response = approver_client.post(reverse("wagtailadmin_pages:edit", args=[home.pk]), home_data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")


def test_the_broken_links_report_lists_pages_linking_to_deleted_or_unpublished_pages(
    pages, approver_client, editor_client
):
    old, new = pages["old"], pages["new"]
    report_url = reverse("cms_broken_links_report")
    assert "No page links to a deleted or unpublished page" in editor_client.get(report_url).content.decode()

    new.unpublish()
    answer = f'<p>See <a linktype="page" id="{new.pk}">signing in</a>.</p>'
    _publish(HelpPageFactory(parent=pages["home"], title="Help for SENCOs", body=[("text", answer)]), pages["capture"])
    with pages["capture"](execute=True):
        approver_client.post(reverse("wagtailadmin_pages:delete", args=[old.pk]), {})

    rows = BeautifulSoup(editor_client.get(report_url).content, "html.parser").select("table tbody tr")
    report = {row.find("a").get_text(strip=True): row.find_all("td")[2].get_text(" ", strip=True) for row in rows}
    assert report == {
        "Help for SENCOs": "“Signing in” is not published",
        "Professional portal for SEND advice": f"a deleted page (id {old.pk})",
        "Questions": f"a deleted page (id {old.pk})",
    }


def _pages_with_drafts(home_page, count, gone_id, first=0):
    """``count`` published help pages, each with a draft whose text links to a page that is gone."""
    for number in range(first, first + count):
        page = HelpPageFactory(parent=home_page, title=f"Help {number:03}", slug=f"help-{number:03}")
        page.save_revision().publish()
        page.body = [("text", f'<p>See <a linktype="page" id="{gone_id}">the old guide</a>.</p>')]
        page.save_revision()


def test_the_broken_links_report_reads_every_draft_in_the_same_number_of_queries(home_page, editor_client):
    """The report reads each draft's links from its revision's stored content, loaded with the pages: 50 pages with
    drafts cost no more queries than 5 (it once cost about 8 queries a draft: 2,407 for 300 pages)."""
    gone = HelpPageFactory(parent=home_page, title="Old guide", slug="old-guide")
    gone_id = gone.pk
    gone.delete()
    report_url = reverse("cms_broken_links_report")

    _pages_with_drafts(home_page, 5, gone_id)
    editor_client.get(report_url)  # the first request fills caches (content types, permissions) the others reuse
    with CaptureQueriesContext(connection) as few:
        response = editor_client.get(report_url)
    assert response.content.decode().count(f"a deleted page (id {gone_id})") == 5

    _pages_with_drafts(home_page, 45, gone_id, first=5)
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(report_url)
    assert response.content.decode().count(f"a deleted page (id {gone_id})") == 50
    assert len(many) == len(few)


def test_a_link_whose_stored_id_is_in_other_digits_links_nothing(home_page):
    """A "²" passes str.isdigit(), and int() refused it: reading the page's links (Reports → Broken links, a delete's
    confirmation) ended in a server error for a rich text stored with such an id."""
    answer = '<p>Read <a linktype="page" id="²">the guide</a> and <a linktype="document" id="²">the form</a>.</p>'
    faq = FAQPageFactory(parent=home_page, title="Questions", slug="faqs", questions=[question("How?", answer)])
    assert files_used(faq) == set()
    assert pages_with_broken_links() == []
