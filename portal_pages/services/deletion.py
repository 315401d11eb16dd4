"""Deleting accounts, for every door that does it (Wagtail's user screen and its bulk delete, the team accounts'
delete): each account deleted is audited in the same transaction, so the log keeps that it existed and who removed
it, with nothing personal about it; Wagtail's own history of the account (created, edited, deleted), which it labels
with the account's name, is labelled "Account <id>" instead; and the outbox keeps its emails' rows (whose keys stop
an event being emailed twice) without the address or the body, one not sent yet given up."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Value, prefetch_related_objects
from django.db.models.functions import Concat
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from cms.models import EmailNotification
from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.models import User


def account_deletion_data(user: User) -> dict:
    """What the audit entry keeps of a deleted account, beside its id (the entry's target): the state it was in, and
    its organisation's id with the domain of its address when that domain is one the organisation registered. Any
    other domain is left out: a staff account's own domain ("jo@josmith.me") names the person."""
    data = {"account_state": user.account_state}
    if user.organisation is not None:
        data["organisation_id"] = user.organisation_id
        if user.organisation.allows_email(user.email):
            data["email_domain"] = user.email.rpartition("@")[2].strip().lower()
    return data


def accounts_delete(*, accounts, actor, request=None) -> int:
    """Delete ``accounts``, write one DELETED audit entry and one Wagtail history entry ("wagtail.delete") for each
    (who, when, which account id) and take their names out of Wagtail's history of them, in one transaction: when a
    row still keeps one of them (``ProtectedError``) none is deleted and nothing is audited. Return how many were
    deleted."""
    accounts = list(accounts)
    prefetch_related_objects(accounts, "organisation")
    with transaction.atomic():
        for account in accounts:
            log(instance=account, action="wagtail.delete", user=actor)
            audit_record(
                action=AccountEvent.DELETED,
                actor=actor,
                target=account,
                request=request,
                data=account_deletion_data(account),
            )
        ids = [account.pk for account in accounts]
        User.objects.filter(pk__in=ids).delete()
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User, for_concrete_model=False),
            object_id__in=[str(pk) for pk in ids],
        ).update(label=Concat(Value("Account "), "object_id"))
        _emails_forget(accounts)
    return len(accounts)


def _emails_forget(accounts) -> None:
    addressed = Q(pk__in=[])
    for account in accounts:
        addressed |= Q(to__iexact=account.email)
    emails = EmailNotification.objects.filter(addressed)
    emails.filter(state=EmailNotification.State.PENDING).update(state=EmailNotification.State.GIVEN_UP)
    emails.update(to="", body="")
