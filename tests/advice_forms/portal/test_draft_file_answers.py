"""A file answer uploaded on a step of a form not sent yet is part of its account's draft: no other team account sees
it (list, count, download, request access) until the form is sent, whatever the request opens. Once sent, it is
evidence sent with the form, shown by the usual rules; its own account always sees it."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client

from advice_forms.models import Document
from advice_forms.selectors import documents_for_child
from advice_forms.services.documents import document_upload
from advice_forms.services.requests import submission_return
from tests.factories.accounts import (
    OrganisationFactory,
    ProfessionalFactory,
    TOTPDeviceFactory,
    verified_login,
)
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    definition,
    document_types,
    pdf_bytes,
    question,
    section,
)

QUESTION = "Latest educational psychology report"
TITLE = "ep-report"  # the file's own name, which titles it among the child's documents
SECOND = "Latest provision map"
SUPPORTING = "Support plan, autumn term"
# What B's documents list read before the rule on drafts, with the documents of the query-count test below.
QUERIES_OF_THE_DOCUMENTS_LIST = 20


def _account(name, display_name):
    account = ProfessionalFactory(organisation=OrganisationFactory(name=name), display_name=display_name)
    TOTPDeviceFactory(user=account)
    return account


@pytest.fixture
def accounts(db):
    """Account A has a form with a file question about the child; account B's request opens the child's record in
    full (so it lists what other accounts uploaded); account C's shows only the initials."""
    document_types()
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    questions = [question("file", QUESTION, key="report"), question("file", SECOND, key="plan", required=False)]
    version = definition([section("Evidence", questions, key="evidence")])
    a = advice_request(_account("Oakfield Primary School", "Oakfield SENCO"), child=child, version=version)
    b = advice_request(_account("Kestrelford Social Care", "Social care team"), child=child, shows_child_name=True)
    c = advice_request(_account("Kestrelford Health", "Health team"), child=child, shows_child_name=False)
    return a, b, c


def _client(ar):
    return verified_login(Client(), ar.account)


def _answer_with_file(ar, name="ep-report.pdf", key="report"):
    chosen = SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
    response = _client(ar).post(f"/portal/requests/{ar.pk}/steps/evidence/", {key: chosen, "action": "continue"})
    assert response.status_code == 302
    return Document.objects.get(original_filename=name)


def _send(ar):
    client = _client(ar)
    check = client.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    assert client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key}).status_code == 302
    ar.refresh_from_db()


def _documents_page(ar):
    response = _client(ar).get(f"/portal/requests/{ar.pk}/documents/")
    assert response.status_code == 200
    return response.content.decode()


def _supporting_upload(ar, title, name="plan.pdf"):
    uploaded = SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
    document_upload(advice_request=ar, account=ar.account, uploaded=uploaded, title=title, document_type="report")


def _documents_count(ar, rf):
    request = rf.get("/")
    request.user = ar.account
    extras = render_to_string("advice_forms/includes/request_extras.html", {"advice_request": ar, "request": request})
    return int(re.search(r"Documents</a> \((\d+)\)", extras).group(1))


def test_another_account_neither_sees_nor_downloads_a_file_answer_of_a_form_not_sent_yet(accounts, rf):
    a, b, c = accounts
    draft = _answer_with_file(a)
    # A supporting upload is no draft: it stays listed to B, whose request opens the record in full.
    _supporting_upload(a, SUPPORTING)

    html = _documents_page(b)
    assert TITLE not in html and "ep-report.pdf" not in html and "not sent yet" not in html
    assert SUPPORTING in html and "Oakfield SENCO" in html  # the supporting upload, by its uploader
    assert _documents_count(b, rf) == 1
    client = _client(b)
    assert client.get(f"/portal/requests/{b.pk}/documents/{draft.pk}/").status_code == 404
    assert client.post(f"/portal/requests/{b.pk}/documents/{draft.pk}/request-access/").status_code == 404
    assert _documents_count(c, rf) == 0
    assert draft in documents_for_child(a.child)  # the staff's list is as it was: every document of the child


def test_a_caseworker_making_an_unsent_file_answer_available_does_not_show_it_before_it_is_sent(accounts):
    a, b, c = accounts
    draft = _answer_with_file(a)
    draft.available_to.add(b.account, c.account)

    for ar in (b, c):
        assert TITLE not in _documents_page(ar)
        assert _client(ar).get(f"/portal/requests/{ar.pk}/documents/{draft.pk}/").status_code == 404

    _send(a)

    assert _client(b).get(f"/portal/requests/{b.pk}/documents/{draft.pk}/").status_code == 200
    # C sees the child by initials only: a file of the child's is never given to it, whatever was stored.
    assert _client(c).get(f"/portal/requests/{c.pk}/documents/{draft.pk}/").status_code == 404


def test_once_the_form_is_sent_its_file_is_evidence_shown_as_the_request_opens_the_record(accounts):
    a, b, c = accounts
    sent = _answer_with_file(a)
    assert TITLE not in _documents_page(b)
    assert _client(b).get(f"/portal/requests/{b.pk}/documents/{sent.pk}/").status_code == 404

    _send(a)

    html = _documents_page(b)
    assert TITLE in html and "ep-report.pdf" in html and "Evidence sent with the form" in html
    # Not made available to B: listed with a way to ask for it, as any other account's upload.
    page = _client(b).get(f"/portal/requests/{b.pk}/documents/{sent.pk}/")
    assert page.status_code == 200 and "Request access" in page.content.decode()
    # The initials-only request lists no other account's upload.
    assert TITLE not in _documents_page(c)
    assert _client(c).get(f"/portal/requests/{c.pk}/documents/{sent.pk}/").status_code == 404


def test_a_new_file_answer_after_the_form_is_returned_is_a_draft_again_until_sent_again(accounts, caseworker):
    a, b, c = accounts
    first = _answer_with_file(a, "first.pdf")
    _send(a)
    submission_return(advice_request=a, actor=caseworker, reason="Please add the newer report.")
    a.refresh_from_db()

    second = _answer_with_file(a, "second.pdf", key="plan")

    html = _documents_page(b)
    assert "second.pdf" not in html
    assert _client(b).get(f"/portal/requests/{b.pk}/documents/{second.pk}/").status_code == 404
    assert _client(b).get(f"/portal/requests/{b.pk}/documents/{first.pk}/").status_code == 200
    _send(a)
    assert "second.pdf" in _documents_page(b)


def test_a_returned_forms_new_file_reads_as_not_sent_and_withdrawing_it_removes_it_from_the_form(accounts, caseworker):
    """The list put "Added after submission" beside "Uploaded with the form, not sent yet", and its Withdraw page
    spoke of a document withdrawn from the record: the file is part of the form, and withdrawing it takes it out
    of the form as "Remove this file" does."""
    a, b, c = accounts
    _answer_with_file(a, "first.pdf")
    _send(a)
    submission_return(advice_request=a, actor=caseworker, reason="Please add the provision map.")
    a.refresh_from_db()
    second = _answer_with_file(a, "second.pdf", key="plan")
    client = _client(a)

    rows = [" ".join(row.get_text(" ", strip=True).split()) for row in _rows(_documents_page(a))]
    (row,) = [row for row in rows if "second.pdf" in row]
    withdraw = client.get(f"/portal/requests/{a.pk}/documents/{second.pk}/withdraw/").content.decode()
    done = client.post(f"/portal/requests/{a.pk}/documents/{second.pk}/withdraw/", follow=True).content.decode()

    assert "Uploaded with the form, not sent yet" in row and "Added after submission" not in row
    assert "removed from your form" in withdraw and "keeps a note" not in withdraw
    assert "“second” has been removed from your form." in done
    a.refresh_from_db()
    assert "plan" not in a.answers["evidence"] and "report" in a.answers["evidence"]


def _rows(html):
    return BeautifulSoup(html, "html.parser").select("tbody tr")


def test_the_caseworkers_list_tags_no_unsent_file_of_a_returned_form_as_added_after_submission(accounts, caseworker):
    """The caseworker's list put "Added after submission" beside "Uploaded with the form, not sent yet" (the portal's
    list already left it out): the file is part of the form, not a supporting document added to the record."""
    a, b, c = accounts
    _answer_with_file(a, "first.pdf")
    _send(a)
    submission_return(advice_request=a, actor=caseworker, reason="Please add the provision map.")
    a.refresh_from_db()
    _answer_with_file(a, "second.pdf", key="plan")
    _supporting_upload(a, "Annual review", name="review.pdf")

    page = verified_login(Client(), caseworker).get(f"/admin/casework/child-records/{a.child.pk}/documents/")
    rows = [" ".join(row.get_text(" ", strip=True).split()) for row in _rows(page.content)]
    (second,) = [row for row in rows if " · second.pdf · " in row]  # the list's row, not the history's
    (review,) = [row for row in rows if " · review.pdf · " in row]

    assert "Uploaded with the form, not sent yet" in second and "Added after submission" not in second
    assert "Added after submission" in review


def test_an_account_sees_and_downloads_its_own_file_answers_before_sending_and_no_other_does(accounts, rf):
    a, b, c = accounts
    draft = _answer_with_file(a)
    # Through another request of its own about the same child too: the draft is the account's.
    other = advice_request(a.account, child=a.child)

    for ar in (a, other):
        html = _documents_page(ar)
        assert TITLE in html and "Uploaded with the form, not sent yet" in html and "Your team" in html
        assert _documents_count(ar, rf) == 1
        response = _client(ar).get(f"/portal/requests/{ar.pk}/documents/{draft.pk}/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # While the account next to it on the child does not.
    assert TITLE not in _documents_page(b) and _documents_count(b, rf) == 0


def test_the_documents_list_reads_as_few_queries_with_other_accounts_drafts(accounts, django_assert_max_num_queries):
    a, b, c = accounts
    for n, key in enumerate(("report", "plan")):
        _answer_with_file(a, f"draft-{n}.pdf", key=key)
    for n in range(3):
        _supporting_upload(b, f"Own {n}", f"own-{n}.pdf")
    client = _client(b)
    client.get(f"/portal/requests/{b.pk}/documents/")  # the session and site settings, cached as in use

    with django_assert_max_num_queries(QUERIES_OF_THE_DOCUMENTS_LIST):
        html = client.get(f"/portal/requests/{b.pk}/documents/").content.decode()

    assert "Own 2" in html and "draft-" not in html


def test_a_file_answer_is_titled_by_its_file_name_for_every_reader_not_by_the_question(accounts, caseworker):
    """A question's label is written to the account filling the form ("Your full report"): as a document's title it
    read, to another account and to the caseworker, as the reader's own. The file's own name says what it is."""
    a, b, c = accounts
    version = definition(
        [section("Needs by area", [question("file", "Your full report", key="report")], key="evidence")]
    )
    eps = advice_request(_account("Kestrelford EPS", "Educational Psychology Service"), child=a.child, version=version)
    filed = _answer_with_file(eps, "Full EP report, autumn.pdf")
    _send(eps)

    assert filed.title == "Full EP report, autumn"
    html = _documents_page(b)
    assert "Your full report" not in html
    (row,) = [row for row in _rows(html) if "Educational Psychology Service" in row.get_text()]
    assert row.select_one("td").get_text(" ", strip=True).startswith("Full EP report, autumn ")
    own = _documents_page(eps)
    assert "Your full report" not in own and "Full EP report, autumn" in own
    admin = verified_login(Client(), caseworker).get(f"/admin/casework/child-records/{a.child.pk}/documents/")
    text = admin.content.decode()
    assert "Your full report" not in text and "Full EP report, autumn" in text
