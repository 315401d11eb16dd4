"""Forgotten passwords, at the portal's door and the admin's: the link asked for by email address (run by a task,
``address_requests``, so the answer takes as long whether or not the address has an account), and what follows a
new password set through a link.

Emails carry no personal data about a child; never a password or a code.
"""

from urllib.parse import urlsplit

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView

from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages.backends import account_for_address, address_key
from portal_pages.events import AccountEvent
from portal_pages.forms import AdminPasswordResetForm
from portal_pages.models import AccountState, User
from portal_pages.services.accounts import account_invitation_send, account_verification_send
from portal_pages.services.address_requests import address_request_queue
from portal_pages.services.emails import email_send, link_email_send, once_hash
from portal_pages.services.moves import account_lock


def password_reset_request(*, email: str, ip_address: str | None = None, once_for: str = "") -> None:
    """The portal's reset asked for ``email`` (from ``ip_address``): a reset link, or for a dormant account how to ask
    for reactivation, or the link an unconfirmed or invited account still needs, or for an account whose request to
    join waits or was refused why no link is sent; for an address without an account, nothing. Audited and emailed
    once for ``once_for`` (``email_queue``): its audit entry carries the request's ``once_hash``, so a second run
    finds it, whether or not the first sent an email (a switched-off account gets none)."""
    user = account_for_address(email)
    if user is None:
        return
    with transaction.atomic():
        account_lock(user)  # a second run of the request at the same time waits for the first, then finds its entry
        data = {"state": user.account_state}
        if once_for:
            data["request"] = once_hash(once_for)
            if _reset_requests(user).filter(data__request=data["request"]).exists():
                return
        audit_record(action=AccountEvent.PASSWORD_RESET_REQUESTED, target=user, ip_address=ip_address, data=data)
        _password_reset_answer(user, once_for=once_for)


def _reset_requests(user: User):
    return AuditEntry.objects.filter(
        action=AccountEvent.PASSWORD_RESET_REQUESTED,
        target_type=ContentType.objects.get_for_model(user),
        target_id=str(user.pk),
    )


def _password_reset_answer(user: User, *, once_for: str) -> None:
    if user.account_state == AccountState.DORMANT:
        email_send(
            to=user.email,
            subject="Your SEND portal account needs to be reactivated",
            template="dormant",
            context={"user": user, "days": settings.PORTAL_DORMANT_DAYS},
            once_for=once_for,
        )
    elif user.account_state == AccountState.PENDING_VERIFICATION:
        account_verification_send(user=user, once_for=once_for)
    elif user.account_state == AccountState.INVITED:
        account_invitation_send(user=user, once_for=once_for)
    elif user.account_state in (AccountState.AWAITING_APPROVAL, AccountState.REFUSED):
        # The page says a link is on its way whatever the address (no account is given away): the email says why not.
        email_send(
            to=user.email,
            subject="Your SEND portal password was not reset",
            template="reset_not_sent",
            context={"user": user, "refused": user.account_state == AccountState.REFUSED},
            once_for=once_for,
        )
    elif user.is_active:
        link_email_send(
            user=user,
            purpose="reset",
            url_name="portal:password_reset_confirm",
            subject="Reset your password",
            template="password_reset",
            minutes=settings.PORTAL_PASSWORD_RESET_MINUTES,
            once_for=once_for,
        )


def admin_password_reset_request(
    *, email: str, ip_address: str | None = None, once_for: str = "", by_superuser: bool = False
) -> None:
    """The admin's "Forgotten password?" asked for ``email``: Wagtail's reset link for a staff account with a usable
    password (``AdminPasswordResetForm`` chooses, and puts the email in the outbox, once for ``once_for``); for a
    staff account still invited, its invitation again, as the portal's reset sends it (``password_reset_request``,
    audited, once for ``once_for``); nothing for any other address. Its link starts with WAGTAILADMIN_BASE_URL, as
    the email's template writes it.

    ``by_superuser``: sent from the account's edit page (``password_link_send``, which audits who sent it), so the
    invitation goes without the "Password reset asked for" entry of an anonymous request; its email is still sent
    once for ``once_for`` (its outbox key)."""
    invited = account_for_address(email, account_state=AccountState.INVITED)
    if invited is not None and (invited.is_staff or invited.is_superuser):
        if by_superuser:
            account_invitation_send(user=invited, once_for=once_for)
        else:
            password_reset_request(email=email, ip_address=ip_address, once_for=once_for)
        return
    form = AdminPasswordResetForm({"email": email}, once_for=once_for)
    if not form.is_valid():
        return
    base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    form.save(
        domain_override=base_url.netloc,
        use_https=base_url.scheme == "https",
        subject_template_name=WagtailPasswordResetView.subject_template_name,
        email_template_name=WagtailPasswordResetView.email_template_name,
    )


def password_link_send(*, account: User, actor: User, request=None) -> None:
    """A superuser sends a staff account its password link from its edit page: audited as sent by ``actor`` to
    ``account``, then the admin's "Forgotten password?" task queued once that is committed (the same email: a reset
    link, or the invitation again for an account still invited)."""
    with transaction.atomic():
        audit_record(
            action=AccountEvent.PASSWORD_LINK_SENT,
            actor=actor,
            target=account,
            request=request,
            data={"state": account.account_state},
        )
        transaction.on_commit(
            lambda: address_request_queue("admin_password_reset_request", email=account.email, by_superuser=True)
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
