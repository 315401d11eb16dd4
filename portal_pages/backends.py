"""The model backend, refusing accounts that are waiting for confirmation or an invitation, or dormant."""

from django.contrib.auth.backends import ModelBackend

from portal_pages.models import AccountState


class PortalAuthBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "account_state", None) == AccountState.ACTIVE
