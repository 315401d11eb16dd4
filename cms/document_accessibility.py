"""What a guidance PDF lacks that screen readers need, read from its catalog once for each file a document holds and
kept (cms.models.DocumentAccessibility): the document's edit page and the multiple uploader's result say so, and
neither reads the file.

Found when the document is saved (post_save, connected in cms.apps), not when a page is shown: a GET only reads the
kept row, so no request writes while showing a page, and none reads a PDF. A document saved with a file whose row is
missing (uploaded before this was kept, or its file replaced) is read then; one uploaded before and not saved since
shows no warning until it is, as reading it on a GET would put the parse and a write back on the edit page."""

import logging

from cms.models import DocumentAccessibility
from cms.pdf_checks import ACCESSIBILITY_GAPS, pdf_accessibility_gaps

logger = logging.getLogger(__name__)


def document_accessibility_gaps(document) -> list[str]:
    """The words of what ``document``'s stored PDF lacks (ACCESSIBILITY_GAPS'), as kept for its file; [] for a file
    that is not a PDF, for one whose row is not kept yet, and for an upload not stored yet (an edit that failed on
    another field holds the new file, not yet saved, beside the stored file's hash)."""
    if not _is_pdf(document) or not document.file_hash or not getattr(document.file, "_committed", True):
        return []
    kept = DocumentAccessibility.objects.filter(document=document, file_hash=document.file_hash).first()
    return [ACCESSIBILITY_GAPS[code] for code in kept.gaps if code in ACCESSIBILITY_GAPS] if kept else []


def document_accessibility_keep(sender, instance, raw=False, update_fields=None, **kwargs):
    """post_save of a document: read its PDF once for the file it now holds (by its hash) and keep what it lacks;
    nothing for a file already read, one not a PDF, or one missing from storage. A save of some fields only is
    Wagtail filling in a size or a hash while it shows a page (``get_file_size``), even beside an unsaved upload
    of a refused edit: that reads nothing."""
    if raw or update_fields is not None or not _is_pdf(instance) or not instance.file_hash:
        return
    if DocumentAccessibility.objects.filter(document=instance, file_hash=instance.file_hash).exists():
        return
    try:
        with instance.open_file() as file:
            gaps = pdf_accessibility_gaps(file)
    except OSError:  # the file is missing from storage: Wagtail's edit page says so
        return
    except Exception:  # noqa: BLE001 - another storage's own error (S3's): the upload is kept, the warning is not
        logger.warning("Document %s: its file could not be read for what it lacks", instance.pk, exc_info=True)
        return
    DocumentAccessibility.objects.update_or_create(
        document=instance, defaults={"file_hash": instance.file_hash, "gaps": gaps}
    )


def _is_pdf(document) -> bool:
    return document.file_extension.lower() == "pdf"  # Wagtail keeps the name's case: a scanner's SCAN0001.PDF
