"""The one place where wagtail-2fa 1.8.0 is patched to work with django-otp 1.7.x and Wagtail 7.4.

django-otp 1.7.1 stopped trying every device when a form names none ("Please select a device"), and
wagtail-2fa's admin code form has no device field, so every staff sign-in after enrolment failed.
``AdminTokenForm`` picks the user's confirmed TOTP device whose current window matches the code (or
the only one), then lets django-otp verify it as usual, with its throttling and replay checks.

The "Manage 2FA" pages (device list and removal) check ``user.change_user``, a permission with the
wrong app label that nobody can hold, so a non-superuser administrator with the real
``<user app>.change_user`` permission was refused. ``_device_list_dispatch`` and
``_device_delete_dispatch`` check the right name.

A staff sign-in through the admin's code step is audited with the device's name, as the portal's is.

tests/cms/test_wagtail_2fa_compat.py walks the real admin sign-in and fails when upstream changes.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
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


def can_manage_others_devices(user) -> bool:
    """The permission wagtail-2fa meant: change users of the project's own user model."""
    opts = get_user_model()._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


UPSTREAM_DEVICE_LIST_DISPATCH = wagtail_2fa_views.DeviceListView.dispatch
UPSTREAM_DEVICE_DELETE_DISPATCH = wagtail_2fa_views.DeviceDeleteView.dispatch
UPSTREAM_LOGIN_FORM_VALID = wagtail_2fa_views.LoginView.form_valid


def _device_list_dispatch(self, request, *args, **kwargs):
    if int(self.kwargs["user_id"]) == request.user.pk or can_manage_others_devices(request.user):
        if not self.user_allowed(request.user):
            return self.handle_no_permission(request)
        return super(wagtail_2fa_views.DeviceListView, self).dispatch(request, *args, **kwargs)
    raise PermissionDenied


def _device_delete_dispatch(self, request, *args, **kwargs):
    device = TOTPDevice.objects.filter(**self.kwargs).first()
    if device is None:
        raise PermissionDenied
    if device.user_id == request.user.pk or can_manage_others_devices(request.user):
        if not self.user_allowed(request.user):
            return self.handle_no_permission(request)
        return super(wagtail_2fa_views.DeviceDeleteView, self).dispatch(request, *args, **kwargs)
    raise PermissionDenied


def _login_form_valid(self, form):
    response = UPSTREAM_LOGIN_FORM_VALID(self, form)
    from cms.services import audit_record

    device = self.request.user.otp_device
    audit_record(
        action="account.signed_in",
        actor=self.request.user,
        target=self.request.user,
        request=self.request,
        data={"device": device.name, "device_id": device.persistent_id, "where": "admin"},
    )
    return response


def apply():
    wagtail_2fa_views.LoginView.form_class = AdminTokenForm
    wagtail_2fa_views.LoginView.form_valid = _login_form_valid
    wagtail_2fa_views.DeviceListView.dispatch = _device_list_dispatch
    wagtail_2fa_views.DeviceDeleteView.dispatch = _device_delete_dispatch
