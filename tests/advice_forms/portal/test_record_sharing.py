"""What one team account writes about a child (outcomes, contacts, document titles) reaches another account only
where that account's request opens the child's record in full; each account always sees its own."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from pypdf import PdfReader

from advice_forms.services import documents as document_services
from advice_forms.services import involvement as involvement_services
from advice_forms.services import outcomes as outcome_services
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import ChildRecordFactory, advice_request, need_type, pdf_bytes, submission_make, team

A_OUTCOME = "Ariadne Quill will sign finished to an adult"
A_CONTACT = "Dr Perpetua Lindqvist"
A_DOCUMENT = "Ariadne Quill speech and language report"
B_OUTCOME = "Ariadne will join the lunchtime club"
B_CONTACT = "Marnie Oyelaran"
B_DOCUMENT = "Social care summary"


def _account(name):
    account = ProfessionalFactory(organisation=OrganisationFactory(name=name))
    TOTPDeviceFactory(user=account)
    return account


def _write(ar, *, outcome, contact, document):
    account = ar.account
    outcome_services.outcome_create(
        advice_request=ar, account=account, team=team(), need_type=need_type(), outcome=outcome
    )
    involvement_services.contact_create(
        advice_request=ar, account=account, data={"name": contact, "role": "Therapist", "team": team()}
    )
    document_services.document_upload(
        advice_request=ar,
        account=account,
        uploaded=SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf"),
        title=document,
        document_type="",
    )


@pytest.fixture
def shared(db):
    """Account A (full record) and account B share one child; each has written an outcome, a contact, a document."""
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    a = advice_request(_account("Oakfield Primary School"), child=child, shows_child_name=True)
    b = advice_request(_account("Kestrelford Social Care"), child=child, shows_child_name=False)
    _write(a, outcome=A_OUTCOME, contact=A_CONTACT, document=A_DOCUMENT)
    _write(b, outcome=B_OUTCOME, contact=B_CONTACT, document=B_DOCUMENT)
    return a, b


def _pages(ar):
    client = verified_login(Client(), ar.account)
    base = f"/portal/requests/{ar.pk}/"
    pages = {name: client.get(f"{base}{name}/") for name in ("outcomes", "contacts", "documents")}
    assert all(response.status_code == 200 for response in pages.values())
    return "\n".join(response.content.decode() for response in pages.values())


def test_an_initials_only_request_does_not_show_another_accounts_outcomes_contacts_or_document_titles(shared):
    a, b = shared

    html = _pages(b)

    assert A_OUTCOME not in html and A_CONTACT not in html and A_DOCUMENT not in html
    assert B_OUTCOME in html and B_CONTACT in html and B_DOCUMENT in html  # its own, always


def test_a_full_record_request_shows_what_other_accounts_wrote(shared):
    a, b = shared

    html = _pages(a)

    assert A_OUTCOME in html and A_CONTACT in html and A_DOCUMENT in html
    assert B_OUTCOME in html and B_CONTACT in html and B_DOCUMENT in html


def test_opening_the_record_in_full_shows_the_other_accounts_text(shared):
    a, b = shared
    b.shows_child_name = True
    b.save()

    html = _pages(b)

    assert A_OUTCOME in html and A_CONTACT in html and A_DOCUMENT in html


def test_another_accounts_document_is_not_found_through_an_initials_only_request(shared):
    from advice_forms.models import Document

    a, b = shared
    document = Document.objects.get(title=A_DOCUMENT)
    client = verified_login(Client(), b.account)

    assert client.get(f"/portal/requests/{b.pk}/documents/{document.pk}/").status_code == 404
    assert client.post(f"/portal/requests/{b.pk}/documents/{document.pk}/request-access/").status_code == 404


def test_a_document_made_available_to_an_initials_only_account_is_neither_listed_nor_downloadable(shared):
    """Made available before (or by a post changed by hand), another account's document named the child in full to
    an account that sees the child by initials only: it is given nothing of the child's but its own."""
    from advice_forms.models import Document

    a, b = shared
    document = Document.objects.get(title=A_DOCUMENT)
    document.available_to.add(b.account)

    client = verified_login(Client(), b.account)
    assert A_DOCUMENT not in client.get(f"/portal/requests/{b.pk}/documents/").content.decode()
    assert client.get(f"/portal/requests/{b.pk}/documents/{document.pk}/").status_code == 404


def test_the_request_page_counts_only_what_the_request_opens(shared, rf):
    a, b = shared

    def extras(ar):
        request = rf.get("/")
        request.user = ar.account
        html = render_to_string("advice_forms/includes/request_extras.html", {"advice_request": ar, "request": request})
        return " ".join(BeautifulSoup(html, "html.parser").text.split())

    record = "for this child's record"
    assert f"Outcomes {record} (1)" in extras(b) and f"Professional involvement {record} (1)" in extras(b)
    assert "Documents (1)" in extras(b)
    assert f"Outcomes {record} (2)" in extras(a) and f"Professional involvement {record} (2)" in extras(a)


def test_pdfs_of_an_initials_only_request_carry_only_its_own_outcomes(shared):
    from advice_forms.services.submissions import submission_pdf_render

    a, b = shared
    client = verified_login(Client(), b.account)

    def text(data):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)

    preview = client.get(f"/portal/requests/{b.pk}/preview.pdf")
    assert preview.status_code == 200
    submitted = text(submission_pdf_render(submission_make(b, {})))
    for pdf in (text(preview.content), submitted):
        assert "lunchtime club" in pdf and "finished" not in pdf


def test_making_one_document_available_opens_that_document_alone_to_that_account_alone(shared):
    from advice_forms.models import Document
    from advice_forms.selectors import documents_for_request

    a, b = shared
    _write(a, outcome="Second outcome", contact="Second contact", document="A's second report")
    third = advice_request(_account("Kestrelford Health"), child=a.child)
    fourth = advice_request(_account("Kestrelford CAMHS"), child=a.child)
    Document.objects.get(title="A's second report").available_to.add(third.account)

    def downloadable(ar):
        return sorted(document.title for document in documents_for_request(ar) if document.downloadable)

    assert downloadable(third) == ["A's second report"]
    assert downloadable(fourth) == []
    second = Document.objects.get(title="A's second report")
    client = verified_login(Client(), fourth.account)
    response = client.get(f"/portal/requests/{fourth.pk}/documents/{second.pk}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")  # asks for access


HIDDEN_DOCUMENTS = (
    "Your team sees this child by initials only, so the documents other teams added to the child’s record are not "
    "shown here, and your team can download only the documents it added."
)
HIDDEN_OUTCOMES = (
    "Outcomes your team wrote for this child, grouped by Type. Your team sees this child by initials only, so "
    "outcomes other teams wrote are not shown here."
)


def _lists(ar):
    client = verified_login(Client(), ar.account)
    return [client.get(f"/portal/requests/{ar.pk}/{name}/").content.decode() for name in ("documents", "outcomes")]


def test_an_initials_only_request_says_the_other_teams_documents_and_outcomes_are_not_shown(shared):
    """Its lists said "There are no documents on this record yet." and "There are no outcomes on this record yet."
    while the record had others' it does not show."""
    a, b = shared
    newcomer = advice_request(_account("Kestrelford Educational Psychology"), child=a.child, shows_child_name=False)

    documents, outcomes = _lists(newcomer)
    assert HIDDEN_DOCUMENTS in documents and "There are no documents on this record yet." not in documents
    assert HIDDEN_OUTCOMES in outcomes and "There are no outcomes on this record yet." not in outcomes
    assert A_DOCUMENT not in documents and A_OUTCOME not in outcomes and B_OUTCOME not in outcomes

    documents, outcomes = _lists(b)  # its own listed, the others' still not shown
    assert B_DOCUMENT in documents and HIDDEN_DOCUMENTS in documents
    assert B_OUTCOME in outcomes and HIDDEN_OUTCOMES in outcomes

    documents, outcomes = _lists(a)  # the whole record: nothing hidden
    assert HIDDEN_DOCUMENTS not in documents and HIDDEN_OUTCOMES not in outcomes


def test_an_initials_only_request_on_a_record_with_nothing_else_keeps_the_words_for_none(db):
    alone = advice_request(_account("Kestrelford Educational Psychology"), shows_child_name=False)

    documents, outcomes = _lists(alone)

    assert "There are no documents on this record yet." in documents and HIDDEN_DOCUMENTS not in documents
    assert "There are no outcomes on this record yet." in outcomes and HIDDEN_OUTCOMES not in outcomes


def test_an_initials_only_request_says_once_what_it_does_not_show(shared):
    """Documents said first that the team could download only the documents it added, then that the documents other
    teams added were not shown; Outcomes opened "Outcomes written for this child by every professional on the
    record", then said other teams' outcomes were not shown. Each now says it once, in its opening words."""
    _a, b = shared

    for page in _lists(b):
        words = " ".join(BeautifulSoup(page, "html.parser").select_one("main").get_text().split())
        assert words.count("by initials only") == 1, words
        assert words.count("can download only") <= 1 and "every professional on the record" not in words, words
