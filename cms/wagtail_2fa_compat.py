"""The one place where wagtail-2fa 1.8.0 is patched to work with django-otp 1.7.x and Wagtail 7.4.

django-otp 1.7.1 stopped trying every device when a form names none ("Please select a device"), and
wagtail-2fa's admin code form has no device field, so every staff sign-in after enrolment failed.
``AdminTokenForm`` picks the user's confirmed TOTP device whose current window matches the code (or
the only one), then lets django-otp verify it as usual, with its throttling and replay checks.

The "Manage 2FA" pages (device list and removal) let a user reach their own devices, and anyone holding
``user.change_user`` reach everyone's. Only superusers touch another account's devices, so
``DeviceListView`` and ``DeviceDeleteView`` answer 404 to anyone else for any device not their own
(upstream's removal view also answered 500 for a device id that does not exist). They are routed over
upstream's URLs by ``device_urlpatterns`` (registered first, in cms/wagtail_hooks.py).

The code page's words are GOV.UK's, beside the field: ``AdminTokenForm`` puts every error on its field, and
cms/templates/wagtail_2fa/otp_form_v6.html is upstream's page without the "Invalid code" banner it showed for any
error. The page that adds a device (the first, which a staff account without one is sent to, or another) says the
portal's words beside each field with ``AdminDeviceForm``: upstream said "This field is required.", "Invalid
token. Please make sure you have entered it correctly." and "Invalid password". Its page,
cms/templates/wagtail_2fa/device_form.html, is upstream's in plain words (upstream said "Two Factor Settings" and a
code "that changes every minute"), with alt text on the QR code, the setup link reachable by keyboard and each error
linked to its field; a page sent back says beside the password to enter it again (it is never shown filled in).
tests/cms/device_form_from_upstream.txt lists what ours changes, and a test fails when upstream's page changes.

``VerifyUserMiddleware`` skips upstream's per-request permission reads on the portal's pages, whose own gate
checks every signed-in request.

A staff sign-in through the admin's code step sends ``admin_signed_in`` (user, device, request), and a code it
refuses ``admin_code_refused`` (user, request, waiting); the app that keeps the account events (portal_pages.signals)
audits them as the portal's sign-in, wrong codes and codes refused during a wait are (the device's kind and id; never
the code typed). A code accepted clears the wait of every device of the account (``cms.two_factor.code_waits_reset``).

The set-up page shows the account's device being set up (``cms.two_factor.device_unconfirmed_recent``, the rule the
portal's set-up follows) and makes one only when there is none: upstream deleted it and made another, with a new
secret, on every visit, so a reload or a second tab made the QR code already scanned useless and the app's code was
"wrong". Its QR code and its form confirm that same device (``DeviceCreateView``, ``DeviceQRCodeView``); a confirmed
device is never touched.

Passing the code step, or confirming a first device (which signs its owner in), gives a new session key, as the
portal's code step does (``cycle_key``).

A device confirmed on the admin's set-up page sends ``admin_device_added`` (user, device, request), and a first
device, whose code signs its owner in, ``admin_signed_in`` as the code step does: portal_pages.signals audits them
as the portal's set-up and sign-in are, in the same transaction as the device's confirmation. The set-up then goes
where its owner was going (the ``next`` the admin's gate gave, if it is this site's), else to the admin's home for a
first device (upstream showed the device list), or back to the device list for another.

tests/cms/test_wagtail_2fa_compat.py walks the real admin sign-in and fails when upstream changes.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import re_path, reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail_2fa import forms as wagtail_2fa_forms
from wagtail_2fa import utils as wagtail_2fa_utils
from wagtail_2fa import views as wagtail_2fa_views
from wagtail_2fa.middleware import VerifyUserMiddleware as _VerifyUserMiddleware

from cms.forms import (
    DEVICE_NAME_REQUIRED,
    PASSWORD_REQUIRED,
    WRONG_CODE,
    WRONG_PASSWORD,
    SummaryTakesFocusMixin,
    code_wait_error,
)
from cms.two_factor import code_waits_reset, device_unconfirmed_recent, qr_code_svg

# The professionals' portal (portal_pages), whose own gate checks verification on every page behind sign-in.
PORTAL_PATH_PREFIX = "/portal/"


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


CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"


def _code_field(field, help_text):
    """wagtail-2fa's code field (the code step's and the device set-up's), with a label in words, the portal's words
    when it is empty, and what a phone needs to offer its one-time code."""
    field.error_messages["required"] = CODE_REQUIRED
    field.label = "Code from your authenticator app"
    field.help_text = help_text
    field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"})


class AdminTokenForm(SummaryTakesFocusMixin, wagtail_2fa_forms.TokenForm):
    """wagtail-2fa's code form, choosing the device that django-otp 1.7.1+ no longer chooses itself, with a label
    in words (upstream's field has none: the page said "Otp token") and GOV.UK words beside the field (upstream said
    "This field is required." there, and "Invalid code" in a banner above the form for any other error); a page sent
    back opens on its error summary, not the code box."""

    otp_error_messages = {
        **wagtail_2fa_forms.TokenForm.otp_error_messages,
        "token_required": CODE_REQUIRED,
        "invalid_token": WRONG_CODE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self.fields["otp_token"], "The 6-digit code the app on your phone shows for this portal now.")

    def clean(self):
        if not self.has_error("otp_token"):  # an empty code is told once, by the field
            try:
                self.clean_otp(self.user)
            except ValidationError as error:
                self.add_error("otp_token", error)  # beside the field, where the page shows it
        return self.cleaned_data

    def _verify_token(self, user, token, device=None):
        # Upstream checks only the chosen device's wait, in words that name no wait ("… please try again soon"); a
        # guess that matched another device of the account was tried at once.
        wait = code_wait_error(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        if wait:
            raise ValidationError(wait, code="wait")
        device = super()._verify_token(user, token, device)
        code_waits_reset(user)  # accepted (a wrong code raised): no device of the account waits any more
        return device

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


DEVICE_NAME_HELP = "A name that tells this device from any other you add, like Jo's phone."
PASSWORD_HELP = "The password you sign in with, to show it is you."  # noqa: S105 - words, not a password
PASSWORD_AGAIN = "Enter your password again: it is not kept when the page comes back with a mistake to correct."  # noqa: S105


class AdminDeviceForm(wagtail_2fa_forms.DeviceForm):
    """wagtail-2fa's form that adds a device (and renames one: it then has no code field), saying the portal's words
    beside each field, with the code step's label and words for the code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = DEVICE_NAME_REQUIRED
        self.fields["name"].help_text = DEVICE_NAME_HELP
        self.fields["password"].error_messages["required"] = PASSWORD_REQUIRED
        self.fields["password"].label = "Your password"
        self.fields["password"].help_text = PASSWORD_HELP
        if "otp_token" in self.fields:
            _code_field(
                self.fields["otp_token"],
                "The 6-digit code the app shows for this portal once it has scanned the QR code.",
            )

    def full_clean(self):
        """A form sent back says beside the password to enter it again (a password field is never shown filled in,
        so it is empty whichever field was wrong), and links each error to its field as well as the help."""
        super().full_clean()
        if not self._errors:
            return
        self.fields["password"].help_text = self["password"].help_text = PASSWORD_AGAIN  # the field, already bound
        for name in self._errors:
            if name in self.fields:
                field_id = self[name].auto_id
                self.fields[name].widget.attrs["aria-describedby"] = f"{field_id}-helptext {field_id}-error"

    def clean_otp_token(self):
        wait = code_wait_error([self.instance])  # upstream tries no code while the device waits, and says it is wrong
        if wait:
            raise ValidationError(wait, code="wait")
        try:
            return super().clean_otp_token()
        except ValidationError as error:
            raise ValidationError(WRONG_CODE, code="wrong_code") from error

    def clean_password(self):
        try:
            super().clean_password()
        except ValidationError as error:
            raise ValidationError(WRONG_PASSWORD, code="wrong_password") from error
        return self.cleaned_data["password"]


class VerifyUserMiddleware(_VerifyUserMiddleware):
    """wagtail-2fa's middleware, which leaves the portal's pages to the portal's own gate.

    Upstream reads every signed-in user's permissions on every request (two queries) to decide whether the
    admin's code step applies. Under /portal/ it never needs to: each page behind sign-in there refuses staff
    and anyone not verified by a code (portal_pages.access), and the rest are the sign-in pages themselves.
    The user still gets ``is_verified()`` here, as upstream gives it.
    """

    def _require_verified_user(self, request):
        if request.path_info.startswith(PORTAL_PATH_PREFIX):
            return False
        return super()._require_verified_user(request)


def _may_touch_others_devices(user) -> bool:
    return user.is_active and user.is_superuser


class DeviceListView(wagtail_2fa_views.DeviceListView):
    """A user's devices: their own, or anyone's for a superuser; any other id is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if int(kwargs["user_id"]) != request.user.pk and not _may_touch_others_devices(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class DeviceDeleteView(wagtail_2fa_views.DeviceDeleteView):
    """Remove one device: one's own, or anyone's for a superuser; any other id is a 404."""

    def dispatch(self, request, *args, **kwargs):
        device = TOTPDevice.objects.filter(pk=kwargs["pk"]).first()
        if device is None or (device.user_id != request.user.pk and not _may_touch_others_devices(request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


SESSION_SET_UP_DEVICE = "admin_set_up_device_id"
SET_UP_RAN_OUT = "The set-up had run out. Scan the new QR code and enter the code your authenticator app shows."


def set_up_device(request, *, create: bool) -> TOTPDevice | None:
    """The device the admin's set-up page shows: this session's, else the account's recent unconfirmed one, else
    (``create``, on a visit of the page) a new one by upstream's utility, which clears unconfirmed ones left over."""
    device = device_unconfirmed_recent(request.user, device_id=request.session.get(SESSION_SET_UP_DEVICE))
    if device is None and create:
        device = wagtail_2fa_utils.new_unconfirmed_device(request.user)
    if device is not None:
        request.session[SESSION_SET_UP_DEVICE] = device.pk
    return device


class DeviceCreateView(wagtail_2fa_views.DeviceCreateView):
    """Adds a device, showing and confirming the one being set up; a visit makes one only when there is none."""

    @cached_property
    def device(self):
        return set_up_device(self.request, create=self.request.method == "GET")

    def post(self, request, *args, **kwargs):
        # No device being set up (the daily task removed it, or it is over a day old): upstream's form built a blank
        # device, took it as confirmed without a code and failed to save it (a server error). The page again, with a
        # new QR code, keeping where its owner was going.
        if self.device is None:
            messages.warning(request, SET_UP_RAN_OUT)
            url = reverse("wagtail_2fa_device_new")
            next_url = _safe_next(request)
            return redirect(f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url)
        return super().post(request, *args, **kwargs)


class DeviceQRCodeView(wagtail_2fa_views.DeviceQRCodeView):
    """The QR code of the device the set-up page shows (upstream drew the account's first unconfirmed one); 404 when
    there is none (upstream answered 500)."""

    def get(self, request):
        device = set_up_device(request, create=False)
        if device is None:
            raise Http404
        return HttpResponse(qr_code_svg(device), content_type="image/svg+xml")


def device_urlpatterns():
    """Upstream's paths and names, to our views; registered before upstream's, so these match first."""
    return [
        re_path(r"^2fa/devices/(?P<user_id>\d+)$", DeviceListView.as_view(), name="wagtail_2fa_device_list"),
        re_path(r"^2fa/devices/(?P<pk>\d+)/remove$", DeviceDeleteView.as_view(), name="wagtail_2fa_device_remove"),
        re_path(r"^2fa/devices/new$", DeviceCreateView.as_view(), name="wagtail_2fa_device_new"),
        re_path(r"^2fa/devices/qr-code$", DeviceQRCodeView.as_view(), name="wagtail_2fa_device_qrcode"),
    ]


# Sent once a staff user has passed the admin's code step, with ``user``, ``device`` and ``request``.
admin_signed_in = Signal()
# Sent when the admin's code step refuses a code that was typed, with ``user``, ``request`` and ``waiting`` (True
# when the code was not tried, because the account waits after wrong codes).
admin_code_refused = Signal()
# Sent once a staff user has confirmed a new device on the admin's set-up page, with ``user``, ``device`` and
# ``request``; a first device also sends ``admin_signed_in``, as its code signs its owner in.
admin_device_added = Signal()

UPSTREAM_LOGIN_FORM_VALID = wagtail_2fa_views.LoginView.form_valid
UPSTREAM_LOGIN_FORM_INVALID = wagtail_2fa_views.LoginView.form_invalid
UPSTREAM_DEVICE_CREATE_FORM_VALID = wagtail_2fa_views.DeviceCreateView.form_valid


def _login_form_valid(self, form):
    response = UPSTREAM_LOGIN_FORM_VALID(self, form)
    # A new session key once the code is right, as the portal's code step gives (a key seen before the code,
    # fixed by an attacker or read over a shoulder, no longer opens the admin).
    self.request.session.cycle_key()
    user = self.request.user
    admin_signed_in.send(sender=wagtail_2fa_views.LoginView, user=user, device=user.otp_device, request=self.request)
    return response


def _login_form_invalid(self, form):
    if form.data.get("otp_token"):
        admin_code_refused.send(
            sender=wagtail_2fa_views.LoginView,
            user=self.request.user,
            request=self.request,
            waiting=form.has_error("otp_token", code="wait"),
        )
    return UPSTREAM_LOGIN_FORM_INVALID(self, form)


def _device_create_form_valid(self, form):
    request, user = self.request, self.request.user
    self.first_device = not user.is_verified()
    with transaction.atomic():  # the device is confirmed with its audit entries, or not at all
        response = UPSTREAM_DEVICE_CREATE_FORM_VALID(self, form)
        device = form.instance
        admin_device_added.send(sender=wagtail_2fa_views.DeviceCreateView, user=user, device=device, request=request)
        if self.first_device:  # its code signs its owner in (upstream's otp_login): a new session key
            request.session.cycle_key()
            admin_signed_in.send(sender=wagtail_2fa_views.DeviceCreateView, user=user, device=device, request=request)
    return response


def _safe_next(request) -> str:
    """The ``next`` posted or in the address, if it is on this site; else ""."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return ""


def _device_create_success_url(self):
    """Where its owner was going, if that is on this site; else the admin's home after a first device (the admin's
    gate sent them here on their way in), or the device list they added another from."""
    next_url = _safe_next(self.request)
    if next_url:
        return next_url
    if getattr(self, "first_device", False):
        return reverse("wagtailadmin_home")
    return reverse("wagtail_2fa_device_list", kwargs={"user_id": self.request.user.pk})


def apply():
    wagtail_2fa_views.LoginView.form_class = AdminTokenForm
    wagtail_2fa_views.DeviceCreateView.form_class = AdminDeviceForm
    wagtail_2fa_views.DeviceUpdateView.form_class = AdminDeviceForm
    wagtail_2fa_views.DeviceCreateView.form_valid = _device_create_form_valid
    wagtail_2fa_views.DeviceCreateView.get_success_url = _device_create_success_url
    wagtail_2fa_views.LoginView.form_valid = _login_form_valid
    wagtail_2fa_views.LoginView.form_invalid = _login_form_invalid
