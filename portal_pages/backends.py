"""The model backend, refusing accounts that are waiting for confirmation or an invitation, dormant or switched off
(marking a refusal of the right password); django-axes's backend, marking the attempts it refuses during a lock-out;
and the address a sign-in is tried with, as accounts keep it."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend

from portal_pages.models import User


def address_key(address: str) -> str:
    """An address as sign-in matches and counts it: no spaces, lower case ("SENCO@School.example" and
    "senco@school.example" are one account and one count of failures)."""
    return address.strip().lower()


def account_for_address(address: str, **filters) -> User | None:
    """The one account whose address is ``address`` by ``address_key``, or None. The database's case-insensitive
    match is only a first sift: PostgreSQL's UPPER folds look-alikes ("ſenco@" with a long s, "ı" without a dot) onto
    plain letters, and such a variant would sign in to the account with its own, fresh count of failures."""
    typed = address_key(address or "")
    kept = [u for u in User.objects.filter(email__iexact=typed, **filters)[:5] if address_key(u.email) == typed]
    return kept[0] if len(kept) == 1 else None


def sign_in_address(request, credentials=None):
    """The address a sign-in was tried with, by ``address_key``: what django-axes counts failures by
    (AXES_USERNAME_CALLABLE)."""
    data = credentials or getattr(request, "POST", None) or {}
    username = data.get("username")
    return address_key(username) if isinstance(username, str) else username


class PortalAuthBackend(ModelBackend):
    refused = None  # the account refused at this sign-in although its password was right

    def authenticate(self, request, username=None, password=None, **kwargs):
        """As ModelBackend, with the address matched whatever its case (``account_for_address``): the one account
        whose address it is, as that account keeps it (Wagtail's own user screens keep a staff address as typed,
        "Jane.Smith@..."). An account that cannot sign in (``User.can_sign_in``) is refused; when its password was
        right, the request says so (``refused_with_right_password``): that is no guess at a password."""
        if isinstance(username, str):
            account = account_for_address(username)
            username = account.email if account is not None else address_key(username)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and self.refused is not None and request is not None:
            request.sign_in_refused_account = self.refused
        return user

    def user_can_authenticate(self, user):
        # ModelBackend asks this at a sign-in only once the password is right, and for each request of a session.
        allowed = super().user_can_authenticate(user) and user.can_sign_in
        if not allowed:
            self.refused = user
        return allowed


def refused_with_right_password(request, credentials=None) -> bool:
    """django-axes's AXES_WHITELIST_CALLABLE: a sign-in refused with the right password (an account switched off,
    dormant or not yet approved: ``PortalAuthBackend``) is no failed attempt and does not count toward a lock-out.
    django-axes also asks this before the password is checked, to refuse a locked-out address: it is false then."""
    return getattr(request, "sign_in_refused_account", None) is not None


class LockOutBackend(AxesStandaloneBackend):
    """django-axes's backend, which refuses every attempt while the address is locked out. django-axes signals the
    lock-out again at each of them; marking the request (``refused_while_locked_out``) lets the lock-out be audited
    once, at the attempt that caused it (portal_pages.signals)."""

    def authenticate(self, request, *args, **kwargs):
        try:
            return super().authenticate(request, *args, **kwargs)
        except AxesBackendPermissionDenied:
            request.refused_while_locked_out = True
            raise
