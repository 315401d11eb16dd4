"""Deleting a document or image that a page's printable shows or links to: the stored printable is withdrawn at once
(the page says it is being prepared, never serves the PDF that still holds it) and rendered again without it once
the deletion commits. The printables of pages that do not use it are left as they are, unread; a rendering checking its
files as one is being deleted waits for the deletion, so no stored printable holds a file deleted before it."""

import io
import re
import threading

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models.signals import pre_delete
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from faq import printable_withdrawals
from faq.models import GuidancePrintable, VisualGuidePage
from faq.services import printable_render
from tests.factories.cms import published_with_tasks
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question, step
from tests.pdfs import figures_alt_text, pdf_link_addresses, pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_default_cache")]

ALT_TEXT = "A letter showing a child's name"
DOCUMENT_TITLE = "Annual review form"


@pytest.fixture
def image():
    return wagtail_factories.ImageFactory(title="Letter")


@pytest.fixture
def document():
    data = b"%PDF-1.4 annual review"
    return get_document_model().objects.create(
        title=DOCUMENT_TITLE, file=ContentFile(data, name="annual-review.pdf"), file_size=len(data)
    )


@pytest.fixture
def guide(home_page, image, django_capture_on_commit_callbacks):
    page = VisualGuidePageFactory(
        parent=home_page,
        title="Reading the letter",
        slug="reading-the-letter",
        steps=[step("Open the letter", image, "<p>Read the first page.</p>", alt_text=ALT_TEXT)],
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


@pytest.fixture
def faq(home_page, document, django_capture_on_commit_callbacks):
    answer = f'<p>Fill in <a linktype="document" id="{document.pk}">the {DOCUMENT_TITLE.lower()}</a> first.</p>'
    page = FAQPageFactory(
        parent=home_page, title="Reviews", slug="reviews", questions=[question("What do I fill in?", answer)]
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


def _printable(page):
    return Client().get(page.url + "printable/")


def _pdf(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def _pictures(data):
    return [picture for pdf_page in PdfReader(io.BytesIO(data)).pages for picture in pdf_page.images]


def _delete_in_the_admin(client, url_name, pk):
    response = client.post(reverse(url_name, args=[pk]))
    assert response.status_code == 302, response.content[:300]


def test_deleting_an_image_withdraws_the_printable_showing_it_until_it_is_rendered_again_without_it(
    guide, image, verified_admin_client, django_capture_on_commit_callbacks
):
    before = _pdf(_printable(guide))
    assert _pictures(before) and ALT_TEXT in figures_alt_text(before)

    with django_capture_on_commit_callbacks() as callbacks:
        _delete_in_the_admin(verified_admin_client, "wagtailimages:delete", image.pk)
        # Deleted, its rendering queued but not yet run: the public gets "being prepared", not the PDF holding it.
        waiting = _printable(guide)
        assert waiting.status_code == 202
        assert b"%PDF" not in waiting.content
    for callback in callbacks:  # the deletion commits: the worker renders the printable again
        callback()

    after = _pdf(_printable(guide))
    assert not _pictures(after)
    assert ALT_TEXT not in figures_alt_text(after)
    assert "Read the first page." in pdftotext(after)


def test_deleting_a_document_renders_again_the_printable_linking_to_it(
    faq, document, verified_admin_client, django_capture_on_commit_callbacks
):
    assert [uri for uri in pdf_link_addresses(_pdf(_printable(faq))) if "/documents/" in uri]

    with django_capture_on_commit_callbacks(execute=True):
        _delete_in_the_admin(verified_admin_client, "wagtaildocs:delete", document.pk)

    after = _pdf(_printable(faq))
    assert not [uri for uri in pdf_link_addresses(after) if "/documents/" in uri]
    assert "Fill in the annual review form first." in " ".join(pdftotext(after).split())


def test_deleting_a_file_leaves_the_printables_of_pages_not_using_it(
    guide, faq, image, django_capture_on_commit_callbacks
):
    other = wagtail_factories.ImageFactory(title="Another picture")
    draft = VisualGuidePage.objects.get(pk=guide.pk)
    draft.steps = [step("Open the letter", other, "<p>Read the first page.</p>", alt_text="Another picture")]
    draft.save_revision()  # a draft using it: the live guide, and its printable, do not
    kept = list(GuidancePrintable.objects.values_list("pk", "page_id", "rendered_at").order_by("pk"))

    with django_capture_on_commit_callbacks(execute=True):
        other.delete()

    assert list(GuidancePrintable.objects.values_list("pk", "page_id", "rendered_at").order_by("pk")) == kept


def test_a_printable_rendered_while_its_image_was_deleted_is_not_stored(
    guide, image, monkeypatch, django_capture_on_commit_callbacks
):
    GuidancePrintable.objects.all().delete()  # the printable is being rendered again (a publish, a new renderer)
    render = VisualGuidePage.printable_pdf

    def render_then_delete_the_image(page):
        data = render(page)  # with the picture
        image.delete()  # meanwhile, an editor deletes the image
        return data

    monkeypatch.setattr(VisualGuidePage, "printable_pdf", render_then_delete_the_image)
    with django_capture_on_commit_callbacks() as callbacks:
        assert printable_render(page_id=guide.pk) is False
    assert not GuidancePrintable.objects.exists()

    monkeypatch.undo()
    for callback in callbacks:  # the rendering the deletion queued
        callback()
    assert not _pictures(_pdf(_printable(guide)))


@pytest.fixture
def pages_read(monkeypatch):
    """The pages whose content the withdrawal reads, by id, in order."""
    read = []

    def files_used(page):
        read.append(page.pk)
        return used(page)

    used = printable_withdrawals.files_used
    monkeypatch.setattr(printable_withdrawals, "files_used", files_used)
    return read


def test_deleting_a_file_no_page_uses_reads_no_page(guide, faq, pages_read, django_assert_max_num_queries):
    unused = wagtail_factories.ImageFactory(title="Unused")

    with django_assert_max_num_queries(4):  # its row locked, the reference index, and a savepoint's two statements
        assert printable_withdrawals.printables_withdraw_using(kind="image", file=unused) == []

    assert pages_read == []
    assert GuidancePrintable.objects.count() == 2


def test_deleting_ten_images_of_one_guide_at_once_reads_it_once_and_locks_pages_in_order(
    home_page, faq, pages_read, django_capture_on_commit_callbacks
):
    images = [wagtail_factories.ImageFactory(title=f"Step {n}") for n in range(10)]
    page = VisualGuidePageFactory(
        parent=home_page, title="Ten steps", steps=[step(f"Step {n}", i) for n, i in enumerate(images)]
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    assert GuidancePrintable.objects.filter(page=page).exists()

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        get_image_model().objects.filter(pk__in=[image.pk for image in images]).delete()

    assert pages_read == [page.pk]
    assert list(GuidancePrintable.objects.values_list("page_id", flat=True)) == [faq.pk]
    queued = [callback for callback in callbacks if callback.__qualname__.startswith("printable_queue.")]
    assert len(queued) == 1  # its rendering, once
    # The pages' lock (FOR UPDATE on PostgreSQL) in one order, so two deletions locking the same pages never deadlock.
    locks = [query["sql"] for query in queries if 'AS "live_revision_id" FROM "wagtailcore_page"' in query["sql"]]
    assert locks and all(re.search(r'ORDER BY (1|"wagtailcore_page"."id") ASC', sql) for sql in locks), locks


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the write lock as a transaction begins (IMMEDIATE): the render's check waits for the deletion",
)
@pytest.mark.django_db(transaction=True)
def test_a_printable_rendered_as_its_image_is_deleted_never_holds_it(guide, image):
    """The guide has no printable (just published, or withdrawn by an earlier deletion): the deletion's withdrawal
    finds nothing to withdraw, and the rendering checks its files before the deletion commits. It waits for it, and
    renders again without the picture; it used to store the PDF showing it, public until the next publish."""
    GuidancePrintable.objects.all().delete()
    withdrawn, go_on = threading.Event(), threading.Event()
    errors = []

    def pause_before_the_row_goes(sender, instance, **kwargs):  # runs after faq.signals' withdrawal
        withdrawn.set()
        go_on.wait(60)

    def in_a_thread(work):
        def run():
            try:
                work()
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    pre_delete.connect(pause_before_the_row_goes, sender=type(image), dispatch_uid="test-pause-before-the-row-goes")
    try:
        deleting = in_a_thread(image.delete)
        assert withdrawn.wait(60)
        rendering = in_a_thread(lambda: printable_render(page_id=guide.pk))
        while rendering.is_alive() and not _waiting_for_a_lock():
            rendering.join(0.05)
        go_on.set()
        deleting.join(60)
        rendering.join(60)
    finally:
        go_on.set()
        pre_delete.disconnect(sender=type(image), dispatch_uid="test-pause-before-the-row-goes")

    assert not errors
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    stored = GuidancePrintable.objects.get(page=guide)  # rendered again, without it
    with stored.file.open("rb") as data:
        assert not _pictures(data.read())
