"""A council staff account added by a superuser (Settings -> Users) chooses its own password through an emailed link,
as an invited team account does: no one else ever knows it. It sets up its authenticator at its first sign-in to the
staff admin (wagtail-2fa)."""

from django.db import transaction

from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, User
from portal_pages.services.accounts import account_invitation_send
from portal_pages.services.moves import account_state_set


def staff_account_invite(*, user: User, invited_by: User, request=None) -> User:
    """Save the new staff account ``user`` (unsaved, from the add form) as invited, without a password, and email it
    the link to choose one. It is staff (``is_staff``), as the demo's are: the sign-in doors, the portal's gate and
    the code step tell staff from team accounts by that, so without it the account would be let into the portal as
    a team account with no organisation and asked for its code at the portal's door."""
    with transaction.atomic():
        user.email = User.objects.normalize_email(user.email).lower()
        user.is_staff = True
        user.set_unusable_password()
        account_state_set(user, AccountState.INVITED)
        user.save()
        audit_record(
            action=AccountEvent.INVITED, actor=invited_by, target=user, to_state=user.account_state, request=request
        )
    account_invitation_send(user=user)
    return user
