"""A caseworker refuses a team account's request for access to a child's document, with a reason: the request leaves
the lists of those waiting, the refusal is audited (ids only), the account is told in its inbox (by an email naming
no child) and sees "Access not granted" beside the document, with a way to ask again."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from advice_forms.models import AccessRequest, AccessRequestState
from advice_forms.selectors import access_requests_waiting, casework_to_do
from advice_forms.services import access_requests as access_services
from advice_forms.services import documents as document_services
from cms.flash_messages import TAKES_FOCUS
from cms.formats import govuk_date
from cms.models import AuditEntry
from portal_pages.models import InboxMessage
from tests.factories.accounts import ProfessionalFactory, TOTPDeviceFactory, staff_in_group, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, document_types, report_upload
from tests.refusals import messages_taking_focus

REASON = "The report is about the family's health, which your service does not need for its advice"


@pytest.fixture
def asked(professional, home_page):
    """A therapy report uploaded by the school about Ariadne Quill, and a request for access to it from the
    educational psychology service, asked through its own request on the child."""
    document_types()
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    ar = advice_request(professional, child=child)
    document = report_upload(ar, title="Ariadne's therapy report")
    ep = ProfessionalFactory(display_name="Kestrelford EP Service", email="ep@kestrelford.example.org")
    TOTPDeviceFactory(user=ep)
    through = advice_request(ep, child=child)
    access = access_services.document_access_request(document=document, account=ep, advice_request=through)
    return access


def _refuse_url(access, query=""):
    url = reverse("casework_access_request_refuse", args=[access.document.child_id, access.document_id, access.pk])
    return f"{url}?{query}" if query else url


def test_a_caseworker_refuses_a_request_from_the_access_requests_list_with_a_reason(
    client, records_caseworker, asked, django_capture_on_commit_callbacks
):
    """The decision page had only Save and Cancel: saving with no box ticked said it was saved, yet the request stayed
    listed and counted, and the account was never told. Each waiting request has a Refuse, which asks why."""
    admin = verified_login(client, records_caseworker)
    listing = BeautifulSoup(admin.get("/admin/casework/access-requests/").content, "html.parser")
    decide = listing.select_one("#listing tbody a")["href"]
    decision = BeautifulSoup(admin.get(decide).content, "html.parser")
    refuse = decision.select_one(f"#asked-{asked.pk} a")
    assert " ".join(refuse.get_text().split()) == "Refuse Kestrelford EP Service’s request"
    assert refuse["href"] == _refuse_url(asked, decide.split("?", 1)[1])
    mail.outbox.clear()

    blank = admin.post(refuse["href"], {"reason": "  "})

    page = BeautifulSoup(blank.content, "html.parser")
    assert blank.status_code == 200 and page.title.get_text().startswith("Error: Refuse a request for access: child")
    assert "Ariadne" not in page.title.get_text()
    assert page.select_one("#reason-error").get_text() == "Enter why you are not giving them access"
    assert page.select_one("[role=alert] a").get_text() == "Enter why you are not giving them access"
    asked.refresh_from_db()
    assert asked.state == AccessRequestState.WAITING and asked.resolved_at is None
    assert not InboxMessage.objects.exists() and not mail.outbox
    assert not AuditEntry.objects.filter(action="document.access_refused").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(refuse["href"], {"reason": f"  {REASON}  "})

    assert response.status_code == 302 and response.url == "/admin/casework/access-requests/?p=1#listing"
    asked.refresh_from_db()
    assert (asked.state, asked.refused_reason) == (AccessRequestState.REFUSED, REASON)
    assert asked.resolved_at is not None
    assert "No one is waiting" in admin.get(response.url).content.decode()
    assert (
        casework_to_do(records_caseworker)["access"] == 0 and not access_requests_waiting(records_caseworker).exists()
    )
    entry = AuditEntry.objects.get(action="document.access_refused")
    assert (entry.actor, entry.target_id) == (records_caseworker, str(asked.document_id))
    assert entry.data == {"access_request": asked.pk, "account": asked.account_id}
    message = InboxMessage.objects.get(account=asked.account)
    assert "not allowed your team to download a document" in message.body and REASON in message.body
    assert message.link == f"/portal/requests/{asked.advice_request_id}/documents/"
    assert [email.to for email in mail.outbox] == [["ep@kestrelford.example.org"]]
    email = mail.outbox[0]
    assert "has not been made available" in email.subject
    child = asked.document.child
    details = [child.first_name, child.last_name, govuk_date(child.date_of_birth), "therapy report", "health"]
    for told in (email.subject, email.body, message.subject):
        assert not [detail for detail in details if detail in told], told
    assert "Access to a document refused" in admin.get(f"/admin/child_records/history/{child.pk}/").content.decode()


def test_the_portal_says_access_not_granted_and_the_account_asks_again(records_caseworker, asked):
    """Refused, the account still saw "Access requested" beside the document: it sees "Access not granted", and a
    button that asks again, which the caseworker sees waiting once more."""
    access_services.access_request_refuse(access=asked, by=records_caseworker, reason=REASON)
    ep = Client()
    verified_login(ep, asked.account)
    documents = f"/portal/requests/{asked.advice_request_id}/documents/"

    page = ep.get(documents).content.decode()
    assert "Access not granted" in page and "Access requested" not in page
    assert "Ask again" in page
    one = ep.get(f"{documents}{asked.document_id}/").content.decode()
    assert "did not grant your last request" in one

    ep.post(f"{documents}{asked.document_id}/request-access/")

    again = ep.get(documents).content.decode()
    assert "Access requested" in again and "Access not granted" not in again
    assert [a.state for a in AccessRequest.objects.order_by("pk")] == [
        AccessRequestState.REFUSED,
        AccessRequestState.WAITING,
    ]
    assert casework_to_do(records_caseworker)["access"] == 1


def test_a_request_from_an_account_seeing_the_child_by_initials_only_can_be_refused(client, records_caseworker, asked):
    """An older request from an account now shown the child by initials only could not be granted and stayed on the
    list for ever: the page says so beside it, and refusing it takes it off."""
    slt = ProfessionalFactory(display_name="Kestrelford SLT")
    initials = advice_request(slt, child=asked.document.child, shows_child_name=False)
    old = AccessRequest.objects.create(document=asked.document, account=slt, advice_request=initials)
    admin = verified_login(client, records_caseworker)
    url = reverse("casework_document_availability", args=[asked.document.child_id, asked.document_id])

    item = BeautifulSoup(admin.get(url).content, "html.parser").select_one(f"#asked-{old.pk}")
    response = admin.post(item.a["href"], {"reason": "Your request shows the child by initials only"})

    assert "initials only, so can be refused but not given it" in item.get_text()
    assert response.status_code == 302 and response.url == url
    old.refresh_from_db()
    assert old.state == AccessRequestState.REFUSED
    assert list(access_requests_waiting(records_caseworker)) == [asked]
    assert InboxMessage.objects.filter(account=slt).count() == 1


def test_a_request_answered_meanwhile_is_not_refused_and_nothing_is_stored(client, records_caseworker, asked):
    """Granted in another tab after the refusal page opened: the refusal stores nothing and says why."""
    admin = verified_login(client, records_caseworker)
    document_services.document_availability_set(
        document=asked.document, accounts=[asked.account], by=records_caseworker
    )

    response = admin.post(_refuse_url(asked), {"reason": REASON})

    asked.refresh_from_db()
    assert response.status_code == 302
    # In a message that takes the focus, as the refusal done does: said only in a status list, it went unheard.
    assert messages_taking_focus(response) == ["This request for access has already been answered"]
    assert (asked.state, asked.refused_reason) == (AccessRequestState.GRANTED, "")
    assert not AuditEntry.objects.filter(action="document.access_refused").exists()
    with pytest.raises(access_services.AccessRequestDecided):
        access_services.access_request_refuse(access=asked, by=records_caseworker, reason=REASON)
    with pytest.raises(ValueError):
        access_services.access_request_refuse(access=asked, by=records_caseworker, reason=" ")


def test_refusing_needs_the_change_permission_and_a_request_of_that_document(client, records_caseworker, asked):
    reader = staff_in_group("SEND reader")
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="advice_forms", codename="view_childrecord")
    )
    other = report_upload(asked.document.advice_request, title="Another report")
    wrong = reverse("casework_access_request_refuse", args=[other.child_id, other.pk, asked.pk])

    refused = verified_login(Client(), reader).post(_refuse_url(asked), {"reason": REASON})
    missing = verified_login(client, records_caseworker).post(wrong, {"reason": REASON})

    assert refused.status_code == 302 and refused.url == "/admin/" and missing.status_code == 404
    asked.refresh_from_db()
    assert asked.state == AccessRequestState.WAITING


def test_the_refusal_and_the_saved_decision_say_so_in_a_message_that_takes_focus(client, records_caseworker, asked):
    """Return and Accept on the review page say so in a message that takes focus; refusing a request for access, and
    saving who may download, said so in one that did not, so a screen reader user heard nothing on arrival."""
    admin = verified_login(client, records_caseworker)
    availability = reverse("casework_document_availability", args=[asked.document.child_id, asked.document_id])

    refused = admin.post(_refuse_url(asked), {"reason": REASON}, follow=True)
    saved = admin.post(availability, {"accounts": [], "complete": "yes"}, follow=True)

    for response, words in ((refused, "has been refused."), (saved, "has been saved.")):
        told = [message for message in response.context["messages"] if words in message.message]
        assert len(told) == 1 and TAKES_FOCUS in told[0].tags.split(), words
