from django.core import mail

from portal_pages.models import InboxMessage
from portal_pages.services.inbox import inbox_message_send
from tests.factories.accounts import UserFactory


def test_a_message_waits_in_the_inbox_and_the_email_only_says_so(db, home_page, django_capture_on_commit_callbacks):
    account = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        message = inbox_message_send(
            account=account, subject="New request: ERSA", body="About Amelia Zephyr", event_key="test:1"
        )

    assert InboxMessage.objects.get(account=account) == message
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [account.email]
    assert "Amelia" not in email.body and "Zephyr" not in email.body and "Amelia" not in email.subject
    assert "http://testserver/portal/" in email.body


def test_the_same_event_twice_gives_one_message_and_one_email(db, home_page, django_capture_on_commit_callbacks):
    account = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        first = inbox_message_send(account=account, subject="S", body="B", event_key="test:2")
        second = inbox_message_send(account=account, subject="S", body="B", event_key="test:2")

    assert first == second
    assert InboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1
