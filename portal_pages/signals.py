"""Audit entries for sign-in events raised by Django and django-axes rather than by our views."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from cms.services import audit_record
from portal_pages.audit import AccountEvent


def _account(username):
    from portal_pages.models import User

    return User.objects.filter(email__iexact=username or "").first()


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # The attempted address is kept only as the target when it is an account; the password never.
    account = _account(credentials.get("username"))
    audit_record(action=AccountEvent.SIGN_IN_FAILED, target=account, request=request)


@receiver(user_locked_out)
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(action=AccountEvent.LOCKED_OUT, target=_account(username), request=request)
