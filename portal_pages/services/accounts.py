"""Account workflows: registration, confirmation, invitations, sign-in records, passwords, dormancy, reactivation.

Every service takes keyword-only arguments, writes in a transaction and audits through
cms.services.audit_record. Emails go out after the transaction commits its writes, and carry no
personal data about a child; never a password or a code.
"""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from cms.services import audit_record
from portal_pages import otp
from portal_pages.backends import account_for_address, address_key
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, JoinRequestState, Organisation, User
from portal_pages.services.devices import device_audit
from portal_pages.services.emails import absolute_url, email_send
from portal_pages.services.joining import join_request_make
from portal_pages.services.moves import (
    ACCOUNT_STATE_FIELDS,
    account_active_again_email,
    account_lock,
    account_move,
    account_state_set,
)
from portal_pages.tokens import account_token_make


def _link_email(*, user: User, purpose: str, url_name: str, subject: str, template: str, **context) -> None:
    """Email the account a signed single-use link (verify, invite, reset) to ``url_name``."""
    token = account_token_make(user=user, purpose=purpose)
    email_send(
        to=user.email,
        subject=subject,
        template=template,
        context={"user": user, "url": absolute_url(reverse(url_name, args=[token])), **context},
    )


# Registration and confirmation


def account_register(
    *,
    organisation: Organisation | None,
    email: str,
    display_name: str,
    password: str,
    joining: dict | None = None,
    request=None,
):
    """A new team account waiting for email confirmation; for a known address, an email to its owner instead (for one
    whose request to join was refused, saying so and whom to contact).

    With ``joining`` (name, kind, address: its organisation is not listed, or ``organisation`` has no email domain
    yet), the account asks to join: once its address is confirmed it awaits a portal administrator's approval.
    The caller shows the same page either way, so nobody learns which addresses have accounts.
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # hashed as a new account's is: the answer's time tells nothing (as ModelBackend)
        if existing.account_state == AccountState.PENDING_VERIFICATION:
            account_verification_send(user=existing)
        elif existing.account_state == AccountState.REFUSED:
            # Signing in or a reset would not help: say why, and whom to ask.
            email_send(
                to=existing.email,
                subject="Someone tried to register your address",
                template="already_refused",
                context={},
            )
        else:
            email_send(
                to=existing.email,
                subject="Someone tried to register your address",
                template="already_registered",
                context={
                    "sign_in_url": absolute_url(reverse("portal:sign_in")),
                    "reset_url": absolute_url(reverse("portal:password_reset")),
                },
            )
        return None
    with transaction.atomic():
        user = User(
            email=email, display_name=display_name.strip(), organisation=None if joining is not None else organisation
        )
        user.set_password(password)
        account_state_set(user, AccountState.PENDING_VERIFICATION)
        user.save()
        audit_record(
            action=AccountEvent.REGISTERED,
            target=user,
            request=request,
            data={"organisation": organisation.pk if organisation else None},
        )
        if joining is not None:
            join_request_make(user=user, organisation=organisation, request=request, **joining)
    account_verification_send(user=user)
    return user


def account_verification_send(*, user: User) -> None:
    _link_email(
        user=user,
        purpose="verify",
        url_name="portal:verify",
        subject="Confirm your email address",
        template="verify",
        hours=settings.PORTAL_VERIFY_EMAIL_HOURS,
    )


def account_verify(*, user: User, request=None) -> User:
    """The address is confirmed: the account is active, or awaits approval when it asked to join."""
    asked_to_join = JoinRequest.objects.filter(account=user, state=JoinRequestState.WAITING).exists()
    state = AccountState.AWAITING_APPROVAL if asked_to_join else AccountState.ACTIVE
    with transaction.atomic():
        user.email_verified_at = timezone.now()
        account_move(user=user, state=state, action=AccountEvent.VERIFIED, actor=user, request=request)
    return user


# Invitations


def account_invite(*, organisation: Organisation, email: str, display_name: str, invited_by: User, request=None):
    """An account created by staff for an organisation; it chooses its own password through an emailed link."""
    with transaction.atomic():
        user = User(
            email=User.objects.normalize_email(email).lower(),
            display_name=display_name.strip(),
            organisation=organisation,
        )
        user.set_unusable_password()
        account_state_set(user, AccountState.INVITED)
        user.save()
        audit_record(
            action=AccountEvent.INVITED,
            actor=invited_by,
            target=user,
            to_state=user.account_state,
            request=request,
            data={"organisation": organisation.pk},
        )
    account_invitation_send(user=user)
    return user


def account_invitation_send(*, user: User) -> None:
    _link_email(
        user=user,
        purpose="invite",
        url_name="portal:invitation",
        subject="You have been invited to the SEND portal",
        template="invitation",
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


# Passwords


def password_reset_request(*, email: str, request=None) -> None:
    """Email a reset link, or for a dormant account how to ask for reactivation; nothing shows which."""
    user = account_for_address(email)
    if user is None:
        return
    audit_record(
        action=AccountEvent.PASSWORD_RESET_REQUESTED, target=user, request=request, data={"state": user.account_state}
    )
    if user.account_state == AccountState.DORMANT:
        email_send(
            to=user.email,
            subject="Your SEND portal account needs to be reactivated",
            template="dormant",
            context={"user": user, "days": settings.PORTAL_DORMANT_DAYS},
        )
    elif user.account_state == AccountState.PENDING_VERIFICATION:
        account_verification_send(user=user)
    elif user.account_state == AccountState.INVITED:
        account_invitation_send(user=user)
    elif user.is_active:
        _link_email(
            user=user,
            purpose="reset",
            url_name="portal:password_reset_confirm",
            subject="Reset your password",
            template="password_reset",
            minutes=settings.PORTAL_PASSWORD_RESET_MINUTES,
        )


def password_reset_complete(*, user: User, password: str, request=None) -> None:
    """A new password ends every other session (Django's session hash changes) and clears a lockout."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        password_reset_recorded(user=user, request=request)


def password_reset_recorded(*, user: User, request=None) -> None:
    """What follows a password set through a reset link, at either door (the admin's form saves it itself): audited,
    the lockout cleared, and the account told by email, so someone who did not ask for it knows."""
    audit_record(action=AccountEvent.PASSWORD_RESET, actor=user, target=user, request=request)
    axes_reset(username=address_key(user.email))  # as django-axes counted it
    email_send(
        to=user.email, subject="Your password has been changed", template="password_changed", context={"user": user}
    )


# Dormancy


def dormant_cutoff(now=None):
    """The last sign-in time an account may have before it counts as dormant (a read, used by the services below)."""
    return (now or timezone.now()) - timedelta(days=settings.PORTAL_DORMANT_DAYS)


def accounts_mark_dormant(*, now=None) -> int:
    """Mark dormant every active account unused for PORTAL_DORMANT_DAYS; superusers are kept, so the admin
    never locks itself out, and so is an account an administrator switched off (dormant accounts may sign in again,
    so the move would switch it back on). Safe to run twice."""
    cutoff = dormant_cutoff(now)
    candidates = User.objects.filter(
        account_state=AccountState.ACTIVE, is_active=True, is_superuser=False, state_changed_at__lt=cutoff
    ).filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True))
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
