"""Deleting accounts, for every door that does it (Wagtail's user screen and its bulk delete, the team accounts'
delete): each account deleted is audited in the same transaction, so the log keeps that it existed and who removed
it, with nothing personal about it."""

from django.db import transaction

from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import User


def account_deletion_data(user: User) -> dict:
    """What the audit entry keeps of a deleted account, beside its id (the entry's target): the domain of its work
    address (the organisation's, not the person's name) and the state it was in."""
    return {"email_domain": user.email.rpartition("@")[2].lower(), "account_state": user.account_state}


def accounts_delete(*, accounts, actor, request=None) -> int:
    """Delete ``accounts`` and write one DELETED audit entry for each (who, when, which account id), in one
    transaction: when a row still keeps one of them (``ProtectedError``) none is deleted and nothing is audited.
    Return how many were deleted."""
    accounts = list(accounts)
    with transaction.atomic():
        for account in accounts:
            audit_record(
                action=AccountEvent.DELETED,
                actor=actor,
                target=account,
                request=request,
                data=account_deletion_data(account),
            )
        User.objects.filter(pk__in=[account.pk for account in accounts]).delete()
    return len(accounts)
