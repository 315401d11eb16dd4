"""The model backend, refusing accounts that are waiting for confirmation or an invitation, or dormant; and the
address a sign-in is tried with, as accounts keep it."""

from django.contrib.auth.backends import ModelBackend

from portal_pages.models import AccountState, User


def sign_in_address(request, credentials=None):
    """The address a sign-in was tried with, as accounts are kept (no spaces, lower case: registration and invitations
    store it so): what the backend looks up, and what django-axes counts failures by (AXES_USERNAME_CALLABLE), so
    "SENCO@School.example" and "senco@school.example" are one account and one count."""
    data = credentials or getattr(request, "POST", None) or {}
    username = data.get("username")
    return username.strip().lower() if isinstance(username, str) else username


class PortalAuthBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """As ModelBackend, with the address matched whatever its case: the one account whose address it is, as that
        account keeps it (Wagtail's own user screens keep a staff address as typed, "Jane.Smith@...")."""
        if isinstance(username, str):
            typed = sign_in_address(None, {"username": username})
            kept = list(User.objects.filter(email__iexact=typed).values_list("email", flat=True)[:2])
            username = kept[0] if len(kept) == 1 else typed
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "account_state", None) == AccountState.ACTIVE
