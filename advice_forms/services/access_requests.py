"""Writes on a team account's requests for access to a child's document: asking (the co-ordinator is told), and the
co-ordinator's answer, which grants it (by making the document available to the account: documents.py,
``document_availability_set``) or refuses it with a reason. Either way the account is told in its inbox, whose email
says only that a message is waiting. Each is audited (ids only)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from advice_forms.events import CaseworkEvent
from advice_forms.models import AccessRequest, AccessRequestState
from advice_forms.selectors import OPENS_CHILD_IN_FULL, opens_others_writing, requests_for_account
from advice_forms.services.coordinators import coordinator_notify
from cms.services import audit_record
from portal_pages.models import User
from portal_pages.services.inbox import inbox_message_send


class AccessRequestDecided(ValueError):
    """The request for access was granted or refused before this answer (another caseworker, a second click):
    nothing is stored."""


def access_granted_notify(*, access) -> None:
    """Tell the account that asked for a document that it may now download it: a message leading to the documents of
    the request it asked through, naming the form and neither the child nor the document (whose title another
    account wrote). Asked through a request that shows only the child's initials (before those were refused), it
    leads to one of the account's requests that opens the child in full, through which it downloads. The inbox says
    which child it is about as the request it leads to shows them (selectors.requests_by_inbox_link)."""
    advice_request = access.advice_request
    if not opens_others_writing(advice_request):
        in_full = requests_for_account(access.account).filter(OPENS_CHILD_IN_FULL, child_id=advice_request.child_id)
        advice_request = in_full.select_related("form_version").order_by("pk").first() or advice_request
    inbox_message_send(
        account=access.account,
        subject="You can now download a document you asked for",
        body=(
            f"The SEND service has allowed your team to download a document you asked for through your "
            f"{advice_request.form_version.title} request. It has a download link in that request's documents."
        ),
        event_key=f"document-access-granted:{access.pk}",
        link=reverse("portal:request_documents", args=[advice_request.pk]),
        link_text="Go to the documents",
        email_news="A document you asked for can now be downloaded",
    )


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
            coordinator_notify(
                child=document.child,
                key=f"document-access:{access.pk}",
                news="asked for access to a document",
                template="document_access_requested",
                admin_url_name="casework_access_requests",
            )
    return access


def access_request_refuse(*, access, by: User, reason: str, request=None):
    """A caseworker refuses a waiting request for access, giving a reason, whatever the account sees of the child
    (one that sees it by initials only may be refused, never granted). The request leaves the waiting lists, the
    reason is kept on it (never in the audit entry) and the account is told in its inbox; it may ask again.
    AccessRequestDecided, storing nothing, when it is no longer waiting."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required.")
    with transaction.atomic():
        refused = AccessRequest.objects.filter(pk=access.pk, state=AccessRequestState.WAITING).update(
            state=AccessRequestState.REFUSED, resolved_at=timezone.now(), refused_reason=reason
        )
        if not refused:
            raise AccessRequestDecided
        access.refresh_from_db()
        audit_record(
            action=CaseworkEvent.DOCUMENT_ACCESS_REFUSED,
            actor=by,
            target=access.document,
            request=request,
            data={"access_request": access.pk, "account": access.account_id},
        )
        access_refused_notify(access=access)
    return access


def access_refused_notify(*, access) -> None:
    """Tell the account that its request for a document was not granted, and why (the caseworker's words, in the
    inbox only): a message leading to the documents of the request it asked through, where it may ask again, naming
    the form and neither the child nor the document, as ``access_granted_notify`` does."""
    advice_request = access.advice_request
    inbox_message_send(
        account=access.account,
        subject="You cannot download a document you asked for",
        body=(
            f"The SEND service has not allowed your team to download a document you asked for through your "
            f"{advice_request.form_version.title} request.\n\nThe reason they gave: {access.refused_reason}\n\n"
            "You can ask again from that request's documents."
        ),
        event_key=f"document-access-refused:{access.pk}",
        link=reverse("portal:request_documents", args=[advice_request.pk]),
        link_text="Go to the documents",
        email_news="A document you asked for has not been made available",
    )
