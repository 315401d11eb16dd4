"""What a guidance PDF lacks that screen readers need, read from its catalog once for each file a document holds and
kept (cms.models.DocumentAccessibility): the document's edit page and the multiple uploader's result say so, and
neither reads the file again. A PDF lacking them is published all the same: councils hold legacy PDFs.

Found when first asked, as Wagtail finds a document's file hash: a document uploaded before this was kept, or whose
file was replaced, is read the next time its edit page opens."""

from cms.models import DocumentAccessibility
from cms.pdf_checks import ACCESSIBILITY_GAPS, pdf_accessibility_gaps


def document_accessibility_gaps(document) -> list[str]:
    """The words of what ``document``'s PDF lacks (ACCESSIBILITY_GAPS'), kept for its file; [] for a file that is
    not a PDF, cannot be found or cannot be read."""
    if document.file_extension != "pdf":
        return []
    try:
        file_hash = document.get_file_hash()
        kept = DocumentAccessibility.objects.filter(document=document, file_hash=file_hash).first()
        if kept is None:
            with document.open_file() as file:
                gaps = pdf_accessibility_gaps(file)
            kept, _ = DocumentAccessibility.objects.update_or_create(
                document=document, defaults={"file_hash": file_hash, "gaps": gaps}
            )
    except OSError:  # the file is missing from storage: Wagtail's edit page says so
        return []
    return [ACCESSIBILITY_GAPS[code] for code in kept.gaps if code in ACCESSIBILITY_GAPS]
