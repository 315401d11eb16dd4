"""What a guidance PDF lacks that screen readers need, read from its catalog once for each file a document holds and
kept (cms.models.DocumentAccessibility): the document's edit page, the multiple uploader's result (and its message
after "Update") and the page the single "Add a document" form leads to say so, as does the page a page's save leads
to, for the documents its content links (one uploaded in the page editor's chooser is told nowhere else); none of
them reads the file.

Found when the document is saved (post_save, connected in cms.apps), not when a page is shown: a GET only reads the
kept row, so no request writes while showing a page, and none reads a PDF. A document saved with a file whose row is
missing (uploaded before this was kept, or its file replaced) is read then; those uploaded before and not saved since
are read by the command check_document_accessibility, run once after upgrading (docs/operations.md), as reading one
on a GET would put the parse and a write back on the edit page."""

import logging
from dataclasses import dataclass, replace

from django.db.models import F
from wagtail.documents import get_document_model

from cms.models import DocumentAccessibility
from cms.pdf_checks import ACCESSIBILITY_GAPS, PASSWORD_PROTECTED, pdf_accessibility_gaps

logger = logging.getLogger(__name__)

# The warning's words, wherever it is shown: what is said of the PDF (after "This PDF" on its edit page, after its
# title in a message), before what it lacks, and after it.
_MAY_NOT_BE_ACCESSIBLE = "may not be accessible"
WARNING = f"This PDF {_MAY_NOT_BE_ACCESSIBLE}"
ADVICE = "Ask for an accessible version or publish the content as a page."
# Of a PDF that could not be read (damaged): what it lacks is not known, and it may not open for anyone.
_NOT_READ = "could not be read to check whether it is accessible."
UNREADABLE_WARNING = f"This PDF {_NOT_READ}"
UNREADABLE_ADVICE = f"It may be damaged: open it to check that it works. {ADVICE}"
# Of an encrypted PDF that could not be opened without its password: it may not open for anyone without it.
_PROTECTED = "is protected with a password, so it could not be checked for accessibility."
PROTECTED_WARNING = f"This PDF {_PROTECTED}"
PROTECTED_ADVICE = f"Ask for a copy without a password. {ADVICE}"
# Documents read by the command between two reads of the list: each read is one query, however many there are.
_BATCH = 100


@dataclass(frozen=True)
class AccessibilityWarning:
    """What the editor is told of a guidance PDF: what is said of it, the words of what it lacks (none for a PDF that
    could not be read), and what to do; ``subject`` names the PDF."""

    said: str
    gaps: list[str]
    advice: str
    subject: str = "This PDF"

    @property
    def warning(self) -> str:
        return f"{self.subject} {self.said}"

    def __str__(self):
        if self.gaps:
            return f"{self.warning}: {'; '.join(self.gaps)}. {self.advice}"
        return f"{self.warning} {self.advice}"


def document_accessibility_finding(document) -> AccessibilityWarning | None:
    """The warning for ``document``'s stored PDF, as kept for its file: what it lacks (ACCESSIBILITY_GAPS' words), or
    that it could not be read to check. None for a PDF that lacks nothing, a file that is not a PDF, one whose row is
    not kept yet, and an upload not stored yet (an edit that failed on another field holds the new file, not yet
    saved, beside the stored file's hash)."""
    if not _is_pdf(document) or not document.file_hash or not getattr(document.file, "_committed", True):
        return None
    kept = DocumentAccessibility.objects.filter(document=document, file_hash=document.file_hash).first()
    return _kept_finding(kept) if kept is not None else None


def _kept_finding(kept) -> AccessibilityWarning | None:
    """The warning a kept row gives: that the PDF is protected or could not be read, or what it lacks; None when it
    lacks nothing."""
    if not kept.readable and kept.gaps == PASSWORD_PROTECTED:
        return AccessibilityWarning(_PROTECTED, [], PROTECTED_ADVICE)
    if not kept.readable:
        return AccessibilityWarning(_NOT_READ, [], UNREADABLE_ADVICE)
    gaps = [ACCESSIBILITY_GAPS[code] for code in kept.gaps if code in ACCESSIBILITY_GAPS]
    return AccessibilityWarning(_MAY_NOT_BE_ACCESSIBLE, gaps, ADVICE) if gaps else None


def document_accessibility_message(document) -> str:
    """The warning in one line, naming the document, for a Wagtail message (after the single "Add a document" form,
    and after "Update" in the multiple uploader): its title in place of "This PDF"; "" when its PDF lacks nothing, as
    kept."""
    finding = document_accessibility_finding(document)
    return _named(document, finding) if finding else ""


def documents_accessibility_messages(ids) -> list[str]:
    """The warning in one line, naming the document, for each of the documents ``ids`` whose PDF lacks something, as
    kept for the file it holds now, in the order of ``ids`` (a page's save lists those it links, in its order): one
    query for them all, however many. Those with nothing kept, not PDFs, or gone are left out."""
    kept = DocumentAccessibility.objects.filter(document__in=ids, file_hash=F("document__file_hash"))
    found = {row.document_id: row for row in kept.select_related("document")}
    messages = []
    for pk in ids:
        row = found.get(pk)
        finding = _kept_finding(row) if row is not None and _is_pdf(row.document) else None
        if finding:
            messages.append(_named(row.document, finding))
    return messages


def _named(document, finding: AccessibilityWarning) -> str:
    return str(replace(finding, subject=f"'{document.title}'"))


def document_accessibility_keep(sender, instance, raw=False, update_fields=None, **kwargs):
    """post_save of a document: read its PDF once for the file it now holds (by its hash) and keep what it lacks;
    nothing for a file already read, one not a PDF, or one missing from storage. A save of some fields only is
    Wagtail filling in a size or a hash while it shows a page (``get_file_size``), even beside an unsaved upload
    of a refused edit: that reads nothing."""
    if raw or update_fields is not None or not _is_pdf(instance) or not instance.file_hash:
        return
    if DocumentAccessibility.objects.filter(document=instance, file_hash=instance.file_hash).exists():
        return
    _read_and_keep(instance)


@dataclass
class AccessibilityCounts:
    checked: int = 0
    with_gaps: int = 0
    unreadable: int = 0

    def __str__(self):
        documents = "document" if self.checked == 1 else "documents"
        have = "has" if self.with_gaps == 1 else "have"
        return (
            f"Checked {self.checked} {documents}: {self.with_gaps} {have} accessibility gaps; "
            f"{self.unreadable} could not be read"
        )


def document_accessibility_check_all(*, every: bool = False) -> AccessibilityCounts:
    """Read and keep what each guidance PDF lacks: those with nothing kept for the file they hold (uploaded before
    this was kept, and not saved since), or ``every`` one. A file missing or unreadable is logged and counted, and
    the rest are read; a file that is not a readable PDF (damaged) is kept as such, and counted with them. Safe to
    repeat: a second run without ``every`` reads none of those it kept."""
    documents = get_document_model().objects.filter(file__iendswith=".pdf").order_by("pk")
    if not every:
        documents = documents.exclude(accessibility__file_hash=F("file_hash"))
    counts = AccessibilityCounts()
    last = 0
    while batch := list(documents.filter(pk__gt=last)[:_BATCH]):
        for document in batch:
            counts.checked += 1
            kept = _read_and_keep(document)
            if kept is None or not kept.readable:
                counts.unreadable += 1
            elif kept.gaps:
                counts.with_gaps += 1
        last = batch[-1].pk
    return counts


def _read_and_keep(document) -> DocumentAccessibility | None:
    """Read ``document``'s PDF and keep the codes of what it lacks, or that it could not be read as a PDF, for the
    file it holds; None, logged, when the file cannot be had (missing from storage, or the storage's own error: S3's
    is not an OSError), and the upload is kept without a warning. A document from before Wagtail kept files' hashes
    gets its hash first."""
    try:
        if not document.file_hash:
            # Written alone: Wagtail's get_file_hash() saves the document, re-indexing it for search (a dozen queries).
            document._set_file_hash()
            type(document).objects.filter(pk=document.pk).update(file_hash=document.file_hash)
        with document.open_file() as file:
            gaps = pdf_accessibility_gaps(file)
    except OSError:
        # Missing from storage: said again on each save of the document, so without a traceback that tells nothing.
        logger.info("Document %s: its file could not be read for what it lacks (missing)", document.pk)
        return None
    except Exception:  # noqa: BLE001 - any storage's own error: the others go on
        logger.warning("Document %s: its file could not be read for what it lacks", document.pk, exc_info=True)
        return None
    if gaps is None:
        logger.warning("Document %s: its file could not be read as a PDF for what it lacks", document.pk)
    # A password-protected PDF is kept unreadable, with the code that says why.
    readable = gaps is not None and gaps != PASSWORD_PROTECTED
    kept = DocumentAccessibility(document=document, file_hash=document.file_hash, gaps=gaps or [], readable=readable)
    # One upsert: update_or_create takes two savepoints, a locking read and a write.
    DocumentAccessibility.objects.bulk_create(
        [kept], update_conflicts=True, unique_fields=["document"], update_fields=["file_hash", "gaps", "readable"]
    )
    return kept


def _is_pdf(document) -> bool:
    return document.file_extension.lower() == "pdf"  # Wagtail keeps the name's case: a scanner's SCAN0001.PDF
