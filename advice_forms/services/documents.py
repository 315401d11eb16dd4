"""Writes on a child's documents: a professional's checked upload, filed privately; a submission's final PDF,
recorded as the submitting account's document; the withdrawal of an upload by its uploader; a caseworker's deletion
with a reason and choice of who may download; and a professional's request for access, of which the co-ordinator
is told. Each is audited (ids only)."""

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.filing import file_private_pdf
from advice_forms.models import SUBMITTED_ADVICE, AccessRequest, Document, DocumentState
from advice_forms.services.requests import coordinator_notify
from advice_forms.uploads import safe_filename
from advice_forms.workflow import NotEditable
from cms.services import audit_record
from portal_pages.models import User
from portal_pages.services.emails import absolute_url, service_contact


def document_upload(*, advice_request, account: User, uploaded, title: str, document_type: str, request=None):
    """File a checked PDF privately in the child's folder and record it as the account's upload."""
    if not advice_request.is_editable:
        raise NotEditable
    uploaded.seek(0)
    data = uploaded.read()
    original = safe_filename(uploaded.name)
    with transaction.atomic():
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
    return document


def document_submission_title(submission) -> str:
    """What a submission's PDF is called among the child's documents: the form, its version label, the reference."""
    version = submission.form_version
    return f"{version.title} ({version.version_label}) – {submission.reference}"[:200]


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


def document_withdraw(*, document, account: User, request=None):
    """The uploader takes back its own upload while its request is still open: a soft delete, audited. A
    submission's PDF is not an upload: it stays with the submission it records."""
    if document.uploaded_by_id != account.pk or not document.is_current or document.submission_id:
        raise PermissionError("Only the uploader withdraws a current document it uploaded.")
    if document.advice_request is None or not document.advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        document.state = DocumentState.WITHDRAWN
        document.state_changed_at = timezone.now()
        document.state_changed_by = account
        document.save(update_fields=["state", "state_changed_at", "state_changed_by"])
        audit_record(
            action=CaseworkEvent.DOCUMENT_WITHDRAWN,
            actor=account,
            target=document,
            from_state=DocumentState.CURRENT,
            to_state=DocumentState.WITHDRAWN,
            request=request,
        )
    return document


def document_delete(*, document, by: User, reason: str, request=None):
    """A caseworker removes any document, giving a reason: soft, audited, and no account can download it again."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    with transaction.atomic():
        previous = document.state
        document.state = DocumentState.DELETED
        document.state_changed_at = timezone.now()
        document.state_changed_by = by
        document.state_reason = reason.strip()
        document.save(update_fields=["state", "state_changed_at", "state_changed_by", "state_reason"])
        audit_record(
            action=CaseworkEvent.DOCUMENT_DELETED,
            actor=by,
            target=document,
            from_state=previous,
            to_state=DocumentState.DELETED,
            reason=reason.strip(),
            request=request,
        )
    return document


def document_availability_set(*, document, accounts, by: User, request=None):
    """Make a document downloadable by exactly these team accounts (besides its uploader); open access requests
    from accounts now allowed are resolved."""
    new_ids = sorted({account.pk for account in accounts})
    with transaction.atomic():
        old_ids = sorted(document.available_to.values_list("pk", flat=True))
        document.available_to.set(new_ids)
        document.access_requests.filter(account_id__in=new_ids, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if old_ids != new_ids:
            audit_record(
                action=CaseworkEvent.DOCUMENT_AVAILABILITY,
                actor=by,
                target=document,
                request=request,
                data={"before": old_ids, "after": new_ids},
            )
    return document


def document_access_request(*, document, account: User, advice_request, request=None):
    """Ask the co-ordinator for a document: one open request per account and document, and one email for it."""
    with transaction.atomic():
        access, created = AccessRequest.objects.get_or_create(
            document=document,
            account=account,
            resolved_at=None,
            defaults={"advice_request": advice_request},
        )
        if created:
            audit_record(
                action=CaseworkEvent.DOCUMENT_ACCESS_REQUESTED, actor=account, target=document, request=request
            )
            contact = service_contact()
            coordinator_notify(
                child=document.child,
                key=f"document-access:{access.pk}",
                subject=f"A team account asked for access to a document in the {contact['service_name']}",
                body=render_to_string(
                    "advice_forms/emails/document_access_requested.txt",
                    {**contact, "admin_url": absolute_url(reverse("casework_access_requests"))},
                ),
            )
    return access
