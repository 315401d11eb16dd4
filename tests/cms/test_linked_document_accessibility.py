"""A PDF uploaded in the page editor's document chooser (its "Upload" tab) was told to no one: the chooser answers
with JSON and closes. Saving, submitting or publishing a page whose content links documents that may not be
accessible says so on the next page, in one warning naming each document once, in the words of the document's own
pages; the save goes ahead all the same."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import rich_text, streamfield

from cms import pdf_checks
from cms.document_accessibility import ADVICE, documents_accessibility_messages
from cms.models import DocumentAccessibility, HelpPage
from cms.pdf import html_to_pdf
from portal_pages.roles import GUIDANCE_APPROVERS
from tests.cms.guidance_admin import help_page_form
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import pdf_bytes
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

MAY_NOT = "may not be accessible"
GAPS = "; ".join(pdf_checks.ACCESSIBILITY_GAPS.values())


def _untagged_warning(title):
    return f"'{title}' {MAY_NOT}: {GAPS}. {ADVICE}"


def _document(title, data, name="leaflet.pdf"):
    """A document as the chooser's "Upload" tab leaves it: saved, with what its PDF lacks kept."""
    document = Document.objects.create(title=title, file=SimpleUploadedFile(name, data))
    document._set_document_file_metadata()
    document.save()
    return document


def _accessible_pdf():
    return html_to_pdf('<html lang="en-GB"><head><title>Local offer</title></head><body><h1>Local offer</h1>')


def _links(*documents):
    return streamfield([("document_link", {"document": document.pk, "title": ""}) for document in documents])


def _warnings(response):
    """The words of each warning message on the page."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in soup.select(".messages li.warning")]


def _lines(response):
    """The warnings' lines: one for each document named."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        " ".join(line.split())
        for li in soup.select(".messages li.warning")
        for line in li.get_text("\n").split("\n")
        if line.strip()
    ]


@pytest.fixture
def help_page(home_page, role_groups):
    return published(HelpPageFactory(parent=home_page, title="Annual reviews", slug="annual-reviews"))


@pytest.fixture
def editor_client(role_groups):
    return verified_login(Client(), staff_in_group("Content editor"))


def _edit(client, page, body, *, action=None, **headers):
    data = help_page_form(page, publish=False, body=body)
    if action:
        data[action] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True, **headers)


def _chooser_upload(client, title, data):
    """Upload as the page editor's document chooser does: its answer is JSON, and the chooser closes on it."""
    response = client.post(
        "/admin/documents/chooser/create/",
        {
            "document-chooser-upload-title": title,
            "document-chooser-upload-file": SimpleUploadedFile("leaflet.pdf", data, content_type="application/pdf"),
            "document-chooser-upload-collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.json()["step"] == "chosen"
    return Document.objects.get(pk=response.json()["result"]["id"])


def test_saving_a_draft_that_links_pdfs_lacking_things_names_each_once(editor_client, help_page):
    untagged = _chooser_upload(editor_client, "Annual reviews guide", pdf_bytes())
    assert _warnings(editor_client.get("/admin/")) == []  # told nothing as it was uploaded
    damaged = _document("Old leaflet", b"%PDF-1.7 cut short")
    accessible = _document("Local offer", _accessible_pdf())
    csv = _document("Schools", b"school,phase\nOakfield,Primary\n", name="schools.csv")
    _document("Never linked", pdf_bytes())  # in the library, not on the page
    text = rich_text(f'<p>Read <a linktype="document" id="{damaged.pk}">the old leaflet</a> too.</p>')
    body = streamfield(
        [
            ("document_link", {"document": untagged.pk, "title": ""}),
            ("document_link", {"document": accessible.pk, "title": ""}),
            ("text", text),
            ("document_link", {"document": csv.pk, "title": ""}),
            ("document_link", {"document": untagged.pk, "title": "Again"}),
        ]
    )

    response = _edit(editor_client, help_page, body)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[help_page.pk])
    assert HelpPage.objects.get(pk=help_page.pk).get_latest_revision().content["body"]  # saved
    assert len(_warnings(response)) == 1  # one message for the save
    assert _lines(response) == [
        _untagged_warning("Annual reviews guide"),
        "'Old leaflet' could not be read to check whether it is accessible. "
        f"It may be damaged: open it to check that it works. {ADVICE}",
    ]
    # Said once: the edit page opened again says nothing of it.
    assert _warnings(editor_client.get(reverse("wagtailadmin_pages:edit", args=[help_page.pk]))) == []


def test_submitting_and_publishing_warn_too_and_only_of_the_content_saved(editor_client, help_page):
    untagged = _document("Transport policy", pdf_bytes())
    approver_client = verified_login(Client(), staff_in_group(GUIDANCE_APPROVERS))

    submitted = _edit(editor_client, help_page, _links(untagged), action="action-submit")
    assert HelpPage.objects.get(pk=help_page.pk).current_workflow_state.status == "in_progress"
    assert _lines(submitted) == [_untagged_warning("Transport policy")]

    published_page = _edit(approver_client, help_page, _links(untagged), action="action-publish")
    assert published_page.redirect_chain[-1][0] == reverse("wagtailadmin_explore", args=[help_page.get_parent().pk])
    assert _lines(published_page) == [_untagged_warning("Transport policy")]

    # The live page links it still; the draft saved does not: nothing to say of this save.
    removed = _edit(approver_client, help_page, streamfield([]))
    assert HelpPage.objects.get(pk=help_page.pk).body.raw_data[0]["value"]["document"] == untagged.pk
    assert _warnings(removed) == []


def test_a_new_page_saved_with_such_a_link_warns(editor_client, help_page):
    untagged = _document("Annual reviews guide", pdf_bytes())
    page = HelpPage(title="Reviews", slug="reviews", intro="Help for professionals.")
    add = reverse("wagtailadmin_pages:add", args=["cms", "helppage", help_page.get_parent().pk])

    response = editor_client.post(add, help_page_form(page, publish=False, body=_links(untagged)), follow=True)

    assert Page.objects.filter(slug="reviews").exists()
    assert _lines(response) == [_untagged_warning("Annual reviews guide")]


def test_a_page_linking_only_accessible_documents_or_none_gets_no_warning_until_it_links_one(editor_client, help_page):
    accessible = _document("Local offer", _accessible_pdf())
    csv = _document("Schools", b"school,phase\nOakfield,Primary\n", name="schools.csv")
    untagged = _document("Annual reviews guide", pdf_bytes())

    assert _warnings(_edit(editor_client, help_page, streamfield([]))) == []
    assert _warnings(_edit(editor_client, help_page, _links(accessible, csv))) == []
    assert _lines(_edit(editor_client, help_page, _links(accessible, untagged))) == [
        _untagged_warning("Annual reviews guide")
    ]


def test_an_autosave_keeps_no_warning_for_later(editor_client, help_page):
    """Wagtail's autosave posts the editor for a JSON answer, with no next page to show a warning on: one kept for
    later would come again beside the next save's own."""
    untagged = _document("Annual reviews guide", pdf_bytes())

    autosaved = _edit(editor_client, help_page, _links(untagged), HTTP_ACCEPT="application/json")
    assert autosaved.json()["success"] is True
    saved = _edit(editor_client, help_page, _links(untagged))

    assert _lines(saved) == [_untagged_warning("Annual reviews guide")]


def test_a_page_linking_twenty_documents_reads_what_they_lack_in_one_query(
    editor_client, help_page, django_assert_num_queries
):
    documents = [_document(f"Leaflet {number:02}", pdf_bytes()) for number in range(20)]
    assert DocumentAccessibility.objects.count() == 20
    with django_assert_num_queries(1):
        assert len(documents_accessibility_messages([document.pk for document in documents])) == 20

    with CaptureQueriesContext(connection) as queries:
        response = _edit(editor_client, help_page, _links(*documents))

    read = [query["sql"] for query in queries if DocumentAccessibility._meta.db_table in query["sql"]]
    assert len(read) == 1
    assert _lines(response) == [_untagged_warning(f"Leaflet {number:02}") for number in range(20)]


def test_a_documents_title_holding_markup_is_shown_as_written_in_the_warning(editor_client, help_page):
    """A title is what an editor typed: the warning shows it as words, never as markup on the page."""
    untagged = _document('<b id="x">Plan</b>', pdf_bytes())

    response = _edit(editor_client, help_page, _links(untagged))

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(id="x") is None and soup.select(".messages li.warning b") == []
    assert _lines(response) == [_untagged_warning('<b id="x">Plan</b>')]
