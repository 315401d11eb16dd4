"""A guidance PDF without tags, a language or a title is published all the same (councils hold legacy PDFs), but
the editor is told, after uploading it and on its edit page, in plain words; what it lacks is read from its catalog
once for each file and kept."""

import io
import json
import logging
import re
import zlib
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms import document_accessibility, pdf_checks
from cms.models import DocumentAccessibility
from cms.pdf import html_to_pdf
from cms.pdf_checks import pdf_accessibility_gaps
from tests.factories.advice_forms import pdf_bytes
from tests.pdfs import _one_page, raw_pdf
from tests.regex_bounds import parsed, unbounded_repeats
from tests.upstream import changed_lines

pytestmark = pytest.mark.django_db

WARNING = "This PDF may not be accessible"
UNTAGGED = "it has no tags, so screen readers cannot read its headings and tables"
ADVICE = "Ask for an accessible version or publish the content as a page."


def _accessible_pdf():
    return html_to_pdf('<html lang="en-GB"><head><title>Annual reviews</title></head><body><h1>Annual reviews</h1>')


def _words(html):
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def _upload_several(client, data, name="leaflet.pdf"):
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile(name, data), "collection": Collection.get_first_root_node().pk},
    )
    return json.loads(response.content)


def test_what_a_pdf_lacks_is_read_from_its_catalog():
    xmp = b'<x:xmpmeta><rdf:Description><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Annual reviews</rdf:li>'
    xmp += b"</rdf:Alt></dc:title></rdf:Description></x:xmpmeta>"
    tagged_in_xmp = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 4 0 R /Lang (en-GB)"
        b" /Metadata 5 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /StructTreeRoot /K [] >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%b\nendstream" % (len(xmp), xmp),
    )
    marked_false = _one_page(b"/MarkInfo << /Marked false >> /StructTreeRoot 2 0 R /Lang ( )")

    assert pdf_accessibility_gaps(io.BytesIO(pdf_bytes())) == ["tags", "language", "title"]
    assert pdf_accessibility_gaps(io.BytesIO(_accessible_pdf())) == []  # WeasyPrint's PDF/UA, as the portal's
    assert pdf_accessibility_gaps(io.BytesIO(tagged_in_xmp)) == []  # a PDF 2.0 keeps its title in XMP alone
    assert pdf_accessibility_gaps(io.BytesIO(marked_false)) == ["tags", "language", "title"]
    assert pdf_accessibility_gaps(io.BytesIO(b"%PDF-1.7 cut short")) is None  # not known, not "lacks nothing"


def test_a_damaged_metadata_stream_loses_only_the_title():
    """A PDF whose XMP stream says FlateDecode but is not zlib: its tags and language are still read (every finding
    was thrown away, and the file stored as lacking nothing), and its title is reported missing."""
    broken = b"not zlib at all"
    pdf = _one_page(
        b"/MarkInfo << /Marked true >> /StructTreeRoot 2 0 R /Lang (en-GB) /Metadata 4 0 R",
        b"",
        b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n%b\nendstream"
        % (len(broken), broken),
    )

    assert pdf_accessibility_gaps(io.BytesIO(pdf)) == ["title"]


class _BoundedRe:
    """``re`` for cms.pdf_checks, refusing a pattern with an unbounded repeat before the engine runs it."""

    def __init__(self):
        self.used = []

    def __getattr__(self, name):
        real = getattr(re, name)
        if name not in ("search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"):
            return real

        def checked(pattern, *args, **kwargs):
            flags = kwargs.get("flags", args[-1] if args and isinstance(args[-1], re.RegexFlag) else 0)
            assert list(unbounded_repeats(parsed(pattern, flags))) == [], pattern
            self.used.append(pattern)
            return real(pattern, *args, **kwargs)

        return checked


def test_an_xmp_written_to_stall_the_title_reader_is_read_in_linear_time(monkeypatch):
    """A 701-byte PDF whose XMP (zlib) holds "<dc:title " 9,830 times, with no closing tag, passed the upload checks,
    then took 13 s to read, on the document's edit page: a search for "<dc:title.*?</dc:title>" starts again at each
    one and reads to the end (256 KB took 127 s; gunicorn stops a request at 30 s). The reader finds the first title
    with two finds, and every regular expression it runs has every repeat bounded: checked as each is called, before
    it runs, rather than timed."""
    hostile = b"<dc:title " * 9830 + b"x" * (300 * 1024)
    stream = zlib.compress(hostile, 9)
    pdf = _one_page(
        b"/Metadata 4 0 R",
        b"",
        b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n%b\nendstream"
        % (len(stream), stream),
    )
    bounded = _BoundedRe()
    monkeypatch.setattr(pdf_checks, "re", bounded)

    assert len(pdf) < 2048 and pdf_checks.pdf_bytes_problem(pdf) is None  # taken at upload
    assert pdf_accessibility_gaps(io.BytesIO(pdf)) == ["tags", "language", "title"]
    title = b"<dc:title><rdf:Alt><rdf:li>Annual reviews</rdf:li></rdf:Alt></dc:title>"
    assert pdf_checks._xmp_title({"/Metadata": _metadata(title)}) is True
    assert bounded.used  # the check above saw the expressions the reader runs


def _metadata(xmp):
    from pypdf.generic import StreamObject

    stream = StreamObject()
    stream._data = xmp
    return stream


def test_an_untagged_pdf_is_taken_and_the_multiple_uploader_says_what_it_lacks(verified_admin_client):
    result = _upload_several(verified_admin_client, pdf_bytes())
    words = _words(result["form"])

    assert result["success"] is True
    assert Document.objects.count() == 1
    assert f"{WARNING}: {UNTAGGED}" in words
    assert "it does not say which language it is in" in words and "it has no title" in words
    assert ADVICE in words


def test_a_pdf_named_in_capitals_gets_the_warning_too(verified_admin_client):
    """Scanners and older Windows tools name files SCAN0001.PDF; Wagtail takes them as PDFs and keeps the case."""
    words = _words(_upload_several(verified_admin_client, pdf_bytes(), name="LEAFLET.PDF")["form"])

    assert f"{WARNING}: {UNTAGGED}" in words


def test_an_accessible_pdf_or_another_kind_of_file_gets_no_warning(verified_admin_client):
    pdf = _upload_several(verified_admin_client, _accessible_pdf())
    csv = _upload_several(verified_admin_client, b"school,phase\nOakfield,Primary\n", name="schools.csv")

    assert pdf["success"] and csv["success"]
    assert WARNING not in pdf["form"] and WARNING not in csv["form"]


def test_the_edit_page_says_what_the_pdf_lacks_without_reading_it_again(verified_admin_client):
    _upload_several(verified_admin_client, _one_page(b"/MarkInfo << /Marked true >> /StructTreeRoot 2 0 R"))
    document = Document.objects.get()
    document.file.storage.delete(document.file.name)  # gone: only what was kept can say it now

    words = _words(verified_admin_client.get(f"/admin/documents/edit/{document.pk}/").content)

    assert f"{WARNING}: " in words
    assert "it does not say which language it is in, so screen readers may read it out wrongly" in words
    assert "it has no title, so screen readers announce its file name instead" in words
    assert UNTAGGED not in words  # it is tagged
    assert DocumentAccessibility.objects.get().gaps == ["language", "title"]


def test_a_document_uploaded_before_is_read_when_next_saved_and_a_replaced_file_is_read_again(verified_admin_client):
    """What a PDF lacks is found when the document is saved, never while a page is shown: a document kept from before
    (no row) shows no warning, and its edit page writes nothing, until it is next saved."""
    document = Document.objects.create(
        title="Annual reviews", file=SimpleUploadedFile("annual-reviews.pdf", pdf_bytes())
    )
    document._set_document_file_metadata()
    document.save()
    DocumentAccessibility.objects.all().delete()  # as if uploaded before what a PDF lacks was kept
    edit = f"/admin/documents/edit/{document.pk}/"

    assert WARNING not in _words(verified_admin_client.get(edit).content)
    assert not DocumentAccessibility.objects.exists()  # a GET writes nothing

    saved = verified_admin_client.post(edit, {"title": "Annual reviews 2025", "collection": document.collection_id})
    assert saved.status_code == 302
    assert f"{WARNING}: " in _words(verified_admin_client.get(edit).content)

    replaced = verified_admin_client.post(
        edit,
        {
            "title": "Annual reviews",
            "file": SimpleUploadedFile("annual-reviews.pdf", _accessible_pdf()),
            "collection": document.collection_id,
        },
    )
    assert replaced.status_code == 302
    assert WARNING not in _words(verified_admin_client.get(edit).content)
    assert DocumentAccessibility.objects.get().gaps == []


def test_a_storage_that_cannot_give_the_file_back_keeps_the_upload_without_a_warning(verified_admin_client):
    """A storage's own error on reading the file (S3's is not an OSError) failed the whole upload after its row was
    written; the document is kept, with nothing said of what it lacks."""

    class StorageError(Exception):
        pass

    # Wagtail reads the file itself for its hash before saving: the error comes as ours reads it.
    unreadable = StorageError("bucket unreachable")
    with mock.patch("cms.document_accessibility.pdf_accessibility_gaps", autospec=True, side_effect=unreadable):
        uploaded = _upload_several(verified_admin_client, pdf_bytes())
    assert uploaded["success"] is True
    assert Document.objects.filter(pk=uploaded["doc_id"]).exists() and not DocumentAccessibility.objects.exists()


def test_a_file_missing_from_storage_is_logged_on_each_save_without_a_traceback(caplog):
    """Each save of a document whose file is gone from storage logged a warning with a traceback, which says nothing
    more than the file is missing: one line at info, by the document's id; a storage's own error keeps its traceback
    (the test above's)."""
    gone = _kept_from_before("Old leaflet", pdf_bytes())
    gone.file.storage.delete(gone.file.name)
    gone = Document.objects.get(pk=gone.pk)  # not the upload still held in memory

    with caplog.at_level(logging.INFO, logger="cms.document_accessibility"):
        gone.save()
        gone.save()

    said = [record for record in caplog.records if record.name == "cms.document_accessibility"]
    assert [(record.levelno, record.exc_info) for record in said] == [(logging.INFO, None)] * 2
    assert said[0].getMessage() == f"Document {gone.pk}: its file could not be read for what it lacks (missing)"
    assert not DocumentAccessibility.objects.filter(document=gone).exists()


def test_a_storage_error_is_logged_with_its_traceback(caplog):
    """A storage's own error is not a missing file: it is worth a warning with what raised it."""
    document = Document.objects.get(pk=_kept_from_before("Annual reviews", pdf_bytes()).pk)

    with mock.patch("cms.document_accessibility.pdf_accessibility_gaps", side_effect=RuntimeError("bucket gone")):
        document.save()

    said = [record for record in caplog.records if record.name == "cms.document_accessibility"]
    assert [record.levelno for record in said] == [logging.WARNING] and said[0].exc_info[0] is RuntimeError


def test_an_edit_that_fails_on_another_field_keeps_nothing_of_the_file_not_saved(verified_admin_client):
    """The new file of an edit refused for a blank title is not stored: nothing is said or kept of it, least of all
    under the stored file's hash (which would give the stored file the new one's warning from then on)."""
    document = Document.objects.create(
        title="Annual reviews", file=SimpleUploadedFile("annual-reviews.pdf", _accessible_pdf())
    )
    document._set_document_file_metadata()
    document.save()
    DocumentAccessibility.objects.all().delete()

    refused = verified_admin_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "", "file": SimpleUploadedFile("untagged.pdf", pdf_bytes()), "collection": document.collection_id},
    )

    assert refused.status_code == 200
    assert WARNING not in _words(refused.content)
    assert not DocumentAccessibility.objects.exists()


def test_our_multiple_upload_form_is_upstreams_with_the_warning():
    """cms/templates/wagtailadmin/generic/multiple_upload/edit_form.html is Wagtail's (which has no block to add
    to), with the warning at the top of a document's form. When upstream changes its template, this fails: copy it
    again and add the same lines, or drop ours if Wagtail now offers a block or a hook."""
    from pathlib import Path

    import wagtail
    from django.conf import settings

    name = "wagtailadmin/generic/multiple_upload/edit_form.html"
    upstream = Path(wagtail.__file__).parent / "admin/templates" / name
    ours = Path(settings.BASE_DIR) / "cms/templates" / name
    changed = changed_lines(upstream, ours)

    assert changed[:2] == ["-{% load wagtailadmin_tags i18n %}", "+{% load wagtailadmin_tags i18n portal_tags %}"]
    assert changed[2].startswith("+{% comment %}")
    assert changed[3:] == ["+{% if doc %}{% document_accessibility_warning doc %}{% endif %}"]
    assert ours.read_text().index("{% if doc %}") > ours.read_text().index("<form ")  # drawn again with the form


def _kept_from_before(title, data, name="leaflet.pdf", *, hashed=True):
    """A document as uploaded before what a PDF lacks was kept: no row; ``hashed=False``, from before Wagtail kept
    files' hashes too."""
    document = Document.objects.create(title=title, file=SimpleUploadedFile(name, data))
    if hashed:
        document._set_document_file_metadata()
        document.save()
    DocumentAccessibility.objects.filter(document=document).delete()
    return document


def _check(*args):
    out = io.StringIO()
    call_command("check_document_accessibility", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_reads_the_pdfs_uploaded_before_and_their_edit_pages_then_warn(verified_admin_client, caplog):
    """PDFs uploaded before what they lack was kept showed no warning until saved again: the command reads each
    PDF with nothing kept for its file, keeps what it lacks, goes on past a file missing from storage (logged by
    the document's id alone), and says how many in words that name no file's content."""
    untagged = _kept_from_before("Annual reviews", pdf_bytes())
    unhashed = _kept_from_before("Transport policy", pdf_bytes(), name="TRANSPORT.PDF", hashed=False)
    accessible = _kept_from_before("Local offer", _accessible_pdf())
    _kept_from_before("Schools", b"school,phase\nOakfield,Primary\n", name="schools.csv")
    gone = _kept_from_before("Old leaflet", pdf_bytes())
    gone.file.storage.delete(gone.file.name)
    _upload_several(verified_admin_client, pdf_bytes(), name="kept-already.pdf")

    with mock.patch("cms.document_accessibility.pdf_accessibility_gaps", wraps=pdf_accessibility_gaps) as reads:
        summary = _check()

    assert summary == "Checked 4 documents: 2 have accessibility gaps; 1 could not be read"
    assert reads.call_count == 3  # not the CSV, not the one kept when it was uploaded, not the missing file
    assert f"Document {gone.pk}: its file could not be read" in caplog.text and "Old leaflet" not in caplog.text
    assert DocumentAccessibility.objects.get(document=accessible).gaps == []
    for document in (untagged, unhashed):
        words = _words(verified_admin_client.get(f"/admin/documents/edit/{document.pk}/").content)
        assert f"{WARNING}: " in words and UNTAGGED in words

    # Safe to repeat: only the file it could not read is tried again; --all reads every PDF again.
    assert _check() == "Checked 1 document: 0 have accessibility gaps; 1 could not be read"
    assert _check("--all") == "Checked 5 documents: 3 have accessibility gaps; 1 could not be read"


def test_the_command_makes_a_few_queries_for_each_document(django_assert_max_num_queries, monkeypatch):
    for number in range(6):
        _kept_from_before(f"Leaflet {number}", pdf_bytes(), hashed=number % 2 == 0)

    # One query for each batch of documents listed (and the last, empty), and two for each: its hash, its row kept.
    monkeypatch.setattr(document_accessibility, "_BATCH", 4)
    with django_assert_max_num_queries(3 + 2 * 6):
        assert _check() == "Checked 6 documents: 6 have accessibility gaps; 0 could not be read"


def _add_one(client, data, title="Annual reviews"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile("leaflet.pdf", data, content_type="application/pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
        follow=True,
    )


def test_the_single_add_a_document_page_leads_to_the_warning_naming_the_document(verified_admin_client):
    """After "Add a document" the editor was told only on the document's edit page, which it does not lead to."""
    added = _add_one(verified_admin_client, pdf_bytes())
    words = _words(added.content)

    assert added.redirect_chain[-1][0] == "/admin/documents/"
    assert "Document 'Annual reviews' added." in words
    gaps = "; ".join(pdf_checks.ACCESSIBILITY_GAPS.values())
    assert f"'Annual reviews' may not be accessible: {gaps}. {ADVICE}" in words
    assert WARNING not in _words(verified_admin_client.get("/admin/documents/").content)  # said once

    accessible = _add_one(verified_admin_client, _accessible_pdf(), title="Local offer")
    assert "Document 'Local offer' added." in _words(accessible.content)
    assert WARNING not in _words(accessible.content)


def _update_row(client, document, title):
    return client.post(
        f"/admin/documents/multiple/{document.pk}/",
        {f"doc-{document.pk}-title": title, f"doc-{document.pk}-collection": document.collection_id},
    )


def test_update_in_the_multiple_uploader_keeps_the_warning_naming_the_document(verified_admin_client):
    """ "Update" on an uploaded document's row removes the row once saved, and the warning went with it: the answer
    carries the warning, in the same words and naming the title just saved, for the page to show as a message."""
    document = Document.objects.get(pk=_upload_several(verified_admin_client, pdf_bytes())["doc_id"])

    updated = _update_row(verified_admin_client, document, "Annual reviews 2025").json()

    gaps = "; ".join(pdf_checks.ACCESSIBILITY_GAPS.values())
    assert updated["success"] is True
    assert updated["accessibility_warning"] == f"'Annual reviews 2025' may not be accessible: {gaps}. {ADVICE}"

    accessible = Document.objects.get(pk=_upload_several(verified_admin_client, _accessible_pdf())["doc_id"])
    assert "accessibility_warning" not in _update_row(verified_admin_client, accessible, "Local offer").json()


def test_an_update_refused_draws_the_warning_again_once(verified_admin_client):
    """Wagtail puts the form drawn again for a refused "Update" in place of the row's form: the warning, drawn above
    the form, stayed as well and came twice."""
    uploaded = _upload_several(verified_admin_client, pdf_bytes())
    refused = _update_row(verified_admin_client, Document.objects.get(pk=uploaded["doc_id"]), "").json()

    assert refused["success"] is False
    for drawn in (uploaded["form"], refused["form"]):
        form = BeautifulSoup(drawn, "html.parser").find("form")
        assert f"{WARNING}: " in _words(str(form))  # replaced with the form, so never left beside the new one


UNREADABLE = "This PDF could not be read to check whether it is accessible."


def test_a_damaged_pdf_is_counted_as_not_read_kept_so_and_its_edit_page_says_it_could_not_be_checked(
    verified_admin_client, caplog
):
    """A PDF pypdf cannot read was kept as lacking nothing: its edit page said nothing, and the command counted it
    with the accessible ones. It is kept as not read, counted with the files that could not be read, logged by the
    document's id, and its edit page says in plain words that it could not be checked."""
    damaged = _kept_from_before("Old leaflet", b"%PDF-1.7 cut short")
    untagged = _kept_from_before("Annual reviews", pdf_bytes())

    assert _check() == "Checked 2 documents: 1 has accessibility gaps; 1 could not be read"
    kept = DocumentAccessibility.objects.get(document=damaged)
    assert (kept.readable, kept.gaps) == (False, [])
    assert f"Document {damaged.pk}: its file could not be read as a PDF" in caplog.text
    assert "Old leaflet" not in caplog.text
    words = _words(verified_admin_client.get(f"/admin/documents/edit/{damaged.pk}/").content)
    assert f"{UNREADABLE} It may be damaged: open it to check that it works. {ADVICE}" in words
    assert WARNING not in words
    assert UNREADABLE not in _words(verified_admin_client.get(f"/admin/documents/edit/{untagged.pk}/").content)
    assert document_accessibility.document_accessibility_message(damaged) == (
        "'Old leaflet' could not be read to check whether it is accessible. "
        f"It may be damaged: open it to check that it works. {ADVICE}"
    )
    # Kept as not read: a second run reads it no more than the others it kept.
    assert _check() == "Checked 0 documents: 0 have accessibility gaps; 0 could not be read"


def _encrypted(user_password):
    """A one-page untagged PDF encrypted as a council's tools do: with an empty user password only printing and
    copying are limited and anyone may open it; with one it opens for nobody without it."""
    from tests.pdfs import one_page_writer, written

    writer = one_page_writer()
    writer.encrypt(user_password=user_password, owner_password="council-owner", algorithm="RC4-128")
    return written(writer)


def test_a_pdf_encrypted_only_to_limit_printing_is_checked_as_any_other(verified_admin_client):
    """Encrypted with an empty user password, it opens for everyone: it was reported "could not be read ... It may
    be damaged", which it is not. It is opened with the empty password and what it lacks said as for any PDF."""
    data = _encrypted("")
    assert pdf_accessibility_gaps(io.BytesIO(data)) == ["tags", "language", "title"]
    document = _kept_from_before("Annual reviews", data)

    assert _check() == "Checked 1 document: 1 has accessibility gaps; 0 could not be read"
    words = _words(verified_admin_client.get(f"/admin/documents/edit/{document.pk}/").content)
    assert f"{WARNING}: " in words and UNTAGGED in words and UNREADABLE not in words


def test_a_pdf_that_needs_a_password_to_open_is_said_to_be_protected_not_damaged(verified_admin_client):
    """One that needs a password to open cannot be checked, and was said perhaps to be damaged: the editor is told
    it is protected with a password, and it is still counted with those that could not be read."""
    document = _kept_from_before("Annual reviews", _encrypted("secret-open"))

    assert _check() == "Checked 1 document: 0 have accessibility gaps; 1 could not be read"
    assert DocumentAccessibility.objects.get(document=document).readable is False
    words = _words(verified_admin_client.get(f"/admin/documents/edit/{document.pk}/").content)
    assert (
        "This PDF is protected with a password, so it could not be checked for accessibility. Ask for a copy "
        f"without a password. {ADVICE}"
    ) in words
    assert "damaged" not in words and WARNING not in words


def test_an_encrypted_pdf_pypdf_cannot_decrypt_here_is_said_to_be_protected_not_damaged():
    """AES needs the cryptography package, which is not installed: pypdf raises DependencyError on decrypting, and
    the PDF is told as protected (it could not be opened), not as damaged."""
    from pypdf.errors import DependencyError

    with mock.patch("pypdf.PdfReader.decrypt", side_effect=DependencyError("cryptography>=3.1 is required")):
        assert pdf_accessibility_gaps(io.BytesIO(_encrypted(""))) == pdf_checks.PASSWORD_PROTECTED
