"""Authenticator devices and backup codes: confirming, removing, regenerating, an administrator's reset, and
clearing set-ups never finished; a code refused at sign-in. Audited through cms.services.audit_record."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.logs import sign_in_accepted_log, sign_in_refused_log
from cms.services import audit_record
from cms.two_factor import UNCONFIRMED_DEVICE_LIFETIME
from portal_pages import otp
from portal_pages.events import AccountEvent
from portal_pages.models import User
from portal_pages.services.emails import absolute_url, email_send


def device_audit_data(device) -> dict:
    """A device as an audit entry names it: its kind and id, never the name its owner typed ("Jane's phone")."""
    return {"device_kind": otp.device_kind(device).value, "device_id": device.persistent_id}


def device_audit(*, action: AccountEvent, user: User, device, request=None, **data) -> None:
    """Audit an account's own act with one of its devices (and ``data``), naming the device by kind and id."""
    audit_record(action=action, actor=user, target=user, request=request, data=device_audit_data(device) | data)


def code_refused(*, user: User, request, waiting: bool, **data) -> None:
    """Audit and log a code refused at a code step (the portal's or, with ``where="admin"``, the admin's): a wrong
    code, or (``waiting``) a code not tried at all, right or wrong, because the account waits after wrong codes."""
    audit_record(
        action=AccountEvent.CODE_REFUSED_WAITING if waiting else AccountEvent.CODE_FAILED,
        actor=user,
        target=user,
        request=request,
        data=data or None,
    )
    message = "code not tried while waiting after wrong codes" if waiting else "wrong authenticator code"
    sign_in_refused_log(f"Sign-in refused: {message}", request=request, account_id=user.pk)


def code_accepted_log(*, user: User, device, request) -> None:
    """One info line for a two-factor code accepted at a code step or a first device's set-up (the portal's or the
    admin's), naming the account by id and the device by kind; never the code."""
    sign_in_accepted_log(
        f"Sign-in: two-factor code accepted ({otp.device_kind(device).label.lower()})",
        request=request,
        account_id=user.pk,
    )


def device_confirm(*, user: User, device: TOTPDevice, name: str, request=None) -> TOTPDevice:
    with transaction.atomic():
        device.name = name.strip()
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        device_audit(action=AccountEvent.DEVICE_ADDED, user=user, device=device, request=request)
    return device


def device_remove(*, user: User, device: TOTPDevice, request=None) -> None:
    with transaction.atomic():
        data = device_audit_data(device)  # its id is gone once it is deleted
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


HAS_DEVICE = "has_two_factor_device"


def with_device_flag(accounts):
    """``accounts`` each with ``HAS_DEVICE``: whether it has an authenticator or backup codes that a reset would
    remove, worked out in the list's own query, not one query an account."""
    return accounts.annotate(
        **{
            HAS_DEVICE: Exists(TOTPDevice.objects.filter(user=OuterRef("pk")))
            | Exists(StaticDevice.objects.filter(user=OuterRef("pk")))
        }
    )


def has_device(account: User) -> bool:
    """Whether ``account`` has a device to reset: ``HAS_DEVICE`` where its list worked it out, else asked."""
    flag = getattr(account, HAS_DEVICE, None)
    if flag is not None:
        return flag
    return TOTPDevice.objects.filter(user=account).exists() or StaticDevice.objects.filter(user=account).exists()


def devices_reset_by_admin(*, user: User, reset_by: User, request=None) -> int:
    """Remove every authenticator and backup code: the account enrols a new device at its next sign-in. Returns how
    many authenticator devices were removed (its backup codes, kept as a device of their own, are not one)."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).count()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            action=AccountEvent.DEVICES_RESET,
            actor=reset_by,
            target=user,
            request=request,
            data={"devices_removed": removed},
        )
    email_send(
        to=user.email,
        subject="Your two-factor sign-in has been reset",
        template="devices_reset",
        context={
            "user": user,
            "sign_in_url": absolute_url(reverse("portal:sign_in")),
            "is_staff": user.is_staff,
            "admin_url": absolute_url(reverse("wagtailadmin_login")),
        },
    )
    return removed


def devices_remove_unconfirmed(*, now=None) -> int:
    """Delete every authenticator device (the portal's or wagtail-2fa's) left unconfirmed for longer than
    UNCONFIRMED_DEVICE_LIFETIME: a set-up never finished. Devices from before django-otp recorded
    ``created_at`` have none; unconfirmed, they never signed anyone in either. Safe to run twice."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_DEVICE_LIFETIME
    stale = TOTPDevice.objects.filter(confirmed=False).filter(Q(created_at__lt=cutoff) | Q(created_at__isnull=True))
    deleted, _ = stale.delete()
    return deleted
