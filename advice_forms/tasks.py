"""django-q2 entry points for advice forms: each takes an id and calls a service; each is safe to run twice."""

from advice_forms.services import submission_pdf_store


def submission_pdf_file(submission_id: int) -> int:
    """Render and file a submission's final PDF (does nothing when it is already filed)."""
    return submission_pdf_store(submission_id=submission_id).pk
