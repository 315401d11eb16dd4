"""The professional side of the advice loop through real views: task list, wizard steps, autosave, check
answers, preview, submit, confirmation, submitted PDF, permissions."""

import re
from urllib.parse import urlencode

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advice_forms.models import AdviceRequest, FormKind, RequestState, Submission, SubmissionReturn
from cms.formats import govuk_time
from cms.models import AuditEntry
from portal_pages.models import InboxMessage
from tests.autosave import autosave_data
from tests.factories import advice_forms as factories
from tests.factories.accounts import ProfessionalFactory, staff_in_group, verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    small_form_sections,
    small_form_version,
    step_data,
)
from tests.otp import sign_in
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_request(professional, small_form):
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    return AdviceRequestFactory(account=professional, form_version=small_form, child=child)


def step_url(advice_request, step, query=""):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step}) + query


def url(name, advice_request, **kwargs):
    return reverse(f"portal:{name}", kwargs={"pk": advice_request.pk, **kwargs})


def downloaded(response):
    """The bytes of a download: the checked document view streams the file."""
    return b"".join(response.streaming_content)


def fill_all_steps(client, advice_request):
    data = step_data()
    for key in ("about", "health", "outcomes", "other"):
        response = client.post(step_url(advice_request, key), {**data[key], "action": "continue"})
        assert response.status_code == 302, response.content.decode()[:3000]
    return response


def submit(client, advice_request, key=None):
    page = client.get(url("request_check_answers", advice_request))
    key = key or re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    return client.post(url("request_submit", advice_request), {"idempotency_key": key}), key


def test_the_whole_professional_loop(verified_client, advice_request, django_capture_on_commit_callbacks):
    client = verified_client

    # The request page: a task list; a step hidden by a condition cannot start yet; the view is audited.
    page = client.get(url("request_detail", advice_request)).content.decode()
    # The count and each step's "section X of Y" are one rule: the task list's rows, whatever the answers show.
    assert "You have completed 0 of 4 sections." in page
    assert page.count("Not yet started") == 3 and "Cannot start yet" in page
    first = client.get(step_url(advice_request, "about")).content.decode()
    assert ": section 1 of 4</span>" in first
    assert "Preview as PDF" in page and "Check answers" in page
    assert "Robin Marchwood" in page
    viewed = AuditEntry.objects.get(action="child_record.viewed")
    assert viewed.actor == advice_request.account and viewed.target_id == str(advice_request.child.pk)
    assert viewed.data == {"advice_request": advice_request.pk, "by": "professional"}

    # Step 1 with a wrong date: saved anyway, shown back with the error summary and the same words inline.
    typed = {**step_data()["about"], "last_seen-day": "31", "last_seen-month": "2", "action": "continue"}
    response = client.post(step_url(advice_request, "about"), typed)
    assert response.status_code == 200
    html = response.content.decode()
    message = "The answer to “When did you last see the child?” must be a real date"
    assert "There is a problem" in html and html.count(message) == 2
    assert "weekly for speech therapy" in html
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.IN_PROGRESS
    assert advice_request.raw_steps["about"]["last_seen-day"] == ["31"]
    assert AuditEntry.objects.filter(action="advice_request.started", to_state="in_progress").count() == 1
    # Coming back later shows the same typed values; the error waits for a save or a "needs attention" link.
    again = client.get(step_url(advice_request, "about")).content.decode()
    assert "weekly for speech therapy" in again and 'value="31"' in again
    assert message not in again and "There is a problem" not in again
    attention = client.get(step_url(advice_request, "about", "?return=check&attention=1")).content.decode()
    assert "There is a problem" in attention and attention.count(message) == 2

    # Now every step, correctly: the conditional step shows because the answer is "yes".
    fill_all_steps(client, advice_request)
    advice_request.refresh_from_db()
    assert advice_request.raw_steps == {}
    assert advice_request.completed_sections == ["about", "health", "outcomes", "other"]
    page = client.get(url("request_detail", advice_request)).content.decode()
    assert "You have completed 4 of 4 sections." in page
    assert ": section 4 of 4</span>" in client.get(step_url(advice_request, "other")).content.decode()

    # Check answers: every answer in words, Change links that come back here.
    check = client.get(url("request_check_answers", advice_request)).content.decode()
    assert "Community paediatrician" in check and "3 November 2026" in check
    assert step_url(advice_request, "outcomes", "?return=check") in check

    with django_capture_on_commit_callbacks(execute=True):
        response, _key = submit(client, advice_request)
    submission = Submission.objects.get(request=advice_request)
    assert response.url == url("request_confirmation", advice_request, number=1)
    assert re.fullmatch(r"KBC-ADV-\d{4}-\d{6}", submission.reference)
    assert submission.number == 1 and submission.form_version == advice_request.form_version
    assert submission.submitted_by_name == "Oakfield Primary SENCO"
    assert submission.answers["health"] == {"diagnosed_by": "Community paediatrician"}
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    assert AuditEntry.objects.filter(action="advice_request.submitted", from_state="in_progress").exists()

    # The final PDF is filed privately in the child's folder, named as its document is, with the submitter's name.
    assert submission.pdf is not None and submission.pdf.is_public is False
    assert submission.pdf.name == f"Speech and language advice (V1) – {submission.reference}"
    assert submission.pdf.description.startswith("Submitted by Oakfield Primary SENCO on ")
    assert submission.pdf.folder.name == f"Child record {advice_request.child.pk}"
    filed = submission.pdf.file.read()
    text = pdf_text(filed)
    assert "Oakfield Primary SENCO" in text and submission.reference in text and "PREVIEW" not in text

    # Confirmation panel with the reference, and the PDF at once through a checked view.
    confirmation = client.get(response.url).content.decode()
    assert "govuk-panel--confirmation" in confirmation and submission.reference in confirmation
    assert "What happens next" in confirmation
    download = client.get(url("request_submission_pdf", advice_request, number=1), follow=True)
    assert download.status_code == 200 and downloaded(download) == filed
    assert download["Content-Disposition"] == f'attachment; filename="{submission.reference}.pdf"'
    assert "no-store" in download["Cache-Control"] and download["X-Content-Type-Options"] == "nosniff"

    # A receipt in the inbox; its email says only that a message is waiting.
    receipt = InboxMessage.objects.get(event_key=f"submission-received:{submission.pk}")
    assert submission.reference in receipt.body and receipt.account == advice_request.account
    assert mail.outbox and all("Robin" not in m.body and "Marchwood" not in m.body for m in mail.outbox)


def test_the_receipt_is_titled_with_the_forms_full_title(verified_client, professional):
    """The receipt of an Appendix B was titled "We have received your Appendix B" where its body, the confirmation
    and every other message say "Educational advice (Appendix B)"."""
    version = small_form_version(title="Educational advice (Appendix B)", kind=FormKind.APPENDIX_B)
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    fill_all_steps(verified_client, advice_request)
    response, _key = submit(verified_client, advice_request)

    receipt = InboxMessage.objects.get(event_key__startswith="submission-received:")
    assert receipt.subject == "We have received your Educational advice (Appendix B)"
    assert receipt.body.startswith("We have received your Educational advice (Appendix B) (V1)")
    assert "We have received your Educational advice (Appendix B)" in verified_client.get(response.url).content.decode()


def test_preview_pdf_is_marked_and_names_what_is_missing(verified_client, advice_request):
    data = step_data()
    verified_client.post(step_url(advice_request, "about"), {**data["about"], "action": "continue"})

    response = verified_client.get(url("request_preview_pdf", advice_request))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "PREVIEW" in text
    assert "Diagnosis: Who made the diagnosis?" in text and "Outcomes: Outcomes" in text
    # The same list on screen, with links to the steps.
    check = verified_client.get(url("request_check_answers", advice_request)).content.decode()
    assert f'href="{step_url(advice_request, "health", "?return=check&amp;attention=1")}#id_diagnosed_by"' in check
    assert "“Who made the diagnosis?” in “Diagnosis”: Not answered yet" in check


def test_submit_is_refused_while_something_required_is_missing(verified_client, advice_request):
    verified_client.post(step_url(advice_request, "about"), {**step_data()["about"], "action": "continue"})

    response, _key = submit(verified_client, advice_request)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "“Outcomes” in “Outcomes”: Not answered yet" in html
    assert not Submission.objects.exists()
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.IN_PROGRESS


def test_a_step_with_errors_stops_submission_until_corrected(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    verified_client.post(step_url(advice_request, "health"), {"diagnosed_by": "x" * 201, "action": "later"})

    response, _key = submit(verified_client, advice_request)

    html = response.content.decode()
    assert "“Who made the diagnosis?” in “Diagnosis”: The answer must be 200 characters or fewer" in html
    assert "x" * 201 in html  # what was typed shows on check answers, marked
    assert not Submission.objects.exists()


def test_a_double_submit_gives_one_submission(verified_client, advice_request, django_capture_on_commit_callbacks):
    fill_all_steps(verified_client, advice_request)
    with django_capture_on_commit_callbacks(execute=True):
        first, key = submit(verified_client, advice_request)
        second = verified_client.post(url("request_submit", advice_request), {"idempotency_key": key})
        # A fresh form from another tab, after the request was submitted: refused, pointed at the submission.
        third = verified_client.post(url("request_submit", advice_request), {"idempotency_key": "a" * 32})

    assert first.url == second.url == third.url == url("request_confirmation", advice_request, number=1)
    assert Submission.objects.count() == 1
    assert InboxMessage.objects.filter(event_key__startswith="submission-received:").count() == 1


def test_the_submission_pdf_task_is_safe_to_run_twice(verified_client, advice_request):
    from filer.models import File

    from advice_forms.tasks import submission_pdf_file

    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)  # on_commit not run: the task has not run yet
    submission = Submission.objects.get()
    assert submission.pdf is None

    # The professional downloads before the task ran: the PDF is filed on demand, once.
    download = verified_client.get(url("request_submission_pdf", advice_request, number=1), follow=True)
    content = downloaded(download)
    assert download.status_code == 200 and content.startswith(b"%PDF")
    first = submission_pdf_file(submission.pk)
    second = submission_pdf_file(submission.pk)
    assert first == second and File.objects.count() == 1
    submission.refresh_from_db()
    assert submission.pdf.file.read() == content


def test_another_accounts_request_is_not_found_at_every_url(client, verified_client, advice_request, small_form):
    other = AdviceRequestFactory(account=ProfessionalFactory(), form_version=small_form)
    submitted = Submission.objects.create(
        request=other,
        number=1,
        form_version=small_form,
        answers={},
        reference="KBC-ADV-2026-999999",
        submitted_by=other.account,
        submitted_by_name="Other",
        idempotency_key="b" * 32,
    )
    gets = [
        url("request_detail", other),
        step_url(other, "about"),
        url("request_check_answers", other),
        url("request_preview_pdf", other),
        url("request_confirmation", other, number=1),
        url("request_submission_pdf", other, number=1),
    ]
    posts = [
        (step_url(other, "about"), step_data()["about"]),
        (url("request_step_autosave", other, step="about"), step_data()["about"]),
        (url("request_submit", other), {"idempotency_key": "c" * 32}),
    ]
    for address in gets:
        assert verified_client.get(address).status_code == 404, address
    for address, data in posts:
        assert verified_client.post(address, data).status_code == 404, address
    other.refresh_from_db()
    assert other.answers == {} and other.state == RequestState.TO_DO
    assert list(Submission.objects.values_list("pk", "request_id", "answers")) == [(submitted.pk, other.pk, {})]

    verified_client.logout()
    for address in gets:
        response = verified_client.get(address)
        assert response.status_code == 302 and response.url.startswith("/portal/sign-in/"), address


def test_a_submitted_request_refuses_posts_to_its_steps(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    submit(verified_client, advice_request)
    before = AdviceRequest.objects.values().get(pk=advice_request.pk)

    changed = {**step_data()["about"], "involvement": "Changed after submitting", "action": "continue"}
    step = verified_client.post(step_url(advice_request, "about"), changed)
    autosave = verified_client.post(url("request_step_autosave", advice_request, step="about"), changed)

    # Refused, with what was typed shown again (tests/advice_forms/portal/test_submitted_elsewhere.py).
    assert step.status_code == 403 and "Changed after submitting" in step.content.decode()
    assert autosave.status_code == 403 and autosave.json()["saved"] is False
    assert AdviceRequest.objects.values().get(pk=advice_request.pk) == before


def test_session_expiry_mid_step_loses_nothing(client, verified_client, professional, advice_request):
    data = step_data()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for key in ("about", "health"):
            verified_client.post(step_url(advice_request, key), {**data[key], "action": "continue"})
        # Step 3, half done: a typed outcome without its Team.
        step3 = {**data["outcomes"], "outcomes-0-team": "", "outcomes-0-outcome": "Typed just before lunch"}
        verified_client.post(step_url(advice_request, "outcomes"), {**step3, "action": "continue"})

        traveller.shift(601)
        expired = verified_client.get(step_url(advice_request, "outcomes"))
        # Signing in again comes back to this step (tests/portal_pages/test_session_timeout.py).
        came_from = step_url(advice_request, "outcomes")
        assert expired.url == f"/portal/signed-out/?{urlencode({'reason': 'timeout', 'next': came_from})}"
        assert verified_client.get(step_url(advice_request, "outcomes")).url.startswith("/portal/sign-in/")

        sign_in(client, professional)
        html = client.get(step_url(advice_request, "outcomes")).content.decode()
        attention = client.get(step_url(advice_request, "outcomes", "?attention=1")).content.decode()
    assert "Typed just before lunch" in html and "Weekly small-group language sessions" in html
    assert "Select the team for outcome 1" not in html  # not before a save or a "needs attention" link
    assert "Select the team for outcome 1" in attention


def test_autosave_saves_like_a_post_and_keeps_the_session_alive(verified_client, advice_request):
    autosave = url("request_step_autosave", advice_request, step="about")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        traveller.shift(500)
        partial = verified_client.post(
            autosave, autosave_data(advice_request, "about", {"involvement": "Half a sentence"})
        )
        assert partial.status_code == 200
        body = partial.json()
        assert body["saved"] is True and body["valid"] is False
        assert body["message"] == f"Saved at {govuk_time(timezone.localtime())}"
        assert body["message"].endswith(("am", "pm", "midday", "midnight"))
        advice_request.refresh_from_db()
        assert advice_request.raw_steps["about"]["involvement"] == ["Half a sentence"]

        traveller.shift(500)  # 1,000 seconds since sign-in, but active: still signed in
        whole = verified_client.post(autosave, autosave_data(advice_request, "about", step_data()["about"]))
        assert whole.status_code == 200 and whole.json()["valid"] is True
    advice_request.refresh_from_db()
    assert advice_request.answers["about"]["last_seen"] == "2026-11-03" and "about" not in advice_request.raw_steps


def test_an_empty_post_to_a_step_or_its_autosave_keeps_the_saved_answers(verified_client, advice_request):
    """A post with nothing in it (a dropped body, a script) replaced an optional step's answers with blanks and
    hid a required step's behind an empty copy with errors, so check answers showed neither."""
    fill_all_steps(verified_client, advice_request)
    verified_client.post(step_url(advice_request, "other"), {"anything_else": "Kept words", "action": "continue"})
    advice_request.refresh_from_db()
    before = (advice_request.answers, advice_request.raw_steps, advice_request.completed_sections)

    shown = verified_client.post(step_url(advice_request, "about"), {}, follow=True).content.decode()
    verified_client.post(step_url(advice_request, "other"), {})
    autosaved = verified_client.post(url("request_step_autosave", advice_request, step="other"), {})

    advice_request.refresh_from_db()
    assert (advice_request.answers, advice_request.raw_steps, advice_request.completed_sections) == before
    assert "Nothing was received from the page, so nothing was saved." in shown
    assert "I have seen the child weekly for speech therapy since September." in shown
    assert autosaved.status_code == 400 and autosaved.json()["saved"] is False
    check = verified_client.get(url("request_check_answers", advice_request)).content.decode()
    assert "I have seen the child weekly for speech therapy since September." in check and "Kept words" in check


def test_conditional_steps_are_skipped_and_cannot_be_opened(verified_client, advice_request):
    no = {**step_data()["about"], "diagnosis": "no", "action": "continue"}
    response = verified_client.post(step_url(advice_request, "about"), no)
    assert response.url == step_url(advice_request, "outcomes")

    hidden = verified_client.get(step_url(advice_request, "health"), follow=True)
    assert hidden.redirect_chain[-1][0] == url("request_detail", advice_request)
    assert "“Diagnosis” is not needed: it is only needed when your answer to" in hidden.content.decode()
    assert verified_client.get(step_url(advice_request, "nonsense")).status_code == 404


def test_change_links_return_to_check_answers_and_back_saves_first(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    changed = {**step_data()["health"], "diagnosed_by": "Hospital consultant", "action": "continue"}
    response = verified_client.post(step_url(advice_request, "health", "?return=check"), changed)
    # Check answers opens at the section just changed, not at its top with every "Change" link to tab past again.
    assert response.url == url("request_check_answers", advice_request) + "#section-health"
    check = BeautifulSoup(verified_client.get(response.url).content, "html.parser")
    heading = check.find(id="section-health")
    assert (heading.name, heading.get_text(strip=True), heading["tabindex"]) == ("h2", "Diagnosis", "-1")

    back = {**step_data()["outcomes"], "outcomes-0-timescale": "By Easter", "action": "back"}
    response = verified_client.post(step_url(advice_request, "outcomes"), back)
    assert response.url == step_url(advice_request, "health")
    later = verified_client.post(step_url(advice_request, "other"), {"anything_else": "Ring me", "action": "later"})
    assert later.url == url("request_detail", advice_request)
    advice_request.refresh_from_db()
    assert advice_request.answers["health"]["diagnosed_by"] == "Hospital consultant"
    assert advice_request.answers["outcomes"]["outcomes"][0]["timescale"] == "By Easter"
    assert advice_request.answers["other"]["anything_else"] == "Ring me"


def test_a_change_link_names_its_question_as_it_is_written(verified_client, advice_request):
    fill_all_steps(verified_client, advice_request)
    html = verified_client.get(url("request_check_answers", advice_request)).content.decode()
    assert 'Change<span class="govuk-visually-hidden"> Does the child have a diagnosis?</span>' in html


def test_add_another_and_remove_rerender_the_step_and_keep_the_rows(verified_client, advice_request):
    data = {**step_data()["outcomes"], "row-action": "add:outcomes"}
    response = verified_client.post(step_url(advice_request, "outcomes"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="outcomes-rows" value="2"' in html and "There is a problem" not in html
    advice_request.refresh_from_db()
    assert advice_request.answers["outcomes"]["outcomes"][0]["outcome"] == "Asks for help using short sentences"
    # Saved with nothing missing: completed, as check answers reads it (the blank row shown is not an answer yet).
    assert "outcomes" in advice_request.completed_sections

    # Remove with a half-typed second row that has errors: kept as typed, minus the removed row.
    data = {
        **step_data()["outcomes"],
        "outcomes-rows": "2",
        "outcomes-1-outcome": "Second, without a Team",
        "row-action": "remove:outcomes:0",
    }
    verified_client.post(step_url(advice_request, "outcomes"), data)
    advice_request.refresh_from_db()
    raw = advice_request.raw_steps["outcomes"]
    assert raw["outcomes-rows"] == ["1"] and raw["outcomes-0-outcome"] == ["Second, without a Team"]
    shown = verified_client.get(step_url(advice_request, "outcomes")).content.decode()
    assert shown.count("Second, without a Team") == 1 and "Asks for help" not in shown


def test_publishing_version_2_leaves_version_1_answers_and_pdf_unchanged(
    verified_client, advice_request, small_form, django_capture_on_commit_callbacks
):
    from advice_forms.services.definitions import form_definition_publish

    fill_all_steps(verified_client, advice_request)
    with django_capture_on_commit_callbacks(execute=True):
        submit(verified_client, advice_request)
    submission = Submission.objects.get()
    answers, pdf_bytes = submission.answers, submission.pdf.file.read()

    definition = small_form.definition
    definition.sections = small_form_sections(extra_label=" (changed in version 2)")
    definition.version_label = "V2"
    version_2 = form_definition_publish(definition=definition)

    assert version_2.number == 2
    submission = Submission.objects.get()
    assert submission.form_version == small_form and submission.answers == answers
    assert submission.pdf.file.read() == pdf_bytes
    download = verified_client.get(url("request_submission_pdf", advice_request, number=1), follow=True)
    assert downloaded(download) == pdf_bytes
    advice_request.refresh_from_db()
    assert advice_request.form_version == small_form


def test_resubmission_after_a_return_creates_version_2_and_keeps_version_1(
    verified_client, advice_request, django_capture_on_commit_callbacks
):
    fill_all_steps(verified_client, advice_request)
    with django_capture_on_commit_callbacks(execute=True):
        submit(verified_client, advice_request)
    first = Submission.objects.get()
    first_pdf = first.pdf.file.read()

    # The staff side returns it (their service); here the state and the return's words are set directly.
    AdviceRequest.objects.filter(pk=advice_request.pk).update(state=RequestState.RETURNED)
    SubmissionReturn.objects.create(submission=first, reason="Please add the outcomes for home.")
    page = verified_client.get(url("request_detail", advice_request)).content.decode()
    assert "Returned for more information" in page and "Please add the outcomes for home." in page
    assert page.index("Please add the outcomes for home.") < page.index("<h1")

    changed = {**step_data()["other"], "anything_else": "Outcomes for home added", "action": "continue"}
    verified_client.post(step_url(advice_request, "other"), changed)
    with django_capture_on_commit_callbacks(execute=True):
        response, _key = submit(verified_client, advice_request)

    assert response.url == url("request_confirmation", advice_request, number=2)
    second = Submission.objects.get(number=2)
    first.refresh_from_db()
    assert second.reference != first.reference and second.pdf.pk != first.pdf.pk
    assert first.answers["other"] == {"anything_else": ""}
    assert second.answers["other"] == {"anything_else": "Outcomes for home added"}
    assert first.pdf.file.read() == first_pdf
    assert "Outcomes for home added" in pdf_text(second.pdf.file.read())
    assert AuditEntry.objects.filter(action="advice_request.submitted", from_state="returned").exists()
    page = verified_client.get(url("request_detail", advice_request)).content.decode()
    assert "Version 2<br>" in page and "Version 1<br>" in page and "Being reviewed" in page


def test_references_carry_the_form_kind(professional, django_capture_on_commit_callbacks):
    from advice_forms.models import FormKind
    from advice_forms.services.submissions import submission_reference

    ersa = small_form_version(title="Request for an EHC needs assessment", kind=FormKind.ERSA, version_label="NOV26")
    assert submission_reference(kind=ersa.kind, year=2026, seq=123).endswith("-ERSA-2026-000123")
    assert submission_reference(kind=FormKind.APPENDIX_B, year=2026, seq=7) == "KBC-APPB-2026-000007"
    assert submission_reference(kind=FormKind.OTHER_ADVICE, year=2027, seq=1) == "KBC-ADV-2027-000001"


def test_not_yet_started_and_in_progress_tags_differ_in_colour(verified_client, advice_request):
    advice_request.started_sections = ["about"]
    advice_request.save(update_fields=["started_sections"])

    page = verified_client.get(url("request_detail", advice_request)).content.decode()

    assert '<strong class="govuk-tag govuk-tag--yellow">In progress</strong>' in page
    assert '<strong class="govuk-tag">Not yet started</strong>' in page


def test_preview_and_check_answers_show_every_typed_value_and_list_only_what_needs_attention(
    verified_client, advice_request
):
    """A step saved with one bad value keeps the rest: the preview and check answers show all of it, "missing" names
    only the bad value (with its error) and what is truly unanswered, never an answered question."""
    typed = {**step_data()["about"], "last_seen-day": "31", "last_seen-month": "2", "action": "later"}
    verified_client.post(step_url(advice_request, "about"), typed)

    text = pdf_text(verified_client.get(url("request_preview_pdf", advice_request)).content)
    assert "I have seen the child weekly for speech therapy" in text
    assert "Does the child have a diagnosis?\nYes" in text
    assert "31/2/2026" in text
    assert "Needs attention: The answer to “When did you last see the child?” must be a real date" in " ".join(
        text.split()
    )
    flat = " ".join(text.split())
    missing = flat.split("You cannot submit until they are put right:")[1].split("Outcomes (not answered yet)")[0]
    assert "When did you last see the child? (the answer must be a real date)" in missing
    assert "Does the child have a diagnosis?" not in missing and "What is your involvement" not in missing
    assert "Who made the diagnosis? (not answered yet)" in missing  # shown because "Yes" was typed

    check = verified_client.get(url("request_check_answers", advice_request)).content.decode()
    assert "not saved as answers yet" not in check
    assert "weekly for speech therapy" in check and "31/2/2026" in check
    assert "“When did you last see the child?” in “About your involvement”: The answer must be a real date" in check
    assert "“Does the child have a diagnosis?”" not in check.split("advice-missing-list")[1].split("</ul>")[0]


def test_a_step_shows_no_errors_before_it_is_saved_and_last_saved_only_once_touched(verified_client, advice_request):
    fresh = verified_client.get(step_url(advice_request, "outcomes")).content.decode()
    assert "There is a problem" not in fresh and "Last saved at" not in fresh
    verified_client.post(step_url(advice_request, "about"), {"involvement": "Half", "action": "later"})
    untouched = verified_client.get(step_url(advice_request, "outcomes")).content.decode()
    assert "Last saved at" not in untouched
    returning = verified_client.get(step_url(advice_request, "about")).content.decode()
    assert "There is a problem" not in returning and "Half" in returning and "Last saved at" in returning


def test_a_percentage_answer_shows_its_percent_sign_on_check_answers_the_review_page_and_the_pdf(
    verified_client, professional, django_capture_on_commit_callbacks
):
    shares = factories.question(
        "table",
        "Lessons",
        key="lessons",
        item_name="lesson",
        columns=[factories.column("Time in class (%)", "number", key="share")],
    )
    version = factories.definition(
        [
            factories.section(
                "School",
                [
                    factories.question("number", "Attendance", hint="As a percentage of sessions", key="attendance"),
                    factories.question("number", "Class size", key="size"),
                    shares,
                ],
                key="school",
            )
        ]
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    typed = {"attendance": "95%", "size": "31", "lessons-rows": "1", "lessons-0-share": "40", "action": "continue"}
    assert verified_client.post(step_url(advice_request, "school"), typed).status_code == 302

    def shown(html):
        return [" ".join(cell.get_text().split()) for cell in BeautifulSoup(html, "html.parser").find_all(["dd", "td"])]

    check = shown(verified_client.get(url("request_check_answers", advice_request)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        submit(verified_client, advice_request)
    caseworker = verified_login(Client(), staff_in_group("SEND caseworker"))
    review = shown(caseworker.get(reverse("review_queue:review", args=[advice_request.pk])).content.decode())
    text = pdf_text(Submission.objects.get(request=advice_request).pdf.file.read())

    for cells in (check, review):
        assert "95%" in cells and "40%" in cells and "31" in cells
        assert "95" not in cells and "40" not in cells and "31%" not in cells
    assert "95%" in text and "40%" in text and "31%" not in text


def test_a_long_text_answer_at_its_limit_with_line_breaks_is_taken_as_the_character_count_counted_it(
    verified_client, professional
):
    """The box's character count counts a line break as one; the browser sends it as CR LF, which was counted as two
    and refused ('must be 20 characters or fewer') though the page said 0 characters remaining."""
    version = factories.definition(
        [
            factories.section(
                "Views", [factories.question("long_text", "Their views", key="views", max_length=20)], key="views"
            )
        ]
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version)

    typed = "Likes maths\r\nand art!"  # 20 characters as the page counts them, 21 as Django counted them
    response = verified_client.post(step_url(advice_request, "views"), {"views": typed, "action": "continue"})

    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.answers == {"views": {"views": "Likes maths\nand art!"}}


def test_the_first_submit_button_of_every_step_saves_and_continues(verified_client, professional):
    """Enter in a text box presses a form's first submit button. On a step with a table that was a row's "Remove", on
    one with the child's details "Report a change": Enter deleted the row just typed, or left the step."""
    table = factories.question(
        "table", "Attainment", key="attainment", item_name="subject", columns=[factories.column("Subject", key="s")]
    )
    version = factories.definition(
        [
            factories.section(
                "About the child",
                [
                    factories.question("child_details", "The child's details", key="child"),
                    factories.question("short_text", "Known as", key="known_as"),
                ],
                key="about",
            ),
            factories.section("Attainment", [table], key="attainment"),
            factories.section("Outcomes", [factories.question("record_outcomes", "Outcomes", key="o")], key="outcomes"),
        ],
        kind=FormKind.ERSA,
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    for step in ("about", "attainment", "outcomes"):
        html = verified_client.get(step_url(advice_request, step)).content.decode()
        form = BeautifulSoup(html, "html.parser").find("form", id="advice-step-form")
        first = form.find(lambda tag: tag.name == "button" and tag.get("type", "submit") == "submit")
        assert (first["name"], first["value"]) == ("action", "continue"), step
        assert first.get("tabindex") == "-1" and first.get("aria-hidden") == "true", step


def test_the_task_list_counts_every_row_it_lists_and_says_how_many_are_not_needed(verified_client, advice_request):
    """It said "0 of 3" over 4 rows, one "Not needed"; the count is now of the rows, the steps' "section X of Y" too."""
    about = {**step_data()["about"], "diagnosis": "no", "action": "continue"}
    assert verified_client.post(step_url(advice_request, "about"), about).status_code == 302
    page = verified_client.get(url("request_detail", advice_request)).content.decode()
    assert "Not needed" in page
    assert "You have completed 1 of 4 sections. 1 is not needed." in page
    outcomes = verified_client.get(step_url(advice_request, "outcomes")).content.decode()
    assert ": section 3 of 4</span>" in outcomes
