"""A file question's "Remove this file": the file a professional chose by mistake is taken away from the step itself
(with or without JavaScript), its document withdrawn as on the documents page, and a required question asks again."""

import re

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from filer.models import File

from advice_forms.models import Document, DocumentState, Submission
from cms.models import AuditEntry
from tests.autosave import autosave_data
from tests.factories.advice_forms import advice_request, definition, pdf_bytes, question, section


def _evidence(professional, *, required=False):
    report = question("file", "Latest school report", key="report", required=required)
    age = question("short_text", "Reading age", key="age")
    version = definition([section("Evidence", [report, age], key="evidence")])
    ar = advice_request(professional, version=version)
    return ar, f"/portal/requests/{ar.pk}/steps/evidence/"


def _upload(client, step, name="wrong-child.pdf", **more):
    report = SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
    response = client.post(step, {"report": report, "age": "7 years", "action": "continue", **more})
    assert response.status_code == 302
    return Document.objects.get(original_filename=name)


def _submit(client, ar):
    check = client.get(f"/portal/requests/{ar.pk}/check-answers/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check).group(1)
    return client.post(f"/portal/requests/{ar.pk}/submit/", {"idempotency_key": key})


def test_remove_this_file_takes_the_upload_away_withdraws_its_document_and_keeps_the_rest_of_the_step(
    verified_client, professional
):
    ar, step = _evidence(professional)
    document = _upload(verified_client, step)
    page = BeautifulSoup(verified_client.get(step).content, "html.parser")
    button = page.find("button", attrs={"name": "row-action", "value": "remove:report"})
    assert button.get_text(" ", strip=True) == "Remove this file (wrong-child.pdf)"

    # The button posts the step, as pressing it does with JavaScript or without; the step comes back.
    response = verified_client.post(step, {"age": "8 years", "row-action": "remove:report"})

    assert response.status_code == 200
    html = response.content.decode()
    removed = (
        '<p class="govuk-body govuk-!-text-break-word" id="id_report-removed">You have removed wrong-child.pdf.</p>'
    )
    assert removed in html
    assert "You have uploaded" not in html and 'value="remove:report"' not in html
    file_input = BeautifulSoup(html, "html.parser").find("input", id="id_report")
    assert file_input.has_attr("autofocus") and file_input["aria-describedby"] == "id_report-hint id_report-removed"
    ar.refresh_from_db()
    assert ar.answers == {"evidence": {"age": "8 years"}}  # what was typed beside it is saved with it
    document.refresh_from_db()
    assert document.state == DocumentState.WITHDRAWN and document.state_changed_by == professional
    assert File.objects.filter(pk=document.file_id).exists()  # soft, as a withdrawal on the documents page
    withdrawn = AuditEntry.objects.get(action="document.withdrawn", target_id=str(document.pk))
    assert withdrawn.actor == professional
    documents = verified_client.get(reverse("portal:request_documents", args=[ar.pk])).content.decode()
    assert "Latest school report" not in documents
    assert "You have uploaded" not in verified_client.get(step).content.decode()

    # Not filed with the submission: neither its answer nor its document.
    assert _submit(verified_client, ar).status_code == 302
    assert Submission.objects.get(request=ar).answers["evidence"] == {"age": "8 years"}
    assert not Document.objects.filter(advice_request=ar, state=DocumentState.CURRENT, submission=None).exists()


def test_a_required_file_removed_is_asked_for_again_beside_its_field(verified_client, professional):
    ar, step = _evidence(professional, required=True)
    _upload(verified_client, step)
    ar.refresh_from_db()
    assert "evidence" in ar.completed_sections

    removed = verified_client.post(step, {"age": "7 years", "row-action": "remove:report"}).content.decode()

    # Removing is not a mistake: the step shows no error yet, but the section is no longer complete.
    assert "There is a problem" not in removed and "id_report-error" not in removed
    ar.refresh_from_db()
    assert ar.answers["evidence"] == {"age": "7 years"} and "evidence" not in ar.completed_sections
    again = verified_client.post(step, {"age": "7 years", "action": "continue"})
    soup = BeautifulSoup(again.content, "html.parser")
    assert "Select a PDF file to upload" in soup.select_one("#id_report-error").get_text()
    assert soup.select_one(".govuk-error-summary a[href='#id_report']").get_text(strip=True) == (
        "Select a PDF file to upload"
    )
    refused = _submit(verified_client, ar).content.decode()
    assert "“Latest school report” in “Evidence”: Select a PDF file to upload" in refused
    assert not Submission.objects.exists()


def test_autosave_never_removes_a_file_nor_brings_a_removed_one_back(verified_client, professional):
    ar, step = _evidence(professional)
    document = _upload(verified_client, step)
    autosave = reverse("portal:request_step_autosave", kwargs={"pk": ar.pk, "step": "evidence"})

    assert verified_client.post(autosave, autosave_data(ar, "evidence", {"age": "9 years"})).json()["saved"] is True
    ar.refresh_from_db()
    assert ar.answers["evidence"]["report"]["document"] == document.pk

    verified_client.post(step, {"age": "9 years", "row-action": "remove:report"})
    assert verified_client.post(autosave, autosave_data(ar, "evidence", {"age": "10 years"})).json()["saved"] is True
    ar.refresh_from_db()
    assert ar.answers["evidence"]["age"] == "10 years" and ar.answers["evidence"].get("report") is None


def test_an_autosave_post_naming_a_button_saves_the_typing_and_removes_nothing(verified_client, professional):
    """A hand-made autosave post with "row-action=remove:report" (what "Remove this file" sends, a submit button that
    autosave never sends) withdrew the account's own upload; autosave saves only what was typed."""
    ar, step = _evidence(professional)
    document = _upload(verified_client, step)
    autosave = reverse("portal:request_step_autosave", kwargs={"pk": ar.pk, "step": "evidence"})

    response = verified_client.post(
        autosave, autosave_data(ar, "evidence", {"age": "9 years", "row-action": "remove:report", "clear": "remove"})
    )

    assert response.status_code == 200 and response.json()["saved"] is True
    ar.refresh_from_db()
    assert ar.answers["evidence"] == {
        "age": "9 years",
        "report": {"document": document.pk, "name": "wrong-child.pdf", "size": document.size},
    }
    document.refresh_from_db()
    assert document.state == DocumentState.CURRENT
    assert not AuditEntry.objects.filter(action="document.withdrawn").exists()
    # The button with only what a browser's form carries besides the questions (the CSRF token, the step's
    # revision): the button is dropped and the file stays. The step has a text box, which a browser always posts, so
    # nothing typed arrived: refused, nothing saved (tests/advice_forms/portal/test_empty_autosave.py).
    form = BeautifulSoup(verified_client.get(step).content, "html.parser").select_one("form[method=post]")
    hidden = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden][name]")}
    assert {"csrfmiddlewaretoken", "step-revision"} <= set(hidden)
    only_a_button = verified_client.post(autosave, {**hidden, "row-action": "remove:report"})
    assert only_a_button.status_code == 400
    ar.refresh_from_db()
    document.refresh_from_db()
    assert ar.answers["evidence"]["report"]["document"] == document.pk and document.state == DocumentState.CURRENT
    assert not AuditEntry.objects.filter(action="document.withdrawn").exists()


def test_a_file_chosen_as_remove_is_pressed_is_not_filed_and_a_new_one_is_filed_later(verified_client, professional):
    ar, step = _evidence(professional)
    document = _upload(verified_client, step)
    chosen = SimpleUploadedFile("other.pdf", pdf_bytes(), content_type="application/pdf")

    verified_client.post(step, {"report": chosen, "age": "7 years", "row-action": "remove:report"})

    ar.refresh_from_db()
    assert "report" not in ar.answers["evidence"]
    assert not Document.objects.filter(advice_request=ar, state=DocumentState.CURRENT).exists()
    right = _upload(verified_client, step, name="right-child.pdf")
    ar.refresh_from_db()
    assert ar.answers["evidence"]["report"]["document"] == right.pk != document.pk
