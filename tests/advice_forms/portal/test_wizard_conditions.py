"""Conditions in the wizard without JavaScript: every follow-up question is on the page under what it follows, saying
when to answer it, and answers a change would hide are removed only when the professional says so."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.models import AdviceRequest
from advice_forms.services.submissions import submission_pdf_render
from tests.advice_forms.test_conditions import INTERPRETER, conditions_sections, exclusions_sections, when
from tests.factories.advice_forms import (
    column,
    definition,
    question,
    request_to_do,
    section,
    submission_make,
)
from tests.pdfs import read_aloud_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_request(professional):
    version = definition(conditions_sections())
    return request_to_do(professional, version)


def step_url(advice_request, step):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step})


def drawn(page, name):
    return re.search(rf'name="{name}" value="([^"]*)"', page.content.decode()).group(1)


def post_step(client, advice_request, step, data, page=None):
    """Posts the step as a browser does, with what the page it was typed into said was shown and kept."""
    page = page or client.get(step_url(advice_request, step))
    state = {name: drawn(page, name) for name in ("shown-at-render", "kept-at-render")}
    return client.post(step_url(advice_request, step), {**data, **state})


def answers(advice_request):
    return AdviceRequest.objects.get(pk=advice_request.pk).answers


def _conditionals(html):
    return BeautifulSoup(html, "html.parser").select("[data-advice-reveal], [data-advice-condition]")


def test_without_javascript_every_follow_up_question_is_on_the_page_saying_when_to_answer_it(
    verified_client, advice_request
):
    """Closed follow-up questions were drawn with `hidden`, so without JavaScript they appeared only after a save,
    as errors about questions never seen."""
    html = verified_client.get(step_url(advice_request, "about")).content.decode()
    conditionals = _conditionals(html)
    assert len(conditionals) == 3  # under "Yes", under "Cognition and learning", and one with two rules
    assert not [container for container in conditionals if container.has_attr("hidden")]
    # The closed reveals are hidden only by GOV.UK's class, which applies only where GOV.UK Frontend's script runs.
    closed = [
        c
        for c in conditionals
        if {"govuk-radios__conditional--hidden", "govuk-checkboxes__conditional--hidden"} & set(c["class"])
    ]
    assert len(closed) == 2
    reveal = BeautifulSoup(html, "html.parser").find(id="conditional-id_support-0")
    assert reveal.find(class_="advice-no-js-only").get_text(strip=True) == "Answer if you chose “Yes”."
    assert reveal.find("label", string=re.compile("Describe the support"))
    condition = BeautifulSoup(html, "html.parser").select_one("[data-advice-condition]")
    assert condition.find(class_="advice-no-js-only").get_text(" ", strip=True) == (
        "Answer if your answer to “Areas of need” is one of “Communication”, “Social, emotional and mental health”"
        " or your answer to “Is support in place?” is not “Yes”."
    )
    # The note is part of the hint each box is described by, so a screen reader says it too.
    for container in (reveal, condition):
        box = container.find(["input", "textarea"], attrs={"aria-describedby": True})
        described_by = [container.find(id=part) for part in box["aria-describedby"].split()]
        assert any(part is not None and part.find(class_="advice-no-js-only") for part in described_by)

    advice_request.answers = {"about": {"support": "yes"}}
    advice_request.save()
    html = verified_client.get(step_url(advice_request, "about")).content.decode()
    assert '<div class="govuk-radios__conditional" id="conditional-id_support-0" data-advice-reveal>' in html


def test_a_save_that_opens_a_question_seen_on_the_page_goes_on(verified_client, advice_request):
    data = {"support": "yes", "support_details": "Small-group literacy, daily", "areas": ["cl"], "action": "continue"}
    response = post_step(verified_client, advice_request, "about", data)
    assert response.status_code == 302 and response.url == step_url(advice_request, "family")
    assert answers(advice_request)["about"]["support_details"] == "Small-group literacy, daily"


def test_hiding_answers_asks_first_then_removes_or_keeps_them(verified_client, advice_request):
    advice_request.answers = {
        "about": {"support": "yes", "support_details": "Weekly speech therapy", "areas": ["cl"], "cl_detail": ""},
        "family": {"interpreter": "none", "family_notes": "Grandmother helps"},
        "health": {"health_notes": "Asthma plan"},
    }
    advice_request.save()
    page = verified_client.get(step_url(advice_request, "about"))
    data = {"support": "no", "support_details": "Weekly speech therapy", "areas": ["cl"], "cl_detail": ""}
    data["other_detail"] = ""
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"}, page=page)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your answers mean these questions are no longer asked. Remove your answers?" in html
    listed = re.search(r'<ul class="govuk-list govuk-list--bullet">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [
        "Describe the support",
        "Family notes (in “Family”)",
        "Health notes (in “Health”)",
    ]
    # Nothing is lost yet: the new answer is saved and the hidden text kept.
    saved = answers(advice_request)
    assert saved["about"]["support"] == "no" and saved["about"]["support_details"] == "Weekly speech therapy"
    assert saved["health"] == {"health_notes": "Asthma plan"}

    keys = re.search(r'name="clear-keys" value="([^"]*)"', html).group(1)
    kept = post_step(
        verified_client, advice_request, "about", {**data, "clear": "keep", "clear-keys": keys}, page=response
    )
    assert kept.status_code == 302
    check = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    text = check.content.decode()
    assert "Not included, because your other answers mean this question is no longer asked" in text
    assert "Family notes" in text and "Grandmother helps" not in text
    pdf = verified_client.get(reverse("portal:request_preview_pdf", kwargs={"pk": advice_request.pk}))
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Not included: answers to “Describe the support”, which other answers mean is no longer asked." in pdf_text
    assert "Weekly speech therapy" not in pdf_text

    # Asked again only once the question has been shown again and hidden again; then removed everywhere.
    post_step(verified_client, advice_request, "about", {**data, "support": "yes", "action": "continue"})
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"})
    keys = re.search(r'name="clear-keys" value="([^"]*)"', response.content.decode()).group(1)
    removed = post_step(
        verified_client, advice_request, "about", {**data, "clear": "remove", "clear-keys": keys}, page=response
    )
    assert removed.status_code == 302
    saved = answers(advice_request)
    assert saved["about"]["support_details"] is None
    assert "family_notes" not in saved["family"] and "health_notes" not in saved["health"]
    assert saved["family"]["interpreter"] == "none"


def attendance_sections():
    """A follow-up number under "Yes" (a GOV.UK reveal) and a follow-up date with two rules (shown as a whole)."""
    return [
        section(
            "Attendance",
            [
                question("yes_no", "Does the child attend part time?", key="part_time"),
                question("number", "Hours a week", key="hours", condition=when("all", ("part_time", "is", "yes"))),
                question(
                    "yes_no", "Is there a diagnosis?", key="diagnosis", error_message="Select yes if there is one"
                ),
                question(
                    "date",
                    "Date of diagnosis",
                    key="diagnosed",
                    condition=when("all", ("diagnosis", "is", "yes"), ("part_time", "is", "yes")),
                ),
            ],
            key="attendance",
        )
    ]


@pytest.fixture
def typed_request(professional):
    return request_to_do(professional, definition(attendance_sections()))


def test_text_typed_into_a_follow_up_that_is_not_asked_and_cannot_be_kept_is_shown_with_its_error(
    verified_client, typed_request
):
    """Without JavaScript every follow-up is on the page. Typed into one whose answer closes it, text that is not
    a valid answer (hours in words, half a date) was dropped without a word and the step went on."""
    data = {"part_time": "no", "hours": "about ten", "diagnosis": "no", "diagnosed-day": "31", "action": "continue"}
    response = post_step(verified_client, typed_request, "attendance", data)
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    hours = page.find(id="id_hours")
    assert hours["value"] == "about ten"
    # Drawn on its own, not in the closed reveal GOV.UK's script would hide, and saying why it is asked.
    assert not hours.find_parent(attrs={"data-advice-reveal": True})
    hint = page.find(id="id_hours-hint").get_text(" ", strip=True)
    assert hint == (
        "You only need to answer this if your answer to “Does the child attend part time?” is “Yes”."
        " Correct your answer, or clear it."
    )
    assert "id_hours-hint" in hours["aria-describedby"] and "id_hours-error" in hours["aria-describedby"]
    date = page.find(id="id_diagnosed-day")
    assert date["value"] == "31" and not date.find_parent(attrs={"data-advice-condition": True})
    assert page.find(class_="govuk-error-summary").find("a", href="#id_hours")
    # What was typed waits in the draft; the section is not done.
    saved = AdviceRequest.objects.get(pk=typed_request.pk)
    assert saved.raw_steps["attendance"]["hours"] == ["about ten"]
    assert "attendance" not in saved.completed_sections

    # Come back to later, the step is drawn from what was posted (its errors wait for a save), the question again in
    # sight, saying why.
    page = BeautifulSoup(verified_client.get(step_url(typed_request, "attendance")).content.decode(), "html.parser")
    hours = page.find(id="id_hours")
    assert hours["value"] == "about ten" and not hours.find_parent(attrs={"data-advice-reveal": True})
    assert page.find(id="id_hours-hint").get_text(" ", strip=True).startswith("You only need to answer this if")

    # Cleared, the question is not asked and the step goes on.
    data.update({"hours": "", "diagnosed-day": ""})
    response = post_step(verified_client, typed_request, "attendance", data)
    assert response.status_code == 302
    assert answers(typed_request)["attendance"] == {
        "part_time": "no",
        "hours": None,
        "diagnosis": "no",
        "diagnosed": None,
    }


def test_an_empty_follow_up_that_is_not_asked_asks_nothing(verified_client, typed_request):
    data = {"part_time": "no", "hours": "", "diagnosis": "yes", "action": "continue"}
    response = post_step(verified_client, typed_request, "attendance", data)
    assert response.status_code == 302


def test_the_note_about_answers_kept_for_hidden_questions_is_in_the_preview_once_and_never_in_the_submitted_pdf(
    verified_client, professional
):
    """The note, meant for the professional checking a draft, was printed in the submitted PDF too (telling the
    council that text was typed but withheld), and after every run of a section: twice beside a guidance box."""
    sections = conditions_sections()
    guidance = question("guidance", "", heading="What to include", body="<p>Say what has been tried and how long.</p>")
    sections[0]["value"]["fields"].insert(0, guidance)
    advice_request = request_to_do(professional, definition(sections))
    kept = {"support": "no", "support_details": "Diagnosed by Dr Hollins", "areas": ["cl"], "cl_detail": "Phonics"}
    advice_request.answers = {"about": kept}
    advice_request.save()
    note = "Not included: answers to “Describe the support”, which other answers mean is no longer asked."

    preview = verified_client.get(reverse("portal:request_preview_pdf", kwargs={"pk": advice_request.pk}))
    preview_text = " ".join(read_aloud_text(preview.content).split())
    assert preview_text.count(note) == 1
    assert "Phonics" in preview_text and "Dr Hollins" not in preview_text

    submission = submission_make(advice_request, advice_request.answers)
    submitted_text = " ".join(read_aloud_text(submission_pdf_render(submission)).split())
    assert "Phonics" in submitted_text and "Say what has been tried" in submitted_text
    assert "Not included" not in submitted_text and "Describe the support" not in submitted_text
    assert "Dr Hollins" not in submitted_text


def _task(client, ar, key):
    """A task's (status, hint, whether its name links to the step) on the request page."""
    html = client.get(f"/portal/requests/{ar.pk}/").content.decode()
    item = BeautifulSoup(html, "html.parser").find(id=f"task-{key}-status").find_parent("li")
    hint = item.find(class_="govuk-task-list__hint")
    return (
        item.find(id=f"task-{key}-status").get_text(" ", strip=True),
        hint and hint.get_text(" ", strip=True),
        item.find("a", href=step_url(ar, key)) is not None,
    )


def test_a_section_the_answers_make_unnecessary_is_not_needed_not_cannot_start_yet(verified_client, professional):
    """After "No" to "Is there a second parent or carer we should contact?", the task list still said "Cannot start yet
    – This depends on an answer in another section" for "Second parent or carer", which a SENCO read as work owed."""
    from tests.factories.advice_forms import advice_request as make_request

    version = definition(
        [
            section(
                "Parents",
                [question("yes_no", "Is there a second parent or carer we should contact?", key="second")],
                key="parents",
            ),
            section(
                "Second parent or carer",
                [question("short_text", "Name", key="second_name"), question("yes_no", "Same address?", key="same")],
                key="second_parent",
                condition={"field_key": "second", "value": "yes"},
            ),
            section(
                "Second parent's address",
                [question("short_text", "Address", key="second_address")],
                key="second_address",
                condition={"field_key": "same", "value": "no"},
            ),
        ]
    )
    ar = make_request(professional, version=version)
    waiting = ("Cannot start yet", "This depends on an answer in another section.", False)
    assert _task(verified_client, ar, "second_parent") == waiting
    assert _task(verified_client, ar, "second_address") == waiting, "its question may yet be asked"

    verified_client.post(step_url(ar, "parents"), {"second": "no", "action": "continue"})
    not_needed = (
        "Not needed",
        "Only needed when your answer to “Is there a second parent or carer we should contact?” is “Yes”.",
        False,
    )
    assert _task(verified_client, ar, "second_parent") == not_needed
    assert _task(verified_client, ar, "second_address") == (
        "Not needed",
        "Only needed when your answer to “Same address?” is “No”.",
        False,
    ), "the question it depends on is no longer asked"
    opened = verified_client.get(step_url(ar, "second_parent"), follow=True).content.decode()
    assert "“Second parent or carer” is not needed" in opened and "You cannot start" not in opened

    verified_client.post(step_url(ar, "parents"), {"second": "yes", "action": "continue"})
    assert _task(verified_client, ar, "second_parent") == ("Not yet started", None, True)
    assert _task(verified_client, ar, "second_address") == waiting


def test_check_answers_sends_a_step_kept_with_an_error_in_a_question_not_asked_to_that_error(
    verified_client, typed_request
):
    """Check answers said "Open “Attendance” and save it again", but the step opened with its errors waiting for a
    save, and the one error was in a question the answers no longer ask: nothing said what to put right."""
    data = {"part_time": "no", "hours": "about ten", "diagnosis": "no", "action": "continue"}
    post_step(verified_client, typed_request, "attendance", data)
    check = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": typed_request.pk}))
    link = BeautifulSoup(check.content.decode(), "html.parser").find("a", string=re.compile("save it again"))
    page = BeautifulSoup(verified_client.get(link["href"]).content.decode(), "html.parser")
    assert page.find(id="id_hours-error") and page.find(class_="govuk-error-summary").find("a", href="#id_hours")


def _asked_to_remove(response):
    html = response.content.decode()
    if "no longer asked. Remove your answer" not in html:
        return []
    listed = re.search(r'<ul class="govuk-list govuk-list--bullet">(.*?)</ul>', html, re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", listed)


BLANK_EXCLUSIONS = {
    "exclusions-rows": "1",
    "exclusions-0-date-day": "",
    "exclusions-0-date-month": "",
    "exclusions-0-date-year": "",
    "exclusions-0-reason": "",
}


def test_a_closed_table_left_blank_holds_nothing_and_text_typed_into_it_later_is_asked_about(
    verified_client, professional
):
    """A page posts a table's row count and blank cells even while the table is closed. Drawn again from a step saved
    with errors (as every autosave of a half-done step is), the page marked the blank "Exclusions" as already holding
    text: what was then typed into it and hidden by the next save stayed hidden without the save asking about it."""
    version = definition(exclusions_sections())
    advice_request = request_to_do(professional, version)
    saved_with_error = post_step(
        verified_client, advice_request, "school", {"head_name": "Ms Okafor", **BLANK_EXCLUSIONS}
    )
    assert saved_with_error.status_code == 200  # "Have they been excluded?" is not answered yet
    assert drawn(saved_with_error, "kept-at-render") == ""
    page = verified_client.get(step_url(advice_request, "school"))
    assert drawn(page, "kept-at-render") == ""

    typed = {
        **BLANK_EXCLUSIONS,
        "exclusions-0-date-day": "4",
        "exclusions-0-date-month": "3",
        "exclusions-0-date-year": "2025",
        "exclusions-0-reason": "Fixed term",
    }
    data = {"head_name": "Ms Okafor", "excluded": "no", **typed, "action": "continue"}
    assert _asked_to_remove(post_step(verified_client, advice_request, "school", data, page=page)) == ["Exclusions"]
    assert answers(advice_request)["school"]["exclusions"] == [{"date": "2025-03-04", "reason": "Fixed term"}]

    # Left blank and closed, it is no answer: nothing is asked, nothing stored, check answers does not name it.
    data = {"head_name": "Ms Okafor", "excluded": "no", **BLANK_EXCLUSIONS, "action": "continue"}
    other = request_to_do(professional, version)
    assert post_step(verified_client, other, "school", data).status_code == 302
    assert answers(other)["school"] == {"head_name": "Ms Okafor", "excluded": "no", "exclusions": None}
    check = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": other.pk}))
    assert "Exclusions" not in check.content.decode()


def test_text_typed_in_a_step_saved_with_errors_is_asked_about_before_another_answer_hides_it(
    verified_client, advice_request
):
    advice_request.answers = {"about": {"support": "yes", "support_details": "Weekly", "areas": ["cl"]}}
    advice_request.save()
    # "Family notes" (shown when support is "yes") typed, the interpreter question left out: saved with an error.
    saved_with_error = post_step(
        verified_client, advice_request, "family", {"family_notes": "Grandmother helps", "action": "continue"}
    )
    assert saved_with_error.status_code == 200 and "Grandmother helps" in saved_with_error.content.decode()
    data = {"support": "no", "support_details": "Weekly", "areas": ["cl"], "cl_detail": "", "other_detail": ""}
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"})
    assert _asked_to_remove(response) == ["Describe the support", "Family notes (in “Family”)"]
    keys = drawn(response, "clear-keys")
    removed = post_step(
        verified_client, advice_request, "about", {**data, "clear": "remove", "clear-keys": keys}, page=response
    )
    assert removed.status_code == 302
    kept = AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["family"]
    assert "family_notes" not in kept and "Grandmother helps" not in str(kept)


def test_text_typed_on_this_step_saved_with_errors_is_asked_about_when_saved_again(verified_client, advice_request):
    advice_request.answers = {"about": {"support": "yes", "areas": ["cl"]}}
    advice_request.save()
    typed = {"support": "yes", "support_details": "Weekly speech therapy", "areas": [], "action": "continue"}
    with_error = post_step(verified_client, advice_request, "about", typed)
    assert "Weekly speech therapy" in with_error.content.decode()
    data = {"support": "no", "support_details": "Weekly speech therapy", "areas": ["cl"], "cl_detail": ""}
    response = post_step(verified_client, advice_request, "about", {**data, "action": "continue"}, page=with_error)
    assert _asked_to_remove(response) == ["Describe the support"]


def test_a_step_saved_with_errors_cannot_make_a_section_holding_text_not_needed(verified_client, advice_request):
    """The task list reads saved answers: an answer in a step saved with errors (or typing kept at a time-out, which
    saves nothing) hides no section, so text in a section stays reachable until a save asks about removing it."""
    advice_request.answers = {
        "about": {"support": "yes", "support_details": "Weekly", "areas": ["cl"]},
        "family": {"interpreter": "none"},
        "health": {"health_notes": "Asthma plan"},
    }
    advice_request.save()
    data = {"support": "no", "support_details": "Weekly", "areas": [], "action": "continue"}
    assert post_step(verified_client, advice_request, "about", data).status_code == 200  # saved with an error
    assert AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["about"]["support"] == ["no"]
    assert _task(verified_client, advice_request, "health") == ("In progress", None, True)
    assert "Asthma plan" in verified_client.get(step_url(advice_request, "health")).content.decode()


def test_removing_a_date_an_address_and_a_table_kept_in_a_step_saved_with_errors_removes_every_box_of_them(
    verified_client, professional
):
    """Only the kept post's entry named after the question was removed: a date's day, month and year boxes, an
    address's lines and a table's rows stayed in the step saved with errors and came back when it was opened."""
    follows_support = when("all", ("support", "is", "yes"))
    sessions = [column("What", key="what"), column("When", "date", key="on")]
    family = [
        question("single_choice", "Interpreter needed", key="interpreter", options=INTERPRETER),
        question("date", "Date support began", key="began", condition=follows_support),
        question("address", "Where support is given", key="place", condition=follows_support),
        question("table", "Sessions", key="sessions", condition=follows_support, columns=sessions),
        question("short_text", "Family notes", key="family_notes", required=False),
    ]
    about = [question("yes_no", "Is support in place?", key="support")]
    version = definition([section("About", about, key="about"), section("Family", family, key="family")])
    advice_request = request_to_do(professional, version)
    advice_request.answers = {"about": {"support": "yes"}}
    advice_request.save()
    typed = {
        "began-day": "3",
        "began-month": "March",
        "began-year": "2026",
        "place-line_1": "1 Mill Lane",
        "place-line_2": "",
        "place-town": "Exampleton",
        "place-postcode": "EX1 1AA",
        "sessions-rows": "1",
        "sessions-0-what": "Speech therapy",
        "sessions-0-on-day": "4",
        "sessions-0-on-month": "3",
        "sessions-0-on-year": "2026",
        "family_notes": "Grandmother helps",
    }
    # The interpreter question left out: the step is saved with an error, its typing kept.
    saved_with_error = post_step(verified_client, advice_request, "family", {**typed, "action": "continue"})
    assert saved_with_error.status_code == 200
    kept = AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["family"]
    assert {"began-day", "place-line_1", "sessions-0-on-day"} <= set(kept)
    data = {"support": "no", "action": "continue"}
    response = post_step(verified_client, advice_request, "about", data)
    assert _asked_to_remove(response) == [
        "Date support began (in “Family”)",
        "Where support is given (in “Family”)",
        "Sessions (in “Family”)",
    ]
    removed = post_step(
        verified_client,
        advice_request,
        "about",
        {**data, "clear": "remove", "clear-keys": drawn(response, "clear-keys")},
        page=response,
    )
    assert removed.status_code == 302
    kept = AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["family"]
    assert kept == {"family_notes": ["Grandmother helps"]}
    # Asked again, the questions come back empty.
    assert (
        post_step(verified_client, advice_request, "about", {"support": "yes", "action": "continue"}).status_code == 302
    )
    family = verified_client.get(step_url(advice_request, "family")).content.decode()
    assert "Grandmother helps" in family
    assert not [text for text in ("Mill Lane", "EX1 1AA", "Speech therapy", 'value="2026"') if text in family]
