"""Setting up and managing authenticator devices and backup codes: HTTP glue over portal_pages.otp."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.forms import WRONG_CODE, posted
from cms.two_factor import device_unconfirmed_recent, qr_code_svg
from portal_pages import otp
from portal_pages.access import professional_required
from portal_pages.forms import AddDeviceForm, EnrolForm
from portal_pages.services import accounts as account_services
from portal_pages.services import devices as device_services

SESSION_ENROL_DEVICE = "portal_enrol_device_id"


def _enrolment_device(request) -> TOTPDevice:
    """The device being set up: this session's, else the account's recent unconfirmed one (a revisit in a new
    session, or a colleague), else a new one. Visits never pile up unconfirmed devices."""
    device = device_unconfirmed_recent(request.user, device_id=request.session.get(SESSION_ENROL_DEVICE))
    if device is None:
        device = otp.device_new_unconfirmed(request.user)
    request.session[SESSION_ENROL_DEVICE] = device.pk
    return device


def _confirm(request, form, device) -> bool:
    """Confirm the device with a valid form's code. With another error (no name, a wrong password), a code typed is
    checked too, so both errors show at once; only checked, not used up (``verify_token`` saves the device)."""
    if not form.is_valid():
        typed = "".join((form.cleaned_data.get("code") or "").split())
        if typed and not otp._totp_matches(device, typed):
            form.add_error("code", WRONG_CODE)
        return False
    code = "".join(form.cleaned_data["code"].split())
    if otp._totp_matches(device, code) and device.verify_token(code):
        device_services.device_confirm(
            user=request.user, device=device, name=form.cleaned_data["name"], request=request
        )
        request.session.pop(SESSION_ENROL_DEVICE, None)
        return True
    form.add_error("code", WRONG_CODE)
    return False


def _enrol_context(device, form, **extra):
    return {"form": form, "qr_svg": qr_code_svg(device), "secret": otp.secret_for_typing(device), **extra}


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in: an account with no authenticator sets one up before it sees anything else."""
    user = request.user
    if not user.is_authenticated:
        return redirect("portal:sign_in")
    if user.is_staff or user.is_superuser:
        raise PermissionDenied
    if not user.can_sign_in:
        return redirect("portal:sign_in")
    if otp.has_any_device(user):
        return redirect("portal:two_factor_add" if user.is_verified() else "portal:sign_in_code")
    device = _enrolment_device(request)
    form = EnrolForm(posted(request))
    if request.method == "POST" and _confirm(request, form, device):
        otp_login(request, device)
        request.session.cycle_key()
        account_services.account_signed_in(user=user, device=device, request=request)
        messages.success(
            request,
            f"“{device.name}” is set up. Now create backup codes, so you can still sign in if you lose this device.",
        )
        return redirect("portal:two_factor_backup_codes")
    return render(request, "portal_pages/two_factor_setup.html", _enrol_context(device, form, first=True))


@sensitive_post_parameters("code", "password")
@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def two_factor_add(request):
    """Another colleague's phone on the shared team account: needs the password and a code from the new app."""
    device = _enrolment_device(request)
    form = AddDeviceForm(posted(request), user=request.user)
    if request.method == "POST" and _confirm(request, form, device):
        messages.success(request, f"“{device.name}” has been added. It can now be used to sign in.")
        return redirect("portal:two_factor")
    return render(request, "portal_pages/two_factor_setup.html", _enrol_context(device, form, first=False))


@never_cache
@professional_required
def two_factor(request):
    return render(
        request,
        "portal_pages/two_factor.html",
        {"devices": otp.totp_devices(request.user), "backup_codes_left": otp.backup_codes_left(request.user)},
    )


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def two_factor_remove(request, device_id):
    devices = otp.totp_devices(request.user)
    device = devices.filter(pk=device_id).first()
    if device is None:
        raise Http404
    only_one = devices.count() == 1
    if request.method == "POST" and not only_one:
        device_services.device_remove(user=request.user, device=device, request=request)
        messages.success(request, f"“{device.name}” has been removed. It can no longer be used to sign in.")
        return redirect("portal:two_factor")
    return render(request, "portal_pages/two_factor_remove.html", {"device": device, "only_one": only_one})


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def two_factor_backup_codes(request):
    if request.method == "POST":
        codes = device_services.backup_codes_regenerate(user=request.user, request=request)
        download = "\n".join(["Backup codes for " + request.user.email, "", *codes, ""])
        return render(request, "portal_pages/backup_codes_new.html", {"codes": codes, "download": download})
    return render(request, "portal_pages/backup_codes.html", {"backup_codes_left": otp.backup_codes_left(request.user)})
