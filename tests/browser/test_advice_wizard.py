"""A professional fills a form in a real Chromium: dashboard → task list → steps (one with errors) → check
answers → confirmation, with axe on each kind of page; and autosave keeps typed text across a closed page."""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.casework_setup import terms_seed
from advice_forms.models import AdviceRequest, Document, DocumentState
from tests.factories.accounts import PASSWORD, verified_login
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    definition,
    designers_headings_form,
    pdf_bytes,
    question,
    section,
    small_form_version,
    step_data,
)
from tests.otp import current_code
from tests.waiting import wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def advice_request(professional, home_page):
    # Transactional tests flush the Team and Type rows a migration seeded: seed them again the same way.
    terms_seed(apps)
    return AdviceRequestFactory(
        account=professional,
        form_version=small_form_version(),
        child=ChildRecordFactory(first_name="Robin", last_name="Marchwood"),
    )


def sign_in(page, base_url, user, offset=0):
    page.goto(base_url + "/portal/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    page.get_by_label("Code from your authenticator app, or a backup code").fill(
        current_code(user.totpdevice_set.get(), offset)
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/portal/")


def step_opened(page, base_url, user, form_version, step):
    """A new request of ``user`` for ``form_version``, opened at ``step`` once ``user`` has signed in."""
    advice_request = AdviceRequestFactory(account=user, form_version=form_version)
    sign_in(page, base_url, user)
    page.goto(base_url + reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step}))
    return advice_request


def assert_accessible(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def test_a_professional_completes_a_short_form_from_the_dashboard(
    live_server, page, professional, advice_request, axe_violations
):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server.url, professional)
    assert "Robin Marchwood" in page.locator("table").inner_text()
    assert_accessible(page, axe_violations)
    page.get_by_role("link", name="Speech and language advice").click()

    expect(page.locator("main")).to_contain_text("You have completed 0 of 4 sections.")
    assert_accessible(page, axe_violations)

    page.get_by_role("link", name="About your involvement").click()
    page.get_by_label("What is your involvement with the child?").fill("Weekly speech therapy since September.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save and continue").click()
    # The click starts a navigation it does not wait for: expect() waits for the page the POST answered.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, axe_violations)

    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/health/")
    page.get_by_label("Who made the diagnosis?").fill("Community paediatrician")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/outcomes/")
    page.locator("#id_outcomes-0-team").select_option("SLT")
    page.locator("#id_outcomes-0-type").select_option("Comms")
    page.locator("#id_outcomes-0-outcome").fill("Asks for help using short sentences")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/steps/other/")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/")
    assert "Community paediatrician" in page.content()
    assert_accessible(page, axe_violations)

    page.get_by_role("button", name="Accept and submit").click()
    page.wait_for_url("**/submissions/1/")
    panel = page.locator(".govuk-panel--confirmation")
    reference = AdviceRequest.objects.get(pk=advice_request.pk).submissions.get().reference
    assert reference in panel.inner_text()
    assert_accessible(page, axe_violations)
    assert csp_errors == []


def test_a_step_with_a_designers_headed_guidance_keeps_its_headings_in_order(
    live_server, page, professional, home_page, axe_violations
):
    step_opened(page, live_server.url, professional, designers_headings_form(), "views")
    expect(page.get_by_role("heading", level=1, name="Section 5: views")).to_be_visible()
    violations = axe_violations(page, rules=["heading-order"])
    assert violations == [], axe_violations.describe(violations)
    assert_accessible(page, axe_violations)


def test_autosave_keeps_typed_text_after_the_page_is_closed(
    live_server, new_page, professional, advice_request, settings
):
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    page = new_page()
    sign_in(page, live_server.url, professional)
    step = f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/"
    page.goto(step)

    page.get_by_label("What is your involvement with the child?").press_sequentially("Typed, never submitted")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Saved at").wait_for(timeout=10000)
    assert status.get_attribute("aria-live") == "polite"
    page.context.close()

    page = new_page()
    sign_in(page, live_server.url, professional, offset=1)
    page.goto(step)
    assert page.get_by_label("What is your involvement with the child?").input_value() == "Typed, never submitted"


def test_back_to_a_step_shows_what_was_saved_since_and_saving_there_keeps_it(
    live_server, page, professional, advice_request, settings
):
    """Back after an error showed the step as it was first left (the browser's back-forward cache): saving there
    overwrote the answer corrected and autosaved on the page after it."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")
    involvement = page.get_by_label("What is your involvement with the child?")

    page.get_by_role("button", name="Save and continue").click()  # nothing answered: errors, on a page of its own
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    involvement.fill("Weekly speech therapy since September")
    # Leaving the field saves it. Wait for that save's answer: the error page already says "Saved at" (its POST saved
    # the draft), and Back before the save lands would race the page's last save against the step's GET.
    with page.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
        page.get_by_label("Day").focus()
    assert autosave.value.ok
    page.go_back()
    # The script fetches the step again as a new visit (autosave.js): wait for that visit, not the one Back made.
    wait_for_script(page, "performance.getEntriesByType('navigation')[0].type === 'navigate'")
    page.wait_for_load_state()

    expect(involvement).to_have_value("Weekly speech therapy since September")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # the date and yes/no are still to answer
    advice_request.refresh_from_db()
    assert advice_request.raw_steps["about"]["involvement"] == ["Weekly speech therapy since September"]


def test_a_long_file_name_wraps_on_its_step_and_check_answers_at_320px(live_server, page, professional, home_page):
    """The whole name shows, wrapping, and the page does not scroll sideways (WCAG 1.4.10 Reflow)."""
    name = "Annual_review_of_the_individual_support_plan_for_the_spring_term_with_the_speech_therapy_targets.pdf"
    version = definition([section("Evidence", [question("file", "Support plan", key="plan")], key="evidence")])
    answers = {"evidence": {"plan": {"document": 1, "name": name, "size": 2048}}}
    request_ = AdviceRequestFactory(account=professional, form_version=version, answers=answers)
    sign_in(page, live_server.url, professional)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (f"/portal/requests/{request_.pk}/steps/evidence/", f"/portal/requests/{request_.pk}/check-answers/"):
        page.goto(live_server.url + path)
        expect(page.locator("main")).to_contain_text(name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_file_chosen_by_mistake_is_removed_on_its_step_and_asked_for_again(
    live_server, new_page, professional, home_page, settings, tmp_path, javascript, axe_violations
):
    """A file question's upload could only be replaced: a professional who chose the wrong child's report could not
    take it back. "Remove this file" takes it away, with JavaScript (autosave on) or without."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    notes_question = question("short_text", "Notes", key="notes", required=False)
    questions = [question("file", "Support plan", key="plan"), notes_question]
    version = definition([section("Evidence", questions, key="evidence")])
    request_ = AdviceRequestFactory(account=professional, form_version=version)
    wrong = tmp_path / "other-child-plan.pdf"
    wrong.write_bytes(pdf_bytes())
    page = new_page(java_script_enabled=javascript)
    sign_in(page, live_server.url, professional)
    step = f"{live_server.url}/portal/requests/{request_.pk}/steps/evidence/"
    page.goto(step)
    # With JavaScript the label names GOV.UK's "Choose file" button; the file goes to the input behind it.
    page.locator("input[type=file][name=plan]").set_input_files(wrong)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/**")
    page.goto(step)
    expect(page.locator("main")).to_contain_text("You have uploaded other-child-plan.pdf")
    notes = page.get_by_label("Notes (optional)")
    notes.fill("Plan to follow")
    if javascript:
        assert_accessible(page, axe_violations)
        # Autosave sends the step as typed, never the button: the file stays until it is removed.
        with page.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
            notes.blur()
        assert autosave.value.ok

    page.get_by_role("button", name="Remove this file (other-child-plan.pdf)").click()

    expect(page.locator("main")).to_contain_text("You have removed other-child-plan.pdf.")
    expect(page.locator("main")).not_to_contain_text("You have uploaded")
    expect(page.get_by_label("Support plan")).to_be_focused()
    expect(notes).to_have_value("Plan to follow")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    request_.refresh_from_db()
    assert "plan" not in request_.answers["evidence"]
    assert Document.objects.get(advice_request=request_).state == DocumentState.WITHDRAWN
    if javascript:
        assert_accessible(page, axe_violations)
        with page.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
            notes.fill("Plan to follow, once found")
            notes.blur()
        assert autosave.value.ok
        request_.refresh_from_db()
        assert "plan" not in request_.answers["evidence"]

    page.goto(step)  # the note is kept (a required question now unanswered: kept as typed), the file is not
    expect(notes).to_have_value("Plan to follow" if not javascript else "Plan to follow, once found")
    expect(page.locator("main")).not_to_contain_text("other-child-plan.pdf")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#id_plan-error")).to_contain_text("Select a PDF file to upload")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a PDF file to upload")


def test_saving_a_changed_step_returns_to_its_section_of_check_answers(live_server, page, professional, advice_request):
    """Check answers opened at its top after a change: a keyboard user tabbed past every "Change" link above the
    section again. It now opens at the changed section, whose heading has focus, so Tab goes on from there."""
    client = verified_login(Client(), professional)
    for key, data in step_data().items():
        step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": key})
        assert client.post(step, {**data, "action": "continue"}).status_code == 302
    sign_in(page, live_server.url, professional)
    page.set_viewport_size({"width": 800, "height": 400})
    page.goto(live_server.url + reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    heading = page.get_by_role("heading", level=2, name="Anything else")
    expect(heading).not_to_be_in_viewport()

    page.get_by_role("link", name="Change Is there anything else we should know?").click()
    page.get_by_label("Is there anything else we should know?").fill("Ring the school office first")
    page.get_by_role("button", name="Save and return to check answers").click()

    page.wait_for_url("**/check-answers/#section-other")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Change Is there anything else we should know?")).to_be_focused()
