"""Writes of the two-factor sign-in shared by the portal's code steps (portal_pages.otp) and the admin's
(cms.wagtail_2fa_compat). What a code step says (a wrong code, a wait) stays with the form helpers in cms.forms."""

from django_otp import devices_for_user
from django_otp.models import ThrottlingMixin


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
