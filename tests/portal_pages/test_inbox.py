import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice_forms.models import AdviceRequest, FormKind
from advice_forms.services.requests import advice_request_share
from portal_pages.models import AccountState, InboxMessage
from portal_pages.services.inbox import inbox_message_send
from tests.factories.accounts import ProfessionalFactory, UserFactory, staff_in_group
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    document_types,
    pdf_upload,
    request_page,
    small_form_version,
)


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


def _share(professional, version, first, last, **kwargs):
    return advice_request_share(
        child=ChildRecordFactory(first_name=first, last_name=last),
        form_version=version,
        account=professional,
        shared_by=staff_in_group("SEND caseworker"),
        **kwargs,
    )


def _inbox_rows(html):
    rows = BeautifulSoup(html, "html.parser").select("tbody tr")
    return [" ".join(row.find("td").get_text(" ", strip=True).split()) for row in rows]


def test_each_message_about_a_request_names_its_child_as_the_request_shows_them(
    verified_client, professional, small_form, django_capture_on_commit_callbacks
):
    appendix_b = small_form_version(title="Educational advice (Appendix B)", kind=FormKind.OTHER_ADVICE)
    with django_capture_on_commit_callbacks(execute=True):
        _share(professional, small_form, "Robin", "Marchwood")
        _share(professional, appendix_b, "Ada", "Quill")
        _share(professional, appendix_b, "Bo", "Fenwick")
        _share(professional, appendix_b, "Esme", "Pryce", shows_child_name=False)

    html = verified_client.get("/portal/inbox/").content.decode()

    subject = "New request: Educational advice (Appendix B)"
    assert _inbox_rows(html) == [
        f"Unread {subject} About E. P. (the child's initials)",
        f"Unread {subject} About Bo Fenwick",
        f"Unread {subject} About Ada Quill",
        f"Unread New request: {small_form.title} About Robin Marchwood",
    ]
    assert "Esme" not in html and "Pryce" not in html
    # The dashboard's latest messages say the same.
    dashboard = verified_client.get("/portal/").content.decode()
    assert "About E. P." in dashboard and "About Bo Fenwick" in dashboard and "Pryce" not in dashboard
    # The name is read from the request when the list is shown: the message keeps none outside its body, which
    # is shown only behind sign-in, and the emails that say a message is waiting name no child.
    for message in InboxMessage.objects.all():
        kept = " ".join((message.subject, message.link, message.link_text, message.event_key))
        assert not any(name in kept for name in ("Robin", "Ada", "Quill", "Fenwick", "Esme", "Pryce", "E. P."))
    emails = " ".join(f"{email.subject} {email.body}" for email in mail.outbox)
    assert len(mail.outbox) == 4
    assert not any(name in emails for name in ("Robin", "Ada", "Quill", "Fenwick", "Esme", "Pryce", "E. P."))


def test_a_message_names_the_child_as_the_request_shows_them_now(verified_client, professional, small_form):
    advice_request = _share(professional, small_form, "Ada", "Quill")
    AdviceRequest.objects.filter(pk=advice_request.pk).update(shows_child_name=False)
    assert _inbox_rows(verified_client.get("/portal/inbox/").content.decode()) == [
        f"Unread New request: {small_form.title} About A. Q. (the child's initials)"
    ]


def test_a_message_leading_elsewhere_or_to_another_accounts_request_names_no_child(
    verified_client, professional, small_form
):
    theirs = AdviceRequestFactory(
        account=ProfessionalFactory(), form_version=small_form, child=ChildRecordFactory(first_name="Zebedee")
    )
    InboxMessage.objects.create(
        account=professional, subject="Moved", body="x", event_key="t:1", link=request_page(theirs), link_text="Go"
    )
    InboxMessage.objects.create(account=professional, subject="Plain", body="x", event_key="t:2")
    InboxMessage.objects.create(
        account=professional, subject="Devices", body="x", event_key="t:3", link="/portal/two-factor/", link_text="Go"
    )
    html = verified_client.get("/portal/inbox/").content.decode()
    assert _inbox_rows(html) == ["Unread Devices", "Unread Plain", "Unread Moved"]
    assert "Zebedee" not in html


def test_the_inbox_list_costs_the_same_queries_for_one_message_as_for_twenty(verified_client, professional, small_form):
    def inbox_queries():
        with CaptureQueriesContext(connection) as queries:
            html = verified_client.get("/portal/inbox/").content.decode()
        return len(queries), html

    def message_about(n):
        child = ChildRecordFactory(first_name=f"Child{n:02d}", last_name="Quill")
        advice_request = AdviceRequestFactory(account=professional, form_version=small_form, child=child)
        InboxMessage.objects.create(
            account=professional, subject="New request", body="x", event_key=f"t:{n}", link=request_page(advice_request)
        )

    message_about(0)
    one, html = inbox_queries()
    assert "About Child00 Quill" in html
    for n in range(1, 20):
        message_about(n)
    twenty, html = inbox_queries()
    assert all(f"About Child{n:02d} Quill" in html for n in range(20))
    assert one == twenty


def test_a_head_request_for_a_message_does_not_mark_it_read(verified_client, professional):
    """A signed-in HEAD goes through as HEAD (cms/head_requests.py): the view that answers only GET refuses it."""
    message = inbox_message_send(account=professional, subject="S", body="B", event_key="test:head")

    response = verified_client.head(f"/portal/inbox/{message.pk}/")

    assert response.status_code == 405
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.parametrize("cannot_sign_in", [{"is_active": False}, {"account_state": AccountState.DORMANT}])
def test_an_account_that_cannot_sign_in_gets_the_message_but_no_email(
    db, home_page, django_capture_on_commit_callbacks, cannot_sign_in
):
    account = UserFactory(**cannot_sign_in)

    with django_capture_on_commit_callbacks(execute=True):
        inbox_message_send(account=account, subject="S", body="B", event_key="test:off")

    assert InboxMessage.objects.filter(account=account).count() == 1  # read if it can sign in again
    assert not mail.outbox


def _granted(account, asked_through, uploader_request):
    """The account asked for a document of the child through ``asked_through`` and the caseworker allowed it."""
    from advice_forms.models import AccessRequest
    from advice_forms.services import documents as document_services

    document_types()
    document = document_services.document_upload(
        advice_request=uploader_request,
        account=uploader_request.account,
        uploaded=pdf_upload(),
        title="Report",
        document_type="report",
    )
    access = AccessRequest.objects.create(document=document, account=account, advice_request=asked_through)
    document_services.access_granted_notify(access=access)
    return InboxMessage.objects.get(event_key=f"document-access-granted:{access.pk}")


def _about_on_its_page(client, message):
    page = BeautifulSoup(client.get(f"/portal/inbox/{message.pk}/").content, "html.parser")
    return [p.get_text(" ", strip=True) for p in page.select("main p") if p.get_text(strip=True).startswith("About ")]


def test_a_granted_document_message_and_each_messages_own_page_say_which_child_it_is_about(
    verified_client, professional, small_form
):
    """The "You can now download a document you asked for" message said nothing of the child (its link leads to a
    request's documents, not to the request's page), and no message's own page said what it was about: both now say
    it as the inbox says it of a new request."""
    child = ChildRecordFactory(first_name="Ada", last_name="Quill")
    own = AdviceRequestFactory(account=professional, form_version=small_form, child=child)
    uploader = AdviceRequestFactory(account=ProfessionalFactory(), form_version=small_form, child=child)
    granted = _granted(professional, own, uploader)
    shared = InboxMessage.objects.create(
        account=professional, subject="New request", body="x", event_key="t:new", link=request_page(own)
    )

    assert _inbox_rows(verified_client.get("/portal/inbox/").content.decode()) == [
        "Unread New request About Ada Quill",
        "Unread You can now download a document you asked for About Ada Quill",
    ]
    assert _about_on_its_page(verified_client, granted) == ["About Ada Quill"]
    assert _about_on_its_page(verified_client, shared) == ["About Ada Quill"]


def test_a_message_about_a_child_the_account_sees_by_initials_names_the_initials_alone_on_its_page(
    verified_client, professional, small_form
):
    """Granted (before such granting was refused) through a request that shows only the initials, with no request of
    the account's that shows the child in full, the message is about the initials and nothing more of the child."""
    child = ChildRecordFactory(first_name="Esme", last_name="Pryce")
    initials = AdviceRequestFactory(account=professional, form_version=small_form, child=child, shows_child_name=False)
    uploader = AdviceRequestFactory(account=ProfessionalFactory(), form_version=small_form, child=child)
    granted = _granted(professional, initials, uploader)

    listing = verified_client.get("/portal/inbox/").content.decode()
    page = verified_client.get(f"/portal/inbox/{granted.pk}/").content.decode()

    assert _inbox_rows(listing) == [
        "Unread You can now download a document you asked for About E. P. (the child's initials)"
    ]
    assert _about_on_its_page(verified_client, granted) == ["About E. P. (the child's initials)"]
    assert not [name for name in ("Esme", "Pryce") if name in listing or name in page]
