"""A file reads as "Evidence sent with the form", and is listed to other accounts, only when a submitted version sent
it: its file answer was among the answers that version shows. A file answer the professional removed (with "Yes,
remove them" for a question a change hides) is withdrawn as "Remove this file" withdraws it, and was never sent; a file
kept for a question the answers hide is not sent either."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from advice_forms.models import Document, DocumentState, Submission
from advice_forms.services.requests import submission_accept, submission_return
from tests.advice_forms.test_conditions import when
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, TOTPDeviceFactory, verified_login
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    definition,
    pdf_bytes,
    question,
    section,
    submission_make,
)

pytestmark = pytest.mark.django_db

HAS_REPORT = when("all", ("has_report", "is", "yes"))


def _account(name):
    account = ProfessionalFactory(organisation=OrganisationFactory(name=name), display_name=name)
    TOTPDeviceFactory(user=account)
    return account


@pytest.fixture
def accounts():
    """Account A's form asks "Is there a therapy report?" and, only when there is, for the report on the same page and
    for a letter on a later page; account B's request opens the child's record in full."""
    child = ChildRecordFactory()
    has_report = question("yes_no", "Is there a therapy report?", key="has_report")
    report = question("file", "Therapy report", key="report", condition=HAS_REPORT)
    note = question("short_text", "Anything else", key="note", required=False)
    letter = question("file", "Covering letter", key="letter", required=False, condition=HAS_REPORT)
    about = section("About", [has_report, report], key="about")
    version = definition([about, section("Evidence", [note, letter], key="evidence")])
    a = advice_request(_account("Oakfield Primary School"), child=child, version=version)
    b = advice_request(_account("Kestrelford Social Care"), child=child, shows_child_name=True)
    return a, b


def _client(ar):
    return verified_login(Client(), ar.account)


def _step(ar, key):
    return f"/portal/requests/{ar.pk}/steps/{key}/"


def _post(client, ar, key, data, page=None):
    """Post a step as a browser does, with what its page said was shown and kept."""
    page = (page or client.get(_step(ar, key))).content.decode()
    state = {n: re.search(rf'name="{n}" value="([^"]*)"', page).group(1) for n in ("shown-at-render", "kept-at-render")}
    return client.post(_step(ar, key), {**data, **state})


def _pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _answered_with_files(ar):
    client = _client(ar)
    report = {"has_report": "yes", "report": _pdf("therapy.pdf"), "action": "continue"}
    assert _post(client, ar, "about", report).status_code == 302
    assert _post(client, ar, "evidence", {"letter": _pdf("letter.pdf"), "action": "continue"}).status_code == 302
    return client


def _no_report_any_more(client, ar, choice):
    """Answer "No": the page asks about the files the change hides; answer it with ``choice``."""
    asked = _post(client, ar, "about", {"has_report": "no", "action": "continue"})
    html = asked.content.decode()
    assert asked.status_code == 200 and re.search(r"no longer asked\. Remove your answers?\?", html)
    keys = re.search(r'name="clear-keys" value="([^"]*)"', html).group(1)
    done = _post(client, ar, "about", {"has_report": "no", "clear": choice, "clear-keys": keys}, page=asked)
    assert done.status_code == 302


def _submit(client, ar):
    check = client.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    assert client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key}).status_code == 302


def _staff_labels(caseworker, child):
    """{file name: the type the caseworker's documents list gives it}."""
    page = verified_login(Client(), caseworker).get(f"/admin/casework/child-records/{child.pk}/documents/")
    rows = [" ".join(row.get_text(" ", strip=True).split()) for row in BeautifulSoup(page.content, "html.parser")("tr")]
    found = (re.search(r"^(?:therapy|letter) (.*?) · (\S+\.pdf)", row) for row in rows)
    return {match.group(2): match.group(1) for match in found if match}


def test_file_answers_removed_with_yes_remove_them_are_withdrawn_and_never_read_as_sent(accounts, caseworker):
    """The reviewer's case: the answers were removed but their documents stayed current, so once the form was sent they
    read "Evidence sent with the form" and were listed to account B, though the submission sent no file."""
    a, b = accounts
    client = _answered_with_files(a)
    report, letter = (
        Document.objects.get(original_filename="therapy.pdf"),
        Document.objects.get(original_filename="letter.pdf"),
    )

    _no_report_any_more(client, a, "remove")
    _submit(client, a)

    submission = Submission.objects.get(request=a)
    assert submission.answers["about"].get("report") is None and "letter" not in submission.answers["evidence"]
    assert not submission.evidence.exists()
    for document in (report, letter):  # on this page, and on a later one ("clear elsewhere")
        document.refresh_from_db()
        assert document.state == DocumentState.WITHDRAWN
    html = _client(b).get(f"/portal/requests/{b.pk}/documents/").content.decode()
    assert "therapy.pdf" not in html and "letter.pdf" not in html and "Evidence sent with the form" not in html
    assert _client(b).get(f"/portal/requests/{b.pk}/documents/{report.pk}/").status_code == 404
    assert _staff_labels(caseworker, a.child) == {
        "therapy.pdf": "Uploaded with the form, removed before it was sent",
        "letter.pdf": "Uploaded with the form, removed before it was sent",
    }


def test_files_kept_for_questions_the_answers_hide_are_not_sent(accounts, caseworker):
    """ "Keep my answers" keeps the files in the draft, but the submitted version does not show them (neither its PDF
    nor the review does): they were read as sent by their times alone."""
    a, b = accounts
    client = _answered_with_files(a)
    _no_report_any_more(client, a, "keep")
    _submit(client, a)

    submission = Submission.objects.get(request=a)
    assert submission.answers["about"]["report"]["name"] == "therapy.pdf"  # kept, but not shown
    assert not submission.evidence.exists()
    assert set(Document.objects.filter(advice_request=a).values_list("state", flat=True)) == {DocumentState.CURRENT}
    html = _client(b).get(f"/portal/requests/{b.pk}/documents/").content.decode()
    assert "therapy.pdf" not in html and "letter.pdf" not in html
    kept = {"therapy.pdf": "Uploaded with the form, not sent", "letter.pdf": "Uploaded with the form, not sent"}
    assert _staff_labels(caseworker, a.child) == kept
    assert _own_labels(client, a) == kept
    submission_accept(advice_request=a, actor=caseworker)
    assert _staff_labels(caseworker, a.child) == kept and _own_labels(client, a) == kept


def test_a_file_kept_for_a_hidden_question_is_not_sent_yet_while_the_form_may_still_send_it(accounts, caseworker):
    """Kept in a draft, or in a returned form, the file may still go with the form once its question shows again."""
    a, b = accounts
    client = _answered_with_files(a)
    _no_report_any_more(client, a, "keep")
    not_yet = {
        "therapy.pdf": "Uploaded with the form, not sent yet",
        "letter.pdf": "Uploaded with the form, not sent yet",
    }
    assert _staff_labels(caseworker, a.child) == not_yet and _own_labels(client, a) == not_yet
    _submit(client, a)
    submission_return(advice_request=a, actor=caseworker, reason="Please add the therapy report.")
    assert _staff_labels(caseworker, a.child) == not_yet and _own_labels(client, a) == not_yet


def _own_labels(client, ar):
    """{file name: the type the professional's own documents list gives it}."""
    page = BeautifulSoup(client.get(f"/portal/requests/{ar.pk}/documents/").content, "html.parser")
    labels = {}
    for row in page.select("tbody tr"):
        name = re.search(r"\S+\.pdf", row.get_text(" "))
        if name:
            labels[name.group(0)] = row.select_one('td[data-label="Type"]').get_text(strip=True)
    return labels


def test_the_files_a_version_shows_are_sent_with_it(accounts, caseworker):
    a, b = accounts
    client = _answered_with_files(a)
    _submit(client, a)

    sent = Submission.objects.get(request=a).evidence.values_list("original_filename", flat=True)
    assert sorted(sent) == ["letter.pdf", "therapy.pdf"]
    html = _client(b).get(f"/portal/requests/{b.pk}/documents/").content.decode()
    assert "therapy.pdf" in html and "letter.pdf" in html
    assert _staff_labels(caseworker, a.child) == {
        "therapy.pdf": "Evidence sent with the form",
        "letter.pdf": "Evidence sent with the form",
    }


def test_a_submission_made_by_the_test_factory_sends_the_files_its_answers_show_as_submit_does(accounts, caseworker):
    """submission_make recorded no evidence, so a test's submitted file read "not sent" where a real submit's reads
    "sent"."""
    a, _b = accounts
    _answered_with_files(a)
    a.refresh_from_db()

    submission = submission_make(a, a.answers)

    assert sorted(submission.evidence.values_list("original_filename", flat=True)) == ["letter.pdf", "therapy.pdf"]
    assert _staff_labels(caseworker, a.child) == {
        "therapy.pdf": "Evidence sent with the form",
        "letter.pdf": "Evidence sent with the form",
    }


def test_a_file_the_accepted_form_went_without_is_not_promised_to_the_accounts_ticked(accounts, caseworker):
    """Made available to account B, a kept file of a hidden question read "(once the form is sent)" after the form was
    accepted without it: it never will be, and B never sees it."""
    a, b = accounts
    client = _answered_with_files(a)
    _no_report_any_more(client, a, "keep")
    _submit(client, a)
    submission_accept(advice_request=a, actor=caseworker)
    report = Document.objects.get(original_filename="therapy.pdf")
    report.available_to.add(b.account)
    staff = verified_login(Client(), caseworker)
    base = f"/admin/casework/child-records/{a.child.pk}/documents/"

    listing = " ".join(BeautifulSoup(staff.get(base).content, "html.parser").get_text(" ").split())
    page = " ".join(
        BeautifulSoup(staff.get(f"{base}{report.pk}/availability/").content, "html.parser").get_text().split()
    )

    assert "once the form is sent" not in listing and "once the form is sent" not in page
    assert "Kestrelford Social Care (the form was sent without this file: only its uploader may download it)" in listing
    assert "not sent with it (its question was hidden by other answers): no account but its uploader can" in page
    assert "therapy.pdf" not in _client(b).get(f"/portal/requests/{b.pk}/documents/").content.decode()
