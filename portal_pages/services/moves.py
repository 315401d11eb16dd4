"""Moving a team account from one state to another: set, save and audit (who, from, to, why) in one place, for the
account workflows (accounts) and for requests to join (joining); and the audit entry of an account switched off
(``is_active`` cleared) or on again, wherever that happens, with the email that tells its owner it may sign in again."""

from django.urls import reverse
from django.utils import timezone

from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import SIGN_IN_STATES, User
from portal_pages.services.emails import absolute_url, email_send

ACCOUNT_STATE_FIELDS = ["account_state", "state_changed_at", "is_active"]


def account_state_set(user: User, state: str) -> str:
    """Put the account in ``state`` without saving; return the state it had. Only dormant and active accounts may
    sign in: a move into either from a state that may not switches the account on, a move out switches it off, and
    a move between the two (dormancy, reactivation) leaves the switch as an administrator set it."""
    previous = user.account_state
    user.account_state = state
    user.state_changed_at = timezone.now()
    if state not in SIGN_IN_STATES or previous not in SIGN_IN_STATES:
        user.is_active = state in SIGN_IN_STATES
    return previous


def account_lock(user: User) -> None:
    """Lock the account's row till the transaction ends and read its ``is_active`` again: an administrator may have
    switched the account off since ``user`` was read, and a move between dormant and active keeps that switch."""
    if user.pk is not None:
        user.is_active = User.objects.select_for_update().values_list("is_active", flat=True).get(pk=user.pk)


def account_move(
    *,
    user: User,
    state: str,
    action: AccountEvent,
    actor=None,
    request=None,
    reason: str = "",
    data: dict | None = None,
    update_fields=None,
) -> None:
    """Move an account to `state`, save it (only `update_fields`, when given) and audit the move: who, from, to.
    A move that switches an active account off is audited as DEACTIVATED too. Call it in a transaction: it starts
    with ``account_lock``."""
    account_lock(user)
    was_active = user.is_active
    previous = account_state_set(user, state)
    user.save(update_fields=update_fields)
    if was_active and not user.is_active:
        account_active_switched(user=user, was_active=True, actor=actor, request=request)
    audit_record(
        action=action,
        actor=actor,
        target=user,
        from_state=previous,
        to_state=user.account_state,
        reason=reason,
        request=request,
        data=data,
    )


def account_active_switched(*, user: User, was_active: bool, actor=None, request=None) -> None:
    """Audit an account switched off (``is_active`` cleared: DEACTIVATED) or on again (REACTIVATED), after the
    change is saved: who, when and which account, with its state; nothing else. Nothing is written when
    ``is_active`` did not change. A team account switched on again that may now sign in (not dormant) is emailed
    so, once the change is committed."""
    if was_active == user.is_active:
        return
    audit_record(
        action=AccountEvent.REACTIVATED if user.is_active else AccountEvent.DEACTIVATED,
        actor=actor,
        target=user,
        request=request,
        data={"is_active": user.is_active, "account_state": user.account_state},
    )
    if user.can_sign_in and not user.is_staff:
        account_active_again_email(user)  # through the outbox, sent once the change is committed


def account_organisation_moved(*, user: User, from_organisation_id: int | None, actor=None, request=None) -> None:
    """Audit a team account moved from one organisation to another by an administrator, after the move is saved:
    who, when, which account, and the two organisations by id (never their names, which may change)."""
    audit_record(
        action=AccountEvent.ORGANISATION_CHANGED,
        actor=actor,
        target=user,
        request=request,
        data={"from_organisation": from_organisation_id, "to_organisation": user.organisation_id},
    )


def account_active_again_email(user: User) -> None:
    """Tell a team account's owner it may sign in again (after a dormancy is lifted, or Active ticked again)."""
    email_send(
        to=user.email,
        subject="Your SEND portal account is active again",
        template="reactivated",
        context={
            "user": user,
            "reset_url": absolute_url(reverse("portal:password_reset")),
            "sign_in_url": absolute_url(reverse("portal:sign_in")),
        },
    )
