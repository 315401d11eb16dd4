"""Writes on a child's documents: a professional's checked upload, filed privately; a submission's final PDF,
recorded as the submitting account's document; the withdrawal of an upload by its uploader; a caseworker's deletion
with a reason and choice of who may download (which grants the requests for access of the accounts allowed:
access_requests.py). Each is audited (ids only)."""

from django.db import transaction
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.filing import file_private_pdf
from advice_forms.form_builder import FormBuilder
from advice_forms.models import (
    SUBMITTED_ADVICE,
    AccessRequestState,
    AdviceRequest,
    Document,
    DocumentState,
)
from advice_forms.selectors import accounts_seeing_child_by_initials
from advice_forms.services.access_requests import access_granted_notify
from advice_forms.services.coordinators import coordinator_notify
from advice_forms.services.moves import casework_move, request_lock
from advice_forms.uploads import safe_filename
from advice_forms.workflow import Action, NotEditable
from cms.services import audit_record
from portal_pages.models import User


def document_upload(*, advice_request, account: User, uploaded, title: str, document_type: str, request=None):
    """File a checked PDF privately in the child's folder and record it as the account's upload. Open until the
    advice is accepted (NotEditable, nothing filed, once it is, though it was open when the page read it); one added
    while it is being reviewed is news for the co-ordinator (told by email)."""
    uploaded.seek(0)
    data = uploaded.read()
    original = safe_filename(uploaded.name)
    with transaction.atomic():
        locked = request_lock(advice_request.pk, allowing=Action.ADD_SUPPORTING)
        filed = file_private_pdf(
            child=advice_request.child, data=data, title=title, original_filename=original, owner=account
        )
        document = Document.objects.create(
            child=advice_request.child,
            advice_request=advice_request,
            title=title,
            document_type=document_type,
            file=filed,
            original_filename=original,
            size=len(data),
            uploaded_by=account,
            uploaded_by_name=str(account),
        )
        audit_record(action=CaseworkEvent.DOCUMENT_UPLOADED, actor=account, target=document, request=request)
        if locked.is_submitted:
            added_after_submission_notify(advice_request=advice_request, key=f"document:{document.pk}")
    return document


def document_evidence_title(filename: str) -> str:
    """What a file answer is called among the child's documents, for every account and caseworker alike: the name its
    uploader gave the file, without ".pdf". A question's label is written to the account filling the form ("Your full
    report"), so it would read as the reader's own."""
    return safe_filename(filename)[:-4][:200]


def added_after_submission_notify(*, advice_request, key: str) -> None:
    """Tell the child's co-ordinator that a team account added a document or an outcome to advice under review
    (``key`` names what, for sending once): the email says nothing of the child or of what was added."""
    coordinator_notify(
        child=advice_request.child,
        key=f"added-after-submission:{key}",
        news="added to advice it has submitted",
        template="added_after_submission",
        admin_url_name="review_queue:index",
    )


def document_submission_title(submission) -> str:
    """What a submission's PDF is called among the child's documents, and its filed file too: the form's full title,
    its version label, the reference ("Educational advice (Appendix B) (NOV26) – APPB-…")."""
    return f"{submission.form_version.title_with_label} – {submission.reference}"[:200]


def document_submission_file(*, submission, filed, size: int):
    """Record a submission's filed PDF (a filer File) as one of the child's documents: uploaded by the submitting
    account, when it submitted, through its request. The caller holds the submission's row lock, so there is one
    Document per submission (the one-to-one field refuses a second)."""
    advice_request = submission.request
    document = Document.objects.create(
        child_id=advice_request.child_id,
        advice_request=advice_request,
        title=document_submission_title(submission),
        document_type=SUBMITTED_ADVICE,
        file=filed,
        original_filename=safe_filename(f"{submission.reference}.pdf"),
        size=size,
        uploaded_by_id=submission.submitted_by_id,
        uploaded_by_name=submission.submitted_by_name,
        uploaded_at=submission.submitted_at,
        submission=submission,
    )
    audit_record(
        action=CaseworkEvent.DOCUMENT_UPLOADED,
        actor=submission.submitted_by,
        target=document,
        data={"submission": submission.pk},
    )
    return document


def document_answers_drop(advice_request) -> list:
    """An answer to a file question counts only while its document is current: drop from the request's draft each
    one that names a document withdrawn, deleted or not the request's own, and take its section off the completed
    ones when that leaves a required question unanswered. Nothing else in the draft is touched. Call it with the
    request's row locked; returns the (section key, question key) of each answer dropped."""
    builder = FormBuilder.for_version(advice_request.form_version)
    answers = advice_request.answers or {}
    named = {(section.key, spec.key): document for section, spec, document in builder.file_answers(answers)}
    current = set(
        Document.objects.filter(
            pk__in=named.values(), advice_request=advice_request, state=DocumentState.CURRENT
        ).values_list("pk", flat=True)
    )
    dropped = [where for where, pk in named.items() if pk not in current]
    if not dropped:
        return []
    kept = {key: dict(value) if isinstance(value, dict) else value for key, value in answers.items()}
    for section_key, key in dropped:
        del kept[section_key][key]
    missing = builder.missing_required(kept, advice_request.raw_steps)
    unanswered = {m.section_key for m in missing if (m.section_key, m.field_key) in dropped}
    advice_request.answers = kept
    advice_request.completed_sections = [key for key in advice_request.completed_sections if key not in unanswered]
    advice_request.save(update_fields=["answers", "completed_sections", "updated_at"])
    return dropped


def _document_casework_move(
    document, state: str, event: CaseworkEvent, *, by: User, reason: str = "", allowing: str | None = None, request=None
):
    """Move the document; a draft still being written no longer answers a file question with it. The request is
    locked first (once), as a draft's save locks it before filing or withdrawing its uploads, and the move is refused
    (NotEditable) unless its state allows ``allowing``."""
    locked = None
    if document.advice_request_id is not None:
        rows = AdviceRequest.objects.select_related("form_version")
        locked = request_lock(document.advice_request_id, allowing=allowing, rows=rows)
    casework_move(
        document,
        state,
        action=event,
        actor=by,
        request=request,
        state_changed_at=timezone.now(),
        state_changed_by=by,
        state_reason=reason,
        update_fields=["state", "state_changed_at", "state_changed_by", "state_reason"],
    )
    if locked is not None and locked.is_editable:
        document_answers_drop(locked)


def document_withdraw(*, document, account: User, request=None):
    """The uploader takes back its own upload while its request is still open: a soft delete, audited. A
    submission's PDF is not an upload: it stays with the submission it records."""
    if document.uploaded_by_id != account.pk or not document.is_current or document.submission_id:
        raise PermissionError("Only the uploader withdraws a current document it uploaded.")
    if document.advice_request_id is None:
        raise NotEditable
    with transaction.atomic():
        # Once submitted, the caseworker may be reading it: only they delete it (though the page read it open).
        _document_casework_move(
            document,
            DocumentState.WITHDRAWN,
            CaseworkEvent.DOCUMENT_WITHDRAWN,
            by=account,
            allowing=Action.EDIT,
            request=request,
        )
    return document


def document_delete(*, document, by: User, reason: str, request=None):
    """A caseworker removes any document, giving a reason: soft, audited, and no account can download it again."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    with transaction.atomic():
        _document_casework_move(
            document,
            DocumentState.DELETED,
            CaseworkEvent.DOCUMENT_DELETED,
            by=by,
            reason=reason.strip(),
            request=request,
        )
    return document


class SeesChildByInitials(ValueError):
    """A team account that sees the child by initials only was to be given one of the child's documents, which name
    the child: refused, nothing stored. ``accounts`` are those refused."""

    def __init__(self, accounts):
        self.accounts = list(accounts)
        super().__init__(initials_only_message(self.accounts))


def initials_only_message(accounts) -> str:
    """Why ``accounts`` cannot be given a document of the child, and how to change that, in a caseworker's words."""
    names = " and ".join(str(account.display_name or account.email) for account in accounts)
    sees, it = ("sees", "it") if len(accounts) == 1 else ("see", "them")
    return (
        f"{names} {sees} this child by initials only, so cannot be given the child's documents. To change that, "
        f"share a request with {it} with the child's full details (“Their full name”)"
    )


def document_availability_set(*, document, accounts, by: User, request=None):
    """Make a document downloadable by exactly these team accounts (besides its uploader); open access requests
    from accounts now allowed are resolved, and each of those accounts is told in its inbox (whose email says only
    that a message is waiting), once per request for access. An account that sees the child by initials only is
    refused (SeesChildByInitials), storing nothing."""
    new_ids = sorted({account.pk for account in accounts})
    refused = accounts_seeing_child_by_initials(document.child).filter(pk__in=new_ids)
    if refused:
        raise SeesChildByInitials(refused)
    with transaction.atomic():
        old_ids = sorted(document.available_to.values_list("pk", flat=True))
        document.available_to.set(new_ids)
        granted = list(
            document.access_requests.filter(account_id__in=new_ids, resolved_at__isnull=True).select_related(
                "advice_request__form_version"
            )
        )
        document.access_requests.filter(pk__in=[access.pk for access in granted]).update(
            resolved_at=timezone.now(), state=AccessRequestState.GRANTED
        )
        if old_ids != new_ids:
            audit_record(
                action=CaseworkEvent.DOCUMENT_AVAILABILITY,
                actor=by,
                target=document,
                request=request,
                data={"before": old_ids, "after": new_ids},
            )
        for access in granted:
            access_granted_notify(access=access)
    return document
