"""Requests to join: a person whose school, setting or service is not listed (or is listed without its email
domain yet) registers anyway; after confirming the address the account awaits approval; a portal administrator
approves it (making or linking the organisation and adding the domain) or refuses it with a reason. The person is
emailed either way, and every step is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cms.emails import email_text_render
from cms.services import audit_record, email_notification_queue
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, JoinRequestState, Organisation, User
from portal_pages.roles import join_request_approvers
from portal_pages.services.emails import absolute_url, email_send, service_contact
from portal_pages.services.moves import ACCOUNT_STATE_FIELDS, account_move


def join_request_make(
    *, user: User, organisation: Organisation | None, name: str, kind: str, address: str, ip_address: str | None = None
):
    """Record what the person told us of its organisation (``organisation``: one chosen from the list that has no
    email domain yet). Called by registration's task, in its transaction, for an account still to confirm its
    address (``ip_address``: the registering client's)."""
    join = JoinRequest.objects.create(
        account=user,
        organisation=organisation,
        organisation_name=(organisation.name if organisation else name).strip(),
        kind=organisation.kind if organisation else kind,
        address=(organisation.address if organisation and not address else address).strip(),
        email_domain=user.email.rsplit("@", 1)[-1].lower(),
    )
    audit_record(action=AccountEvent.JOIN_REQUESTED, target=user, ip_address=ip_address, data={"join_request": join.pk})
    return join


def join_request_notify(*, join: JoinRequest) -> int:
    """Email each account that may approve it (``join_request_approvers``) that a request to join waits (once its
    address is confirmed), with the link to the queue: nothing of the person or the organisation, which the admin
    shows. One email per approver and request, however often this runs. Returns how many approvers it emailed."""
    contact = service_contact()
    body = email_text_render(
        "portal_pages/emails/join_request_waiting.txt",
        {**contact, "admin_url": absolute_url(reverse("portal_join_requests"))},
    )
    approvers = list(join_request_approvers())
    for approver in approvers:
        email_notification_queue(
            key=f"join-request-waiting:{join.pk}:user-{approver.pk}",
            to=approver.email,
            subject=f"A request to join the {contact['service_name']} is waiting",
            body=body,
        )
    return len(approvers)


def join_requests_waiting():
    return JoinRequest.objects.filter(
        state=JoinRequestState.WAITING, account__account_state=AccountState.AWAITING_APPROVAL
    ).select_related("account", "organisation")


def _waiting_locked(join: JoinRequest) -> JoinRequest:
    """The request to join read again with its row locked for a decision; refused when it was decided since the page
    was read (a double click, or another administrator)."""
    join = JoinRequest.objects.select_for_update().select_related("account").get(pk=join.pk)
    if join.state != JoinRequestState.WAITING:
        raise ValidationError("This request to join has already been decided")
    return join


def _decide(join: JoinRequest, *, state: str, by: User, reason: str = "") -> None:
    join.state, join.decided_by, join.decided_at, join.reason = state, by, timezone.now(), reason
    join.save(update_fields=["state", "decided_by", "decided_at", "reason", "organisation"])


@transaction.atomic
def join_request_approve(*, join: JoinRequest, by: User, organisation: Organisation | None = None, request=None):
    """Make (or link, when ``organisation`` or the request names one) the organisation, add the address's domain to
    it, activate the account and email the person that it may sign in."""
    join = _waiting_locked(join)
    organisation = organisation or join.organisation
    if organisation is None:
        organisation = Organisation.objects.filter(name__iexact=join.organisation_name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=join.organisation_name, kind=join.kind, address=join.address, email_domains=join.email_domain
        )
    elif join.email_domain not in organisation.domains:
        organisation.email_domains = "\n".join([*organisation.domains, join.email_domain])
        organisation.save(update_fields=["email_domains"])
    join.organisation = organisation
    _decide(join, state=JoinRequestState.APPROVED, by=by)
    user = join.account
    user.organisation = organisation
    account_move(
        user=user,
        state=AccountState.ACTIVE,
        action=AccountEvent.JOIN_APPROVED,
        actor=by,
        request=request,
        data={"organisation": organisation.pk},
        update_fields=["organisation", *ACCOUNT_STATE_FIELDS],
    )
    email_send(  # the outbox sends it once the decision is committed
        to=user.email,
        subject="Your request to join has been approved",
        template="join_approved",
        context={"organisation": organisation.name, "sign_in_url": absolute_url(reverse("portal:sign_in"))},
    )
    return organisation


@transaction.atomic
def join_request_refuse(*, join: JoinRequest, by: User, reason: str, request=None):
    """Refuse with a reason (emailed to the person, with whom to contact): the account stays unable to sign in, and
    registering its address again is answered by email with the same (services.accounts.account_register).
    The reason is kept on the request to join; the audit entry records who refused, when and the states, not the
    words."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the request is refused: the person is told"})
    join = _waiting_locked(join)
    _decide(join, state=JoinRequestState.REFUSED, by=by, reason=reason)
    user = join.account
    account_move(
        user=user,
        state=AccountState.REFUSED,
        action=AccountEvent.JOIN_REFUSED,
        actor=by,
        request=request,
        data={"join_request": join.pk},
        update_fields=ACCOUNT_STATE_FIELDS,
    )
    email_send(  # the outbox sends it once the decision is committed
        to=user.email,
        subject="Your request to join was not approved",
        template="join_refused",
        context={"organisation": join.organisation_name, "reason": reason},
    )
