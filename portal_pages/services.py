"""Account workflows: registration, confirmation, invitations, sign-in records, devices, resets, dormancy.

Every function takes keyword-only arguments, writes in a transaction and audits through
cms.services.audit_record. Emails go out after the transaction commits its writes, and carry no
personal data about a child; never a password or a code.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.services import audit_record
from portal_pages import otp
from portal_pages.audit import AccountEvent
from portal_pages.models import AccountState, Organisation, User
from portal_pages.tokens import account_token_make


def _contact() -> dict:
    """Where the emails and pages send people for help: the default site's portal settings."""
    from wagtail.models import Site

    from cms.models import PortalSettings

    site = Site.objects.filter(is_default_site=True).first()
    portal_settings = PortalSettings.for_site(site) if site else None
    return {
        "council_name": getattr(portal_settings, "council_name", "") or "the council",
        "service_name": getattr(portal_settings, "service_name", "") or "SEND Professional Portal",
        "support_email": getattr(portal_settings, "support_email", "") or settings.DEFAULT_FROM_EMAIL,
        "phone": getattr(portal_settings, "phone", ""),
    }


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _email(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(f"portal_pages/emails/{template}.txt", {**_contact(), **context})
    send_mail(subject, body, None, [to])


def _link_email(*, user: User, purpose: str, url_name: str, subject: str, template: str, **context) -> None:
    """Email the account a signed single-use link (verify, invite, reset) to ``url_name``."""
    token = account_token_make(user=user, purpose=purpose)
    _email(
        to=user.email,
        subject=subject,
        template=template,
        context={"user": user, "url": _absolute(reverse(url_name, args=[token])), **context},
    )


def _set_state(user: User, state: str) -> str:
    previous = user.account_state
    user.account_state = state
    user.state_changed_at = timezone.now()
    user.is_active = state in (AccountState.ACTIVE, AccountState.DORMANT)
    return previous


# Registration and confirmation


def account_register(*, organisation: Organisation, email: str, display_name: str, password: str, request=None):
    """A new team account waiting for email confirmation; for a known address, an email to its owner instead.

    The caller shows the same page either way, so nobody learns which addresses have accounts.
    """
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.account_state == AccountState.PENDING_VERIFICATION:
            account_verification_send(user=existing)
        else:
            _email(
                to=existing.email,
                subject="Someone tried to register your address",
                template="already_registered",
                context={
                    "sign_in_url": _absolute(reverse("portal:sign_in")),
                    "reset_url": _absolute(reverse("portal:password_reset")),
                },
            )
        return None
    with transaction.atomic():
        user = User(email=email, display_name=display_name.strip(), organisation=organisation)
        user.set_password(password)
        _set_state(user, AccountState.PENDING_VERIFICATION)
        user.save()
        audit_record(
            action=AccountEvent.REGISTERED, target=user, request=request, data={"organisation": organisation.pk}
        )
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
    with transaction.atomic():
        previous = _set_state(user, AccountState.ACTIVE)
        user.email_verified_at = timezone.now()
        user.save()
        audit_record(
            action=AccountEvent.VERIFIED,
            actor=user,
            target=user,
            from_state=previous,
            to_state=user.account_state,
            request=request,
        )
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
        _set_state(user, AccountState.INVITED)
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
        previous = _set_state(user, AccountState.ACTIVE)
        user.email_verified_at = timezone.now()
        user.save()
        audit_record(
            action=AccountEvent.INVITATION_ACCEPTED,
            actor=user,
            target=user,
            from_state=previous,
            to_state=user.account_state,
            request=request,
        )
    return user


# Sign-in records


def account_signed_in(*, user: User, device, request=None) -> None:
    """The code step passed: record which device, and use up a backup code's audit trail."""
    is_backup = isinstance(device, StaticDevice)
    audit_record(
        action=AccountEvent.BACKUP_CODE_USED if is_backup else AccountEvent.SIGNED_IN,
        actor=user,
        target=user,
        request=request,
        data={"device": device.name, "device_id": device.persistent_id}
        | ({"backup_codes_left": otp.backup_codes_left(user)} if is_backup else {}),
    )
    if is_backup:
        audit_record(
            action=AccountEvent.SIGNED_IN,
            actor=user,
            target=user,
            request=request,
            data={"device": device.name, "device_id": device.persistent_id},
        )


# Devices


def device_confirm(*, user: User, device: TOTPDevice, name: str, request=None) -> TOTPDevice:
    with transaction.atomic():
        device.name = name.strip()
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit_record(
            action=AccountEvent.DEVICE_ADDED,
            actor=user,
            target=user,
            request=request,
            data={"device": device.name, "device_id": device.persistent_id},
        )
    return device


def device_remove(*, user: User, device: TOTPDevice, request=None) -> None:
    with transaction.atomic():
        data = {"device": device.name, "device_id": device.persistent_id}
        device.delete()
        audit_record(action=AccountEvent.DEVICE_REMOVED, actor=user, target=user, request=request, data=data)


def backup_codes_regenerate(*, user: User, request=None) -> list[str]:
    with transaction.atomic():
        codes = otp.backup_codes_regenerate(user)
        audit_record(
            action=AccountEvent.BACKUP_CODES_REGENERATED,
            actor=user,
            target=user,
            request=request,
            data={"count": len(codes)},
        )
    return codes


def devices_reset_by_admin(*, user: User, reset_by: User, request=None) -> int:
    """Remove every authenticator and backup code: the account enrols a new device at its next sign-in."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            action=AccountEvent.DEVICES_RESET,
            actor=reset_by,
            target=user,
            request=request,
            data={"devices_removed": removed},
        )
    _email(
        to=user.email,
        subject="Your two-factor sign-in has been reset",
        template="devices_reset",
        context={
            "user": user,
            "sign_in_url": _absolute(reverse("portal:sign_in")),
            "is_staff": user.is_staff,
            "admin_url": _absolute(reverse("wagtailadmin_login")),
        },
    )
    return removed


# Passwords


def password_reset_request(*, email: str, request=None) -> None:
    """Email a reset link, or for a dormant account how to ask for reactivation; nothing shows which."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return
    audit_record(
        action=AccountEvent.PASSWORD_RESET_REQUESTED, target=user, request=request, data={"state": user.account_state}
    )
    if user.account_state == AccountState.DORMANT:
        _email(
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
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(action=AccountEvent.PASSWORD_RESET, actor=user, target=user, request=request)
    axes_reset(username=user.email)
    _email(to=user.email, subject="Your password has been changed", template="password_changed", context={"user": user})


# Dormancy


def dormant_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.PORTAL_DORMANT_DAYS)


def accounts_mark_dormant(*, now=None) -> int:
    """Mark dormant every active account unused for PORTAL_DORMANT_DAYS; superusers are kept, so the admin
    never locks itself out. Safe to run twice."""
    cutoff = dormant_cutoff(now)
    candidates = User.objects.filter(
        account_state=AccountState.ACTIVE, is_superuser=False, state_changed_at__lt=cutoff
    ).filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True))
    count = 0
    for user in candidates.iterator():
        with transaction.atomic():
            previous = _set_state(user, AccountState.DORMANT)
            user.save(update_fields=["account_state", "state_changed_at", "is_active"])
            audit_record(
                action=AccountEvent.DORMANT,
                target=user,
                from_state=previous,
                to_state=user.account_state,
                reason=f"No sign-in for {settings.PORTAL_DORMANT_DAYS} days",
            )
        count += 1
    return count


def devices_remove_unconfirmed(*, now=None) -> int:
    """Delete every authenticator device (the portal's or wagtail-2fa's) left unconfirmed for longer than
    otp.UNCONFIRMED_DEVICE_LIFETIME: a set-up never finished. Devices from before django-otp recorded
    ``created_at`` have none; unconfirmed, they never signed anyone in either. Safe to run twice."""
    cutoff = (now or timezone.now()) - otp.UNCONFIRMED_DEVICE_LIFETIME
    stale = TOTPDevice.objects.filter(confirmed=False).filter(Q(created_at__lt=cutoff) | Q(created_at__isnull=True))
    deleted, _ = stale.delete()
    return deleted


def account_reactivate(*, user: User, reactivated_by: User, request=None) -> User:
    with transaction.atomic():
        previous = _set_state(user, AccountState.ACTIVE)
        user.save(update_fields=["account_state", "state_changed_at", "is_active"])
        audit_record(
            action=AccountEvent.REACTIVATED,
            actor=reactivated_by,
            target=user,
            from_state=previous,
            to_state=user.account_state,
            request=request,
        )
    _email(
        to=user.email,
        subject="Your SEND portal account is active again",
        template="reactivated",
        context={
            "user": user,
            "reset_url": _absolute(reverse("portal:password_reset")),
            "sign_in_url": _absolute(reverse("portal:sign_in")),
        },
    )
    return user


def inbox_message_send(*, account: User, subject: str, body: str, event_key: str, advice_request=None):
    """Put a message in a team account's portal inbox and email the account that a message is waiting.

    ``body`` may name the child: it is shown only behind sign-in and two-factor codes. The email never does:
    it says only that a message is waiting, with a link. ``event_key`` (e.g. ``request-shared:12``) names the
    event, so calling this twice (a retried task, a double click) gives one message and one email.
    """
    from cms.services import email_notification_queue
    from portal_pages.models import InboxMessage

    with transaction.atomic():
        message, created = InboxMessage.objects.get_or_create(
            event_key=event_key,
            defaults={"account": account, "subject": subject, "body": body, "advice_request": advice_request},
        )
        if created:
            contact = _contact()
            email_notification_queue(
                key=f"inbox:{event_key}",
                to=account.email,
                subject=f"You have a new message in the {contact['service_name']}",
                body=render_to_string(
                    "portal_pages/emails/new_message.txt",
                    {**contact, "inbox_url": _absolute(reverse("portal:dashboard"))},
                ),
            )
    return message


# --- Documents, outcomes, involvement and contribution (issue 7) ---
# Imports live in the functions: these services use casework models (advice_forms), which import this app's.


class OutcomeStale(Exception):
    """Someone saved the outcome after this copy was opened; ``outcome`` holds the newer text."""

    def __init__(self, outcome):
        super().__init__("The outcome was changed since this copy was opened.")
        self.outcome = outcome


class NotEditable(Exception):
    """The request is submitted or accepted, so what hangs on it is fixed; a caseworker may still change it."""


def _coordinator_notify(*, child, key: str, subject: str, body: str) -> None:
    """Email the child's co-ordinator (or the service's address when none is allocated): never a child's details."""
    from cms.services import email_notification_queue

    to = child.coordinator.email if child.coordinator_id and child.coordinator.email else _contact()["support_email"]
    email_notification_queue(key=key, to=to, subject=subject, body=body)


def document_upload(*, advice_request, account: User, uploaded, title: str, document_type: str, request=None):
    """File a checked PDF privately in the child's folder and record it as the account's upload."""
    from advice_forms.filing import file_private_pdf
    from portal_pages.audit import RecordEvent
    from portal_pages.models import Document
    from portal_pages.uploads import safe_filename

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
        audit_record(action=RecordEvent.DOCUMENT_UPLOADED, actor=account, target=document, request=request)
    return document


def document_withdraw(*, document, account: User, request=None):
    """The uploader takes back its own upload while its request is still open: a soft delete, audited."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import DocumentState

    if document.uploaded_by_id != account.pk or not document.is_current:
        raise PermissionError("Only the uploader withdraws a current document.")
    if document.advice_request is None or not document.advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        document.state = DocumentState.WITHDRAWN
        document.state_changed_at = timezone.now()
        document.state_changed_by = account
        document.save(update_fields=["state", "state_changed_at", "state_changed_by"])
        audit_record(
            action=RecordEvent.DOCUMENT_WITHDRAWN,
            actor=account,
            target=document,
            from_state=DocumentState.CURRENT,
            to_state=DocumentState.WITHDRAWN,
            request=request,
        )
    return document


def document_delete(*, document, by: User, reason: str, request=None):
    """A caseworker removes any document, giving a reason: soft, audited, and no account can download it again."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import DocumentState

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
            action=RecordEvent.DOCUMENT_DELETED,
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
    from portal_pages.audit import RecordEvent

    new_ids = sorted({account.pk for account in accounts})
    with transaction.atomic():
        old_ids = sorted(document.available_to.values_list("pk", flat=True))
        document.available_to.set(new_ids)
        document.access_requests.filter(account_id__in=new_ids, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if old_ids != new_ids:
            audit_record(
                action=RecordEvent.DOCUMENT_AVAILABILITY,
                actor=by,
                target=document,
                request=request,
                data={"before": old_ids, "after": new_ids},
            )
    return document


def document_access_request(*, document, account: User, advice_request, request=None):
    """Ask the co-ordinator for a document: one open request per account and document, and one email for it."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import AccessRequest

    with transaction.atomic():
        access, created = AccessRequest.objects.get_or_create(
            document=document,
            account=account,
            resolved_at=None,
            defaults={"advice_request": advice_request},
        )
        if created:
            audit_record(action=RecordEvent.DOCUMENT_ACCESS_REQUESTED, actor=account, target=document, request=request)
            contact = _contact()
            _coordinator_notify(
                child=document.child,
                key=f"document-access:{access.pk}",
                subject=f"A team account asked for access to a document in the {contact['service_name']}",
                body=render_to_string(
                    "portal_pages/emails/document_access_requested.txt",
                    {**contact, "admin_url": _absolute(reverse("casework_access_requests"))},
                ),
            )
    return access


def outcome_create(
    *,
    advice_request,
    account: User,
    team,
    need_type,
    outcome: str,
    provision: str = "",
    timescale: str = "",
    request=None,
):
    """Always a new outcome ("Add new outcome" never edits someone else's)."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import Outcome

    if not advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        created = Outcome.objects.create(
            child=advice_request.child,
            advice_request=advice_request,
            author=account,
            team=team,
            need_type=need_type,
            outcome=outcome,
            provision=provision,
            timescale=timescale,
        )
        audit_record(action=RecordEvent.OUTCOME_ADDED, actor=account, target=created, request=request)
    return created


def outcome_update(
    *,
    outcome,
    account: User,
    expected_version: int,
    team,
    need_type,
    outcome_text: str,
    provision: str = "",
    timescale: str = "",
    request=None,
):
    """Save the author's edit only if nobody saved since the form was opened (``expected_version``); otherwise
    raise OutcomeStale with the newer copy, so the caller can show it beside what the person typed."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import Outcome, OutcomeState

    if outcome.author_id != account.pk:
        raise PermissionError("Only the author edits an outcome.")
    if not outcome.advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        # One conditional UPDATE: of two saves from the same copy, exactly one matches the version.
        changed = Outcome.objects.filter(
            pk=outcome.pk, version=expected_version, state=OutcomeState.CURRENT, author=account
        ).update(
            team=team,
            need_type=need_type,
            outcome=outcome_text,
            provision=provision,
            timescale=timescale,
            version=expected_version + 1,
            updated_at=timezone.now(),
        )
        if changed:
            audit_record(
                action=RecordEvent.OUTCOME_EDITED,
                actor=account,
                target=outcome,
                request=request,
                data={"version": expected_version + 1},
            )
    if not changed:
        newer = Outcome.objects.select_related("team", "need_type", "author").get(pk=outcome.pk)
        audit_record(action=RecordEvent.OUTCOME_STALE_EDIT_REFUSED, actor=account, target=newer, request=request)
        raise OutcomeStale(newer)
    outcome.refresh_from_db()
    return outcome


def _outcome_soft_delete(outcome, *, by, reason, request):
    from portal_pages.audit import RecordEvent
    from portal_pages.models import OutcomeState

    outcome.state = OutcomeState.DELETED
    outcome.deleted_at = timezone.now()
    outcome.deleted_by = by
    outcome.deleted_reason = reason
    outcome.save(update_fields=["state", "deleted_at", "deleted_by", "deleted_reason", "updated_at"])
    audit_record(
        action=RecordEvent.OUTCOME_DELETED,
        actor=by,
        target=outcome,
        from_state=OutcomeState.CURRENT,
        to_state=OutcomeState.DELETED,
        reason=reason,
        request=request,
    )


def outcome_delete_own(*, outcome, account: User, request=None):
    """The author deletes its own outcome while the request it was written under is still open."""
    if outcome.author_id != account.pk:
        raise PermissionError("Only the author deletes its own outcome.")
    if not outcome.advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        _outcome_soft_delete(outcome, by=account, reason="Deleted by its author.", request=request)
    return outcome


def outcome_delete(*, outcome, by: User, reason: str, request=None):
    """A caseworker deletes any outcome, with a reason."""
    if not reason.strip():
        raise ValueError("A reason is required.")
    with transaction.atomic():
        _outcome_soft_delete(outcome, by=by, reason=reason.strip(), request=request)
    return outcome


CONTACT_FIELDS = ("name", "role", "team", "organisation", "email", "phone")


def contact_create(*, advice_request, account: User, data: dict, request=None):
    """Any account with a request on the child adds a professional involved with it."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import ProfessionalContact

    with transaction.atomic():
        contact = ProfessionalContact.objects.create(
            child=advice_request.child,
            advice_request=advice_request,
            added_by=account,
            **{field: data[field] for field in CONTACT_FIELDS if field in data},
        )
        audit_record(action=RecordEvent.CONTACT_ADDED, actor=account, target=contact, request=request)
    return contact


def contact_update(*, contact, account: User, data: dict, request=None):
    from portal_pages.audit import RecordEvent

    if contact.added_by_id != account.pk:
        raise PermissionError("Only the account that added a contact edits it.")
    with transaction.atomic():
        for field in CONTACT_FIELDS:
            if field in data:
                setattr(contact, field, data[field])
        contact.save()
        audit_record(action=RecordEvent.CONTACT_EDITED, actor=account, target=contact, request=request)
    return contact


def contact_remove(*, contact, by: User, request=None):
    """Its author (or a caseworker) removes a contact that is no longer involved: soft, audited."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import ContactState

    with transaction.atomic():
        contact.state = ContactState.REMOVED
        contact.save(update_fields=["state", "updated_at"])
        audit_record(
            action=RecordEvent.CONTACT_REMOVED,
            actor=by,
            target=contact,
            from_state=ContactState.CURRENT,
            to_state=ContactState.REMOVED,
            request=request,
        )
    return contact


def contribution_save(*, advice_request, account: User, data: dict, request=None):
    """Record, on an ERSA request, how the parent or carer gave views and wishes to be contacted."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import Contribution

    if not advice_request.is_editable:
        raise NotEditable
    with transaction.atomic():
        contribution, _ = Contribution.objects.select_for_update().get_or_create(advice_request=advice_request)
        contribution.contribution_methods = list(data.get("contribution_methods", []))
        contribution.communication_methods = list(data.get("communication_methods", []))
        contribution.interpreter_needed = bool(data.get("interpreter_needed"))
        contribution.interpreter_language = (
            data.get("interpreter_language", "") if contribution.interpreter_needed else ""
        )
        contribution.parent_views = data.get("parent_views", "")
        contribution.updated_by = account
        contribution.save()
        audit_record(action=RecordEvent.CONTRIBUTION_SAVED, actor=account, target=contribution, request=request)
    return contribution


def details_change_report(*, advice_request, account: User, details: str, request=None):
    """A professional reports that a child's details are wrong: kept for the co-ordinator, who is emailed that a
    report is waiting (the email names no child and repeats nothing of what was written)."""
    from portal_pages.audit import RecordEvent
    from portal_pages.models import DetailsChangeReport

    with transaction.atomic():
        report = DetailsChangeReport.objects.create(
            child=advice_request.child, advice_request=advice_request, account=account, details=details
        )
        audit_record(
            action=RecordEvent.DETAILS_CHANGE_REPORTED, actor=account, target=advice_request.child, request=request
        )
        contact = _contact()
        _coordinator_notify(
            child=advice_request.child,
            key=f"details-change:{report.pk}",
            subject=f"A team account reported a change to a child record in the {contact['service_name']}",
            body=render_to_string(
                "portal_pages/emails/details_change_reported.txt",
                {**contact, "admin_url": _absolute(reverse("casework_change_reports"))},
            ),
        )
    return report
