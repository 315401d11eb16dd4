"""The one place where wagtail-2fa 1.8.0 is patched to work with django-otp 1.7.x and Wagtail 7.4.

django-otp 1.7.1 stopped trying every device when a form names none ("Please select a device"), and
wagtail-2fa's admin code form has no device field, so every staff sign-in after enrolment failed.
``AdminTokenForm`` picks the user's confirmed TOTP device whose current window matches the code (or
the only one), then lets django-otp verify it as usual, with its throttling and replay checks.

tests/cms/test_wagtail_2fa_compat.py walks the real admin sign-in and fails when upstream changes.
"""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa import forms as wagtail_2fa_forms
from wagtail_2fa import views as wagtail_2fa_views


def _totp_devices_matching(devices, token):
    """Devices whose code, within their tolerance window, equals token; computed without side effects."""
    try:
        token = int(token)
    except (TypeError, ValueError):
        return []
    matches = []
    for device in devices:
        for offset in range(-device.tolerance, device.tolerance + 1):
            if totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset) == token:
                matches.append(device)
                break
    return matches


class AdminTokenForm(wagtail_2fa_forms.TokenForm):
    """wagtail-2fa's code form, choosing the device that django-otp 1.7.1+ no longer chooses itself."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is not None:
            return device
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        if len(devices) == 1:
            return devices[0]
        matching = _totp_devices_matching(devices, self.cleaned_data.get("otp_token"))
        # With no match, any device gives the same "invalid code" answer and records the failure.
        return (matching or devices or [None])[0]


def apply():
    wagtail_2fa_views.LoginView.form_class = AdminTokenForm
