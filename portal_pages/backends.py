"""The model backend, refusing accounts that are waiting for confirmation or an invitation, or dormant; and the
address a sign-in is tried with, as accounts keep it."""

from django.contrib.auth.backends import ModelBackend

from portal_pages.models import AccountState


def sign_in_address(request, credentials=None):
    """The address a sign-in was tried with, as accounts are kept (no spaces, lower case: registration and invitations
    store it so): what the backend looks up, and what django-axes counts failures by (AXES_USERNAME_CALLABLE), so
    "SENCO@School.example" and "senco@school.example" are one account and one count."""
    data = credentials or getattr(request, "POST", None) or {}
    username = data.get("username")
    return username.strip().lower() if isinstance(username, str) else username


class PortalAuthBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if isinstance(username, str):
            username = sign_in_address(None, {"username": username})
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "account_state", None) == AccountState.ACTIVE
