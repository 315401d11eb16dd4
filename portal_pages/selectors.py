"""Reads of the portal's doors: a team account's inbox (its messages, newest first, and how many are unread), for
the inbox, the dashboard and the service navigation alike."""

from portal_pages.models import InboxMessage


def inbox_messages_for_account(account):
    """The account's own inbox messages (the model's order: newest first); another account's are not there."""
    return InboxMessage.objects.filter(account=account)


def inbox_unread_count(account) -> int:
    """How many of the account's inbox messages it has not opened yet, one query."""
    return inbox_messages_for_account(account).filter(read_at__isnull=True).count()
