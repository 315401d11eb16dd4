"""Reads of the portal's doors: a team account's inbox (its messages, newest first, how many are unread, and what
each is about), for the inbox, the dashboard and the service navigation alike."""

from wagtail import hooks

from portal_pages.models import InboxMessage

# The apps that send inbox messages say what each is about, read when the list is shown and never kept in the
# message: each hook takes the account and a set of the messages' links and returns {link: what it is about, as
# HTML}, for the links it knows (advice_forms: the child of the request a link leads to, as that request names them).
INBOX_ABOUT_HOOK = "inbox_messages_about"


def inbox_messages_for_account(account):
    """The account's own inbox messages (the model's order: newest first); another account's are not there."""
    return InboxMessage.objects.filter(account=account)


def inbox_unread_count(account) -> int:
    """How many of the account's inbox messages it has not opened yet, one query."""
    return inbox_messages_for_account(account).filter(read_at__isnull=True).count()


def inbox_messages_about(account, messages) -> list:
    """``messages`` (the account's, one page of them) as a list, each with ``about``: what the INBOX_ABOUT_HOOK
    hooks say its link is about, or "". The hooks are asked once for the whole list, so the queries do not grow with
    the number of messages."""
    messages = list(messages)
    links = {message.link for message in messages if message.link}
    about = {}
    if links:
        for hook in hooks.get_hooks(INBOX_ABOUT_HOOK):
            about.update(hook(account, links))
    for message in messages:
        message.about = about.get(message.link, "")
    return messages
