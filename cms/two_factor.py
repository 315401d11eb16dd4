"""Rules of the two-factor sign-in shared by the portal's code steps and set-up (portal_pages.otp) and the admin's
(cms.wagtail_2fa_compat). What a code step says (a wrong code, a wait) stays with the form helpers in cms.forms."""

from datetime import timedelta

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import ThrottlingMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

# A device being set up, not yet confirmed with a code, is kept this long; the daily task removes it after.
UNCONFIRMED_DEVICE_LIFETIME = timedelta(days=1)


def device_unconfirmed_recent(user, *, device_id=None) -> TOTPDevice | None:
    """The account's device being set up (``device_id``'s when given and still there, else the newest), if it
    was made within UNCONFIRMED_DEVICE_LIFETIME: a revisit of a set-up page (the portal's or the admin's) shows it
    again, with the secret already scanned, where a new device would make that scan useless."""
    recent = TOTPDevice.objects.filter(
        user=user, confirmed=False, created_at__gte=timezone.now() - UNCONFIRMED_DEVICE_LIFETIME
    )
    return (recent.filter(pk=device_id).first() if device_id else None) or recent.order_by("-pk").first()


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of the device as an SVG, drawn here (the secret never leaves the server): inline on the
    portal's set-up page, and the image of the admin's. On white, so it scans on the admin's dark theme too."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" focusable="false" ', 1)


def code_waits_reset(user) -> None:
    """Once a code of the account is accepted (an app's or a backup code, in the portal or the admin), every device
    of the account starts again with no wrong codes and no wait.

    A wrong code is recorded on one device (the account's first authenticator), and django-otp clears a device's
    count only when that device accepts a code: on a team account, where each colleague signs in with their own
    phone, the waits grew with every typo, day after day, and nothing cleared them."""
    for device in devices_for_user(user, confirmed=None):
        if isinstance(device, ThrottlingMixin) and device.throttling_failure_count:
            device.throttle_reset(commit=False)
            # Only the throttle's fields: the accepted device's last code used (replay protection) is kept as saved.
            device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
