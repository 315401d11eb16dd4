"""Authenticator devices for team accounts, on the same django-otp tables that wagtail-2fa uses for staff.

An app's code is matched against each confirmed TOTP device without side effects first; django-otp then verifies
the matching device, with its replay protection. A code that matches none is recorded as a failure on the account's
first authenticator, and while any device waits after wrong codes, every code of that kind waits
(cms.forms.code_wait_error). Once any code is accepted, every device's failures are cleared
(cms.two_factor.code_waits_reset), so a colleague's sign-in on their own phone ends the wait a typo started. Backup
codes are a django-otp static device, throttled on their own; django-otp deletes a backup code once it is used, so
each used code is also kept as a keyed hash (UsedBackupCode), for the code step to say that a code typed again has
been used.
"""

import base64

from django.db import models
from django.utils.crypto import salted_hmac
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.two_factor import code_waits_reset
from portal_pages.models import UsedBackupCode

BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = len(StaticToken.random_token())  # django-otp's: 8 base32 characters


class DeviceKind(models.TextChoices):
    """What kind of device an audit entry names (with its id): its name is typed by its owner, so never recorded.
    A value is what audit entries store: never change one."""

    AUTHENTICATOR = "authenticator", "Authenticator app"
    BACKUP_CODES = "backup_codes", "Backup codes"


def device_kind(device) -> DeviceKind:
    return DeviceKind.BACKUP_CODES if isinstance(device, StaticDevice) else DeviceKind.AUTHENTICATOR


def totp_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME, confirmed=True).first()


def backup_codes_left(user) -> int:
    device = backup_device(user)
    return device.token_set.count() if device else 0


def has_any_device(user) -> bool:
    return totp_devices(user).exists()


def _normalise(token: str) -> str:
    return "".join(str(token or "").split()).replace("-", "").lower()


def _totp_matches(device: TOTPDevice, token: str) -> bool:
    if not (token.isdecimal() and len(token) == device.digits):  # "²" passes isdigit(), and int() refuses it
        return False
    for offset in range(-device.tolerance, device.tolerance + 1):
        if totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset) == int(token):
            return True
    return False


def _is_app_code(token: str) -> bool:
    """A code shaped like an authenticator's (digits, not a backup code's length): tried only on the authenticator
    devices; anything else only as a backup code. Each kind of device is throttled on its own."""
    return token.isdecimal() and len(token) != BACKUP_CODE_LENGTH


def devices_for_code(user, token: str) -> list:
    """The devices a code typed at sign-in is tried on: the confirmed authenticators, or the backup codes."""
    if _is_app_code(_normalise(token)):
        return list(totp_devices(user))
    return [device for device in [backup_device(user)] if device is not None]


def device_verify_code(user, token: str):
    """The device that accepts token (a TOTP code or an unused backup code), or None. Uses up a backup code; once a
    code is accepted, no device of the account waits after wrong codes."""
    device = _device_accepting(user, _normalise(token))
    if device is not None:
        code_waits_reset(user)
    return device


def _device_accepting(user, token: str):
    if not token:
        return None
    devices = list(totp_devices(user))
    if _is_app_code(token) and devices:
        matching = [device for device in devices if _totp_matches(device, token)]
        for device in matching:
            if device.verify_token(token):
                return device
        if not matching:
            # Let django-otp record the failure (and throttle) on the account's first device.
            devices[0].verify_token(token)
        return None
    static = backup_device(user)
    if static is not None and static.verify_token(token):
        UsedBackupCode.objects.get_or_create(device=static, code_hash=_used_code_hash(static, token))
        return static
    return None


def _used_code_hash(device: StaticDevice, token: str) -> str:
    """A used backup code as it is kept: keyed with the site's secret and the device, so the table reads as no code."""
    return salted_hmac("portal_pages.otp.used_backup_code", f"{device.pk}:{token}", algorithm="sha256").hexdigest()


def backup_code_used(user, token: str) -> bool:
    """Whether ``token``, refused at the code step, is one of the account's current backup codes that has already
    signed it in (django-otp deleted it then). Asked only once the password is right, and after the code was tried,
    so the wait after wrong codes is as for any other."""
    token = _normalise(token)
    static = backup_device(user) if token and not _is_app_code(token) else None
    if static is None:
        return False
    return static.used_codes.filter(code_hash=_used_code_hash(static, token)).exists()


def device_new_unconfirmed(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="", confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret that apps accept, in groups of four for typing."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def backup_codes_regenerate(user) -> list[str]:
    """Ten new single-use codes; the old set stops working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    device.used_codes.all().delete()  # the old set's codes are no longer codes of this account, used or not
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
