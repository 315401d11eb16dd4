"""django-q2 entry points of the advice loop: each takes ids (or nothing), calls a service, and is safe to run twice."""

from advice_forms.services import due_dates
from advice_forms.services import submissions as submission_services


def advice_requests_remind() -> dict:
    return due_dates.advice_requests_remind()


def submission_pdf_file(submission_id: int) -> int:
    """Render and file a submission's final PDF as one of the child's documents (does nothing when it is already
    filed); returns the Document's id."""
    return submission_services.submission_pdf_store(submission_id=submission_id).pk
