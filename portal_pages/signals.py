"""Audit entries for sign-in events raised by Django, django-axes and the admin's code step and device set-up
(cms.wagtail_2fa_compat) rather than by our views; and, at every sign-in, typing kept at a time-out for another
account thrown away (portal_pages.kept_typing)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from cms.logs import sign_in_accepted_log, sign_in_refused_log
from cms.services import audit_record
from cms.wagtail_2fa_compat import admin_code_refused, admin_device_added, admin_signed_in
from portal_pages.backends import account_for_address
from portal_pages.events import AccountEvent
from portal_pages.kept_typing import typing_forget_others
from portal_pages.services.devices import code_accepted_log, code_refused, device_audit


def _account(username):
    return account_for_address(username) if isinstance(username, str) else None


def _pk(account):
    return account.pk if account is not None else None


@receiver(user_logged_in)
def forget_typing_kept_for_others(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session") and user is not None:
        typing_forget_others(request, user)


@receiver(user_logged_in)
def log_password_accepted(sender, request=None, user=None, **kwargs):
    """The portal's and the admin's password step (and an accepted invitation's new password): the code step follows.
    A refused one writes its warning line (audit_failed_sign_in)."""
    sign_in_accepted_log("Sign-in: password accepted", request=request, account_id=_pk(user))


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The attempted address is kept only as the target when it is an account; the password never. An attempt refused
    # while locked out was never checked (the password may be right): audit_locked_out logs it, and the lock-out's
    # one entry stands for it.
    if getattr(request, "refused_while_locked_out", False):
        return
    refused = getattr(request, "sign_in_refused_account", None)  # the right password (portal_pages.backends)
    account = refused or _account(credentials.get("username"))
    audit_record(action=AccountEvent.SIGN_IN_FAILED, target=account, request=request)
    if refused is not None:
        why = refused.cannot_sign_in_because
        sign_in_refused_log(f"Sign-in refused: right password, account {why}", request=request, account_id=refused.pk)
    else:
        sign_in_refused_log("Sign-in refused: wrong address or password", request=request, account_id=_pk(account))


@receiver(user_locked_out)
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """One audit entry per lock-out, at the attempt that caused it; django-axes signals again at every attempt it
    refuses while the lock-out lasts (portal_pages.backends.LockOutBackend), which each log a refusal only."""
    account = _account(username)
    if not getattr(request, "refused_while_locked_out", False):
        audit_record(action=AccountEvent.LOCKED_OUT, target=account, request=request)
    sign_in_refused_log("Sign-in locked out after repeated failures", request=request, account_id=_pk(account))


@receiver(admin_signed_in)
def audit_admin_sign_in(sender, user, device, request, **kwargs):
    device_audit(action=AccountEvent.SIGNED_IN, user=user, device=device, request=request, where="admin")
    code_accepted_log(user=user, device=device, request=request)


@receiver(admin_device_added)
def audit_admin_device_added(sender, user, device, request, **kwargs):
    """As the portal's set-up records its device (devices.device_confirm), marked as the admin's."""
    device_audit(action=AccountEvent.DEVICE_ADDED, user=user, device=device, request=request, where="admin")


@receiver(admin_code_refused)
def audit_admin_code_refused(sender, user, request, waiting=False, **kwargs):
    code_refused(user=user, request=request, waiting=waiting, where="admin")
