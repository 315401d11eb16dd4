"""Writes of submissions: freezing a draft as the next numbered submission (once per idempotency key), its
reference, the receipt in the account's inbox, and the final PDF filed privately as one of the child's documents."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from advice_forms import workflow
from advice_forms.filing import file_private_pdf
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, Document, DocumentState, Submission
from advice_forms.pdf import advice_pdf
from advice_forms.selectors import (
    records_for_staff,
    request_problems,
    request_records,
    submission_records,
    submission_replaced,
)
from advice_forms.services.documents import (
    document_answers_drop,
    document_submission_file,
    document_submission_title,
)
from advice_forms.services.requests import request_inbox_link, request_transition
from advice_forms.workflow import Action, RequestNotEditable
from cms.formats import govuk_datetime
from cms.services import task_enqueue
from portal_pages.services.inbox import inbox_message_send

KIND_CODES = {"ersa": "ERSA", "appendix_b": "APPB", "other_advice": "ADV"}


class SubmissionRefused(Exception):
    """Submit was pressed while something required is missing or a step still has errors."""

    def __init__(self, message, *, missing=(), unchecked=()):
        super().__init__(message)
        self.missing = list(missing)
        self.unchecked = list(unchecked)


def submission_reference(*, kind: str, year: int, seq: int) -> str:
    """e.g. ``KBC-ERSA-2026-000123``: PORTAL_REFERENCE_PREFIX, the form kind's code, the year, a sequence."""
    return f"{settings.PORTAL_REFERENCE_PREFIX}-{KIND_CODES.get(kind, 'ADV')}-{year}-{seq:06d}"


def submission_reference_assign(submission) -> str:
    """Give a just-created Submission its reference. The sequence is the row's own id: unique and increasing on
    SQLite and PostgreSQL alike, with no race between two submits; call it in the creating transaction, so no one
    ever sees the placeholder."""
    reference = submission_reference(
        kind=submission.form_version.kind, year=timezone.localdate(submission.submitted_at).year, seq=submission.pk
    )
    Submission.objects.filter(pk=submission.pk).update(reference=reference)
    submission.reference = reference
    return reference


def submission_submit(*, advice_request, actor, idempotency_key: str, request=None):
    """Freeze the draft as the next numbered Submission against the pinned form version.

    One Submission per idempotency key: a double click or a resent POST returns the first one. Refused
    (SubmissionRefused) while anything required is missing or a step still has errors, and
    (RequestNotEditable) when the request is already submitted or accepted. After commit the final PDF
    is rendered and filed by a task; the receipt goes to the inbox at once.
    """
    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.request_id != advice_request.pk:
            raise SubmissionRefused("This form was already used for another request.")
        return existing
    try:
        return _submission_create(
            advice_request=advice_request, actor=actor, idempotency_key=idempotency_key, request=request
        )
    except IntegrityError:
        # A concurrent POST with the same key won the race (databases without row locks get here).
        existing = Submission.objects.filter(idempotency_key=idempotency_key, request=advice_request).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _submission_create(*, advice_request, actor, idempotency_key, request):
    locked = (
        AdviceRequest.objects.select_for_update(of=("self",))
        .select_related("form_version", "child")
        .get(pk=advice_request.pk)
    )
    existing = Submission.objects.filter(idempotency_key=idempotency_key, request=locked).first()
    if existing is not None:
        return existing
    if not workflow.state_allows(Action.SUBMIT, locked.state):
        raise RequestNotEditable(locked.state)
    workflow.actor_check(Action.SUBMIT, actor=actor, account_id=locked.account_id)
    document_answers_drop(locked)  # a file withdrawn or deleted as Submit was pressed is never sent
    records = request_records(locked)  # read once: what is missing counts them, and the submission freezes them
    missing, unchecked = request_problems(locked, records=records)
    if missing or unchecked:
        raise SubmissionRefused("Something required is missing.", missing=missing, unchecked=unchecked)
    last = locked.submissions.order_by("-number").values_list("number", flat=True).first() or 0
    now = timezone.now()
    submission = Submission.objects.create(
        request=locked,
        number=last + 1,
        form_version=locked.form_version,
        answers=locked.answers,
        records=submission_records(locked, records=records),
        reference=f"pending-{idempotency_key}"[:40],  # replaced below, in this transaction
        submitted_by=actor,
        submitted_by_name=(getattr(actor, "display_name", "") or str(actor))[:200],
        submitted_at=now,
        idempotency_key=idempotency_key,
    )
    submission_reference_assign(submission)
    submission_evidence_record(submission)
    request_transition(
        locked,
        action=Action.SUBMIT,
        actor=actor,
        request=request,
        data={"submission": submission.pk, "number": submission.number},
    )
    locked.raw_steps = {}
    locked.save(update_fields=["raw_steps", "updated_at"])
    advice_request.state, advice_request.raw_steps = locked.state, locked.raw_steps
    _submission_receipt_send(submission=submission, advice_request=locked)
    transaction.on_commit(lambda: _submission_pdf_enqueue(submission.pk))
    return submission


def submission_evidence_record(submission) -> None:
    """Record the files a just-made submission sends (``Submission.evidence``, which ``sent_with_form`` reads): the
    current documents of its request named by the file answers it shows. A file kept for a question its answers hide
    is not sent: neither its PDF nor the caseworker's review shows it."""
    builder = FormBuilder.for_version(submission.form_version)
    shown = builder.shown(submission.answers)
    named = {document for _, spec, document in builder.file_answers(submission.answers) if shown.field(spec)}
    if named:
        sent = Document.objects.filter(
            pk__in=named, advice_request_id=submission.request_id, state=DocumentState.CURRENT, submission=None
        )
        submission.evidence.set(sent)


def _submission_receipt_send(*, submission, advice_request) -> None:
    version = submission.form_version
    earlier = submission_replaced(submission)
    replaces = f" It replaces version {earlier.number}, reference {earlier.reference}." if earlier else ""
    inbox_message_send(
        account=advice_request.account,
        subject=f"We have received your {version.title}",
        body=(
            f"We have received your {version.title_with_label} for {advice_request.child_display_name}, "
            f"version {submission.number}, reference {submission.reference}.{replaces}\n\n"
            "The EHC co-ordinator will read it and either accept it or ask you for more information. "
            "We will send you a message when they have."
        ),
        event_key=f"submission-received:{submission.pk}",
        **request_inbox_link(advice_request),
    )


def _submission_pdf_enqueue(submission_id: int) -> None:
    # Left unqueued while Redis is down, the PDF is filed on its first download or review (submission_pdf_store).
    task_enqueue("advice_forms.tasks.submission_pdf_file", submission_id, task_name=f"submission-pdf-{submission_id}")


def submission_pdf_render(submission, *, for_staff: bool = False) -> bytes:
    """The final PDF, from what the submission froze (answers, version, record rows, the child's name as shown then):
    the same bytes whenever it is rendered. Submissions made before records were frozen read the name as it is now.
    ``for_staff``: the SEND service's copy, whose child's details are the child record's where the team account saw
    the child by initials only (selectors.records_for_staff); the filed document stays the team's copy. Made on each
    download, the SEND service's copy says when the version was returned or replaced since (``standing``)."""
    records = submission.records or None
    standing = ""
    if for_staff:
        records = records_for_staff(records, submission.request.child)
        standing = _submission_standing(submission)
    child = (records or {}).get("child", {})
    return advice_pdf(
        version=submission.form_version,
        answers=submission.answers,
        preview=False,
        child_name=child.get("name") or submission.request.child_display_name,
        child_seen_as=child.get("seen_as", ""),
        account_name=submission.submitted_by_name,
        submission=submission,
        advice_request=submission.request,
        records=records,
        standing=standing,
    )


def _submission_standing(submission) -> str:
    """What became of a submitted version since, in words for its PDF: replaced by a later version, or returned."""
    newer = submission.request.submissions.filter(number__gt=submission.number).order_by("-number").first()
    if newer is not None:
        return f"Replaced by version {newer.number}, reference {newer.reference}"
    if getattr(submission, "returned", None) is not None:  # the reverse one-to-one raises when there is none
        return "Returned for more information"
    return ""


def submission_seen_by_initials(submission) -> bool:
    """Whether the team account submitted it seeing the child by initials only, so its filed PDF (the team's copy)
    does not identify the child to the SEND service."""
    return bool(((submission.records or {}).get("child") or {}).get("initials_only"))


def submission_pdf_store(*, submission_id: int):
    """Render the final PDF of a submission, file it privately in the child's folder and list it among the
    child's documents, once. Returns the Document.

    Safe to run twice (a retried task, a download asked for before the task ran): a submission that already
    has its Document is left as it is. The PDF is rendered before the transaction that files it, holding no lock:
    rendering takes seconds, and on SQLite (``transaction_mode`` IMMEDIATE) a transaction holds the database's one
    write lock from its start: every other write (a caseworker's return, a professional's submit or autosave) would
    wait for the rendering. Two runs at once may both render; the one that files second keeps the first's.
    """
    document = Document.objects.filter(submission_id=submission_id).first()
    if document is not None:
        return document
    submission = Submission.objects.select_related("form_version", "request__child").get(pk=submission_id)
    return _submission_pdf_file(submission_id=submission_id, data=submission_pdf_render(submission))


@transaction.atomic
def _submission_pdf_file(*, submission_id: int, data: bytes):
    # Lock the submission row only, not the rows it joins; filed already by a run that rendered at the same time.
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("form_version", "request__child")
        .get(pk=submission_id)
    )
    document = Document.objects.filter(submission=submission).first()
    if document is not None:
        return document
    filed = file_private_pdf(
        child=submission.request.child,
        data=data,
        title=document_submission_title(submission),
        original_filename=f"{submission.reference}.pdf",
        owner=submission.submitted_by,
    )
    filed.description = f"Submitted by {submission.submitted_by_name} on {govuk_datetime(submission.submitted_at)}."
    filed.save()
    return document_submission_file(submission=submission, filed=filed, size=len(data))
