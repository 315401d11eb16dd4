"""Sign-in, the code step, sign-out, registration, confirmation, invitations, password reset: HTTP glue."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from wagtail.admin.views.account import PasswordResetConfirmView as WagtailPasswordResetConfirmView
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView

from cms.client_addresses import client_ip
from cms.forms import code_wait_error, posted
from cms.ratelimit import client_network, rate_limit_exceeded
from cms.services import audit_record
from portal_pages import otp
from portal_pages.access import return_path, safe_next, session_start, switched_off_sign_out, timed_out_url
from portal_pages.events import AccountEvent
from portal_pages.forms import (
    BACKUP_CODE_USED,
    WRONG_CODE_OR_BACKUP_CODE,
    CodeForm,
    EmailForm,
    NewPasswordForm,
    RegisterForm,
    SignInForm,
)
from portal_pages.kept_typing import typing_waiting
from portal_pages.models import AccountState, Organisation
from portal_pages.services import accounts as account_services
from portal_pages.services import password_resets
from portal_pages.services.address_requests import address_request_queue
from portal_pages.services.devices import code_refused
from portal_pages.services.emails import support_email
from portal_pages.tokens import account_token_user

BACKEND = "portal_pages.backends.PortalAuthBackend"
TOO_MANY = "You have asked too many times. Wait an hour and try again, or contact the SEND service if you need help now"


def _next_url(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next") or "")


def _asked_too_often(request, form, scope: str) -> bool:
    """Whether this client or the form's email address has asked for `scope` too often this hour; if so, the
    form says so. An email address gets few (PORTAL_ACCOUNT_REQUESTS_PER_HOUR: no inbox is flooded); an IP address
    more (PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP), since a school's or a council's staff share one: five an hour for
    the whole school refused its sixth SENCO's registration, or reset, for the rest of the hour."""
    limits = (
        (client_network(request) or "", settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR_PER_IP),
        (form.cleaned_data["email"], settings.PORTAL_ACCOUNT_REQUESTS_PER_HOUR),
    )
    if rate_limit_exceeded(scope=scope, limits=limits):
        form.add_error(None, TOO_MANY)
        return True
    return False


def _link_account(token: str, *, purpose: str, max_age_seconds: int, state: str):
    """The account a signed link (verify, invite, reset) names, while it is in the state the link is for; else None."""
    user = account_token_user(token=token, purpose=purpose, max_age_seconds=max_age_seconds)
    return user if user is not None and user.account_state == state else None


def _link_invalid(request, kind: str):
    return render(request, "portal_pages/link_invalid.html", {"kind": kind}, status=400)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# Sign-in


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _next_url(request)
    form = SignInForm(request, data=posted(request))
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())  # a new session key
        session_start(request)
        return redirect(_with_next(reverse("portal:sign_in_code"), next_url))
    return render(request, "portal_pages/sign_in.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    user = request.user
    next_url = _next_url(request)
    if not user.is_authenticated:
        return switched_off_sign_out(request) or redirect(_with_next(reverse("portal:sign_in"), next_url))
    if user.is_staff or user.is_superuser:
        raise PermissionDenied
    if user.is_verified():
        return redirect(next_url or reverse("portal:dashboard"))
    if not otp.has_any_device(user):
        return redirect(_with_next(reverse("portal:two_factor_setup"), next_url))
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        wait = code_wait_error(otp.devices_for_code(user, form.cleaned_data["code"]))
        if wait:
            code_refused(user=user, request=request, waiting=True)
            form.add_error("code", wait)
        else:
            device = otp.device_verify_code(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                request.session.cycle_key()  # a new session key after the code step too
                account_services.account_signed_in(user=user, device=device, request=request)
                if isinstance(device, StaticDevice):
                    left = otp.backup_codes_left(user)
                    messages.warning(
                        request,
                        f"You signed in with a backup code. You have {left} backup code{'s' if left != 1 else ''} "
                        "left. Add your new phone as a device, and create new backup codes if you are running out.",
                    )
                return redirect(next_url or reverse("portal:dashboard"))
            code_refused(user=user, request=request, waiting=False)
            used = otp.backup_code_used(user, form.cleaned_data["code"])
            form.add_error("code", BACKUP_CODE_USED if used else WRONG_CODE_OR_BACKUP_CODE)
    return render(request, "portal_pages/sign_in_code.html", {"form": form, "next": next_url})


@never_cache
def sign_out(request):
    if request.method == "POST":
        # The time-out dialog's countdown ended (session-timeout.js): signed out as it said, and told so.
        timed_out = request.POST.get("timed_out") == "1"
        if request.user.is_authenticated:
            if timed_out:
                audit_record(
                    action=AccountEvent.TIMED_OUT,
                    actor=request.user,
                    target=request.user,
                    request=request,
                    data={"why": "idle"},
                )
            else:
                audit_record(action=AccountEvent.SIGNED_OUT, actor=request.user, target=request.user, request=request)
        auth_logout(request)
        if timed_out:  # the script sends the page the dialog was on, to come back to
            return redirect(timed_out_url(request, request.POST.get("next", "")))
        return redirect(f"{reverse('portal:signed_out')}?reason=signed_out")
    if not request.user.is_authenticated:
        return redirect("portal:sign_in")
    return render(request, "portal_pages/sign_out.html")


def signed_out(request):
    reason = request.GET.get("reason")
    timed_out = reason in ("timeout", "limit")  # idle for too long, or signed in for longer than the limit
    next_path = return_path(request, request.GET.get("next", "")) if timed_out else ""
    return render(
        request,
        "portal_pages/signed_out.html",
        {
            "timed_out": timed_out,
            "over_limit": reason == "limit",
            "limit_hours": settings.PORTAL_SESSION_ABSOLUTE_HOURS,
            "idle_minutes": max(1, settings.PORTAL_SESSION_IDLE_SECONDS // 60),
            "sign_in_url": _with_next(reverse("portal:sign_in"), next_path),
            "kept_typing": typing_waiting(request) if timed_out else None,
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes's lockout page, for the portal's and the admin's sign-in alike (the signal audits it)."""
    return render(
        request,
        "portal_pages/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_hours": settings.AXES_COOLOFF_TIME},
        status=429,
    )


# Registration and confirmation


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    form = RegisterForm(posted(request))
    if request.method == "POST" and form.is_valid() and not _asked_too_often(request, form, "register"):
        account_services.account_register_queue(
            organisation=form.cleaned_data["organisation"],
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password"],
            joining=form.joining,
            request=request,
        )
        request.session["portal_registered_email"] = form.cleaned_data["email"]
        # "listed": a school chosen from the list whose address ending is new; "new": one the person named.
        listed = form.cleaned_data["organisation"] is not None
        request.session["portal_asked_to_join"] = ("listed" if listed else "new") if form.joining else ""
        return redirect("portal:register_done")
    organisations = Organisation.objects.filter(is_active=True).only("name")
    return render(request, "portal_pages/register.html", {"form": form, "organisations": organisations})


def register_done(request):
    return render(
        request,
        "portal_pages/register_done.html",
        {
            "email": request.session.get("portal_registered_email"),
            "asked_to_join": request.session.get("portal_asked_to_join", ""),
        },
    )


def _emailed_link_request(request, send, *, template: str, limit: str, session_key: str, done: str):
    """A page asking for an email address to send a link to: within the ``limit`` rate, ``send(email)``, keep the
    address for the next page and go to ``done``; the same answer whether or not the address has an account."""
    form = EmailForm(posted(request))
    if request.method == "POST" and form.is_valid() and not _asked_too_often(request, form, limit):
        email = form.cleaned_data["email"]
        send(email)
        request.session[session_key] = email
        return redirect(done)
    return render(request, f"portal_pages/{template}.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def verification_resend(request):
    return _emailed_link_request(
        request,
        lambda email: address_request_queue("account_verification_resend", email=email),
        template="verification_resend",
        limit="resend",
        session_key="portal_registered_email",
        done="portal:register_done",
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token):
    user = _link_account(
        token,
        purpose="verify",
        max_age_seconds=settings.PORTAL_VERIFY_EMAIL_HOURS * 3600,
        state=AccountState.PENDING_VERIFICATION,
    )
    if user is None:
        return _link_invalid(request, "verify")
    if request.method == "POST":
        approvers_emailed = account_services.account_verify(user=user, request=request)
        if user.account_state == AccountState.AWAITING_APPROVAL:
            return render(
                request,
                "portal_pages/awaiting_approval.html",
                {"account": user, "approvers_emailed": approvers_emailed, "support_email": support_email()},
            )
        messages.success(
            request, "Your email address is confirmed. Sign in, then set up an authenticator app for your account."
        )
        return redirect("portal:sign_in")
    # The address the link was sent to, and nothing else of the account: its display name is the registrant's text.
    return render(request, "portal_pages/verify.html", {"email": user.email})


# Invitations


@sensitive_post_parameters("new_password")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    user = _link_account(
        token, purpose="invite", max_age_seconds=settings.PORTAL_INVITATION_DAYS * 86400, state=AccountState.INVITED
    )
    if user is None:
        return _link_invalid(request, "invite")
    form = NewPasswordForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        account_services.account_invitation_accept(
            user=user, password=form.cleaned_data["new_password"], request=request
        )
        auth_login(request, user, backend=BACKEND)
        session_start(request)
        # A council staff account sets up its authenticator in the staff admin, where it works (wagtail-2fa).
        return redirect("wagtailadmin_home" if user.organisation_id is None else "portal:two_factor_setup")
    return render(request, "portal_pages/invitation.html", {"form": form, "account": user})


# Forgotten password


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    return _emailed_link_request(
        request,
        lambda email: address_request_queue("password_reset_request", email=email, ip_address=client_ip(request)),
        template="password_reset",
        limit="reset",
        session_key="portal_reset_email",
        done="portal:password_reset_sent",
    )


@method_decorator(never_cache, name="dispatch")
class AdminPasswordResetView(WagtailPasswordResetView):
    """Wagtail's admin password reset on the portal's limiter (one count per IP address and per email address,
    shared with the portal's own reset, so the two doors together send no address more than
    PORTAL_ACCOUNT_REQUESTS_PER_HOUR), its look-up and email run by a task as the portal's are."""

    def form_valid(self, form):
        if _asked_too_often(self.request, form, "reset"):
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        # Not Django's form.save() here, which looks the address up and emails in the request: its time told a staff
        # address from any other.
        address_request_queue(
            "admin_password_reset_request", email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


class AdminPasswordResetConfirmView(WagtailPasswordResetConfirmView):
    """Wagtail's "set a new password" of the admin's reset link, followed as the portal's is: audited, the lockout
    cleared and the account told by email (it changed the password and said nothing)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_resets.password_reset_recorded(user=form.user, request=self.request)
        return response


def password_reset_sent(request):
    return render(
        request,
        "portal_pages/password_reset_sent.html",
        {"email": request.session.get("portal_reset_email"), "minutes": settings.PORTAL_PASSWORD_RESET_MINUTES},
    )


@sensitive_post_parameters("new_password")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, token):
    max_age = settings.PORTAL_PASSWORD_RESET_MINUTES * 60
    user = _link_account(token, purpose="reset", max_age_seconds=max_age, state=AccountState.ACTIVE)
    if user is None or not user.is_active:
        return _link_invalid(request, "reset")
    form = NewPasswordForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        password_resets.password_reset_complete(user=user, password=form.cleaned_data["new_password"], request=request)
        auth_logout(request)
        messages.success(
            request, "Your password has been changed. Sign in with it and a code from your authenticator app."
        )
        return redirect("portal:sign_in")
    return render(request, "portal_pages/password_reset_confirm.html", {"form": form})
