"""Account workflows: registration, confirmation, invitations, sign-in records, dormancy, reactivation (forgotten
passwords: password_resets).

Every service takes keyword-only arguments, writes in a transaction and audits through
cms.services.audit_record. Emails go out after the transaction commits its writes, and carry no
personal data about a child; never a password or a code.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from cms.client_addresses import client_ip
from cms.services import audit_record
from portal_pages import otp
from portal_pages.backends import account_for_address
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, JoinRequestState, Organisation, User, signs_in_q
from portal_pages.services.address_requests import address_request_queue
from portal_pages.services.devices import code_accepted_log, device_audit
from portal_pages.services.emails import absolute_url, email_send, link_email_send
from portal_pages.services.joining import join_request_make, join_request_notify
from portal_pages.services.moves import (
    ACCOUNT_STATE_FIELDS,
    account_active_again_email,
    account_lock,
    account_move,
    account_state_set,
)

# Registration and confirmation


def account_register_queue(
    *,
    organisation: Organisation | None,
    email: str,
    display_name: str,
    password: str,
    joining: dict | None = None,
    request=None,
) -> None:
    """Registration as the page asks for it: the password hashed here (the slow part, the same for every address),
    the look-up, writes and email (``account_register``) in a task, so the answer takes as long whether or not the
    address has an account. The task is given the hash, never the password."""
    address_request_queue(
        "account_register",
        organisation_id=organisation.pk if organisation else None,
        email=email,
        display_name=display_name,
        password_hash=make_password(password),
        joining=joining,
        ip_address=client_ip(request),
    )


def account_register(
    *,
    organisation: Organisation | None,
    email: str,
    display_name: str,
    password_hash: str,
    joining: dict | None = None,
    ip_address: str | None = None,
    once_for: str = "",
):
    """A new team account waiting for email confirmation; for a known address, an email to its owner instead (for one
    whose request to join was refused, saying so and whom to contact). One email for ``once_for`` (``email_queue``).

    With ``joining`` (name, kind, address: its organisation is not listed, or ``organisation`` has no email domain
    yet), the account asks to join: once its address is confirmed it awaits a portal administrator's approval.
    The caller shows the same page either way, so nobody learns which addresses have accounts.
    """
    email = User.objects.normalize_email(email).lower()
    existing = account_registered(email)
    if existing is None:
        try:
            user = _account_create(
                organisation=organisation,
                email=email,
                display_name=display_name,
                password_hash=password_hash,
                joining=joining,
                ip_address=ip_address,
            )
        except IntegrityError:
            # Registered meanwhile: a second task for the same address (a double click, two workers) inserted it
            # first. Its error would name the address, which django-q2 keeps with a failed task for ever.
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise  # another constraint failed, not the address: its error is the one to see
        else:
            account_verification_send(user=user, once_for=once_for)
            return user
    # Also where a second run of this registration's task comes: it finds its email in the outbox and sends nothing.
    _account_known_answer(existing, once_for=once_for)
    return None


def account_registered(email: str) -> User | None:
    """The account with work address ``email`` (normalised), whatever its state."""
    return User.objects.filter(email__iexact=email).first()


def _account_create(*, organisation, email, display_name, password_hash, joining, ip_address) -> User:
    with transaction.atomic():  # a savepoint: a duplicate address undoes only this
        user = User(
            email=email,
            display_name=display_name.strip(),
            organisation=None if joining is not None else organisation,
            password=password_hash,
        )
        account_state_set(user, AccountState.PENDING_VERIFICATION)
        user.save()
        audit_record(
            action=AccountEvent.REGISTERED,
            target=user,
            ip_address=ip_address,
            data={"organisation": organisation.pk if organisation else None},
        )
        if joining is not None:
            join_request_make(user=user, organisation=organisation, ip_address=ip_address, **joining)
    return user


def _account_known_answer(existing: User, *, once_for: str) -> None:
    """What registering an address that has an account sends its owner."""
    if existing.account_state == AccountState.PENDING_VERIFICATION:
        account_verification_send(user=existing, once_for=once_for)
        return
    # Refused: signing in or a reset would not help, so it says why, and whom to ask.
    refused = existing.account_state == AccountState.REFUSED
    links = {"sign_in_url": "portal:sign_in", "reset_url": "portal:password_reset"}
    email_send(
        to=existing.email,
        subject="Someone tried to register your address",
        template="already_refused" if refused else "already_registered",
        context={} if refused else {name: absolute_url(reverse(url)) for name, url in links.items()},
        once_for=once_for,
    )


def account_verification_send(*, user: User, once_for: str = "") -> None:
    link_email_send(
        user=user,
        once_for=once_for,
        purpose="verify",
        url_name="portal:verify",
        subject="Confirm your email address",
        template="verify",
        hours=settings.PORTAL_VERIFY_EMAIL_HOURS,
        new_link_url=absolute_url(reverse("portal:verification_resend")),
    )


def account_verification_resend(*, email: str, once_for: str = "") -> None:
    """A new confirmation link for an account still to confirm ``email``; nothing for any other address. One email for
    ``once_for`` (``email_queue``)."""
    user = account_for_address(email, account_state=AccountState.PENDING_VERIFICATION)
    if user is not None:
        account_verification_send(user=user, once_for=once_for)


def account_verify(*, user: User, request=None) -> int:
    """The address is confirmed: the account is active, or awaits approval when it asked to join. Returns how many
    accounts were emailed that its request to join waits (0 when it asked for none)."""
    asked_to_join = JoinRequest.objects.filter(account=user, state=JoinRequestState.WAITING).first()
    state = AccountState.AWAITING_APPROVAL if asked_to_join else AccountState.ACTIVE
    with transaction.atomic():
        user.email_verified_at = timezone.now()
        account_move(user=user, state=state, action=AccountEvent.VERIFIED, actor=user, request=request)
        return join_request_notify(join=asked_to_join) if asked_to_join else 0


# Invitations


def account_invite(*, user: User, invited_by: User, request=None) -> User:
    """Save ``user``, made by staff and not saved yet, as invited, and email it the link to choose its own password:
    a team account for its organisation, or a council staff account (``is_staff``, no organisation: the doors, the
    portal's gate and the code step tell staff by it), whose roles its form saves after."""
    if user.is_staff == bool(user.organisation_id):
        raise ValueError("An account invited is either staff or a team account of an organisation.")
    with transaction.atomic():
        user.email = User.objects.normalize_email(user.email).lower()
        user.set_unusable_password()
        account_state_set(user, AccountState.INVITED)
        user.save()
        audit_record(
            action=AccountEvent.INVITED,
            actor=invited_by,
            target=user,
            to_state=user.account_state,
            request=request,
            data={"organisation": user.organisation_id} if user.organisation_id else None,
        )
    account_invitation_send(user=user)
    return user


def account_invitation_send(*, user: User, once_for: str = "") -> None:
    link_email_send(
        user=user,
        once_for=once_for,
        purpose="invite",
        url_name="portal:invitation",
        subject="You have been invited to the SEND portal",
        template="invitation" if user.organisation_id else "staff_invitation",  # a team's, or a council staff's
        days=settings.PORTAL_INVITATION_DAYS,
    )


def account_invitation_accept(*, user: User, password: str, request=None) -> User:
    with transaction.atomic():
        user.set_password(password)
        user.email_verified_at = timezone.now()
        account_move(
            user=user, state=AccountState.ACTIVE, action=AccountEvent.INVITATION_ACCEPTED, actor=user, request=request
        )
    return user


# Sign-in records


def account_signed_in(*, user: User, device, request=None) -> None:
    """The code step passed: record which device, and use up a backup code's audit trail."""
    if isinstance(device, StaticDevice):
        device_audit(
            action=AccountEvent.BACKUP_CODE_USED,
            user=user,
            device=device,
            request=request,
            backup_codes_left=otp.backup_codes_left(user),
        )
    device_audit(action=AccountEvent.SIGNED_IN, user=user, device=device, request=request)
    code_accepted_log(user=user, device=device, request=request)


# Dormancy


def dormant_cutoff(now=None):
    """The last sign-in time an account may have before it counts as dormant (a read, used by the services below)."""
    return (now or timezone.now()) - timedelta(days=settings.PORTAL_DORMANT_DAYS)


def accounts_mark_dormant(*, now=None) -> int:
    """Mark dormant every active account unused for PORTAL_DORMANT_DAYS; superusers are kept, so the admin
    never locks itself out, and so is an account an administrator switched off (dormant accounts may sign in again,
    so the move would switch it back on). Safe to run twice."""
    cutoff = dormant_cutoff(now)
    candidates = User.objects.filter(signs_in_q(), is_superuser=False, state_changed_at__lt=cutoff).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True)
    )
    count = 0
    for pk in candidates.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Read again, locked: one switched off (or signed in to) since the list was read is left as it is.
            user = candidates.select_for_update().filter(pk=pk).first()
            if user is None:
                continue
            account_move(
                user=user,
                state=AccountState.DORMANT,
                action=AccountEvent.DORMANT,
                reason=f"No sign-in for {settings.PORTAL_DORMANT_DAYS} days",
                update_fields=ACCOUNT_STATE_FIELDS,
            )
        count += 1
    return count


def account_reactivate(*, user: User, reactivated_by: User, request=None) -> User:
    """Lift a dormancy: the account may sign in again and is emailed so. One an administrator has switched off
    (Active unticked) stays off until someone ticks Active again, so it is not emailed: it still cannot sign in.
    An account no longer dormant when its row is locked (reactivated by a double click, or another administrator,
    since the page read it) is left as it is."""
    with transaction.atomic():
        account_lock(user)  # the switch as it is now, for the audit entry and the email
        if not User.objects.filter(pk=user.pk, account_state=AccountState.DORMANT).exists():
            return user
        account_move(
            user=user,
            state=AccountState.ACTIVE,
            action=AccountEvent.REACTIVATED,
            actor=reactivated_by,
            request=request,
            data={"is_active": user.is_active},
            update_fields=ACCOUNT_STATE_FIELDS,
        )
    if user.is_active:
        account_active_again_email(user)
    return user
