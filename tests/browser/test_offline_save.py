"""A Save pressed with no connection: the browser would only show its own "No internet" page, and what was typed on
the step was lost with nothing to say so (a SENCO's walk on a school laptop). The Save is held, a banner says the
typing is kept on the page, and it is saved as the connection comes back. A file chosen on a step is sent only by a
Save: until then leaving the page asks first, and the status line says so."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_advice_wizard import advice_request, assert_accessible, sign_in  # noqa: F401
from tests.factories.advice_forms import AdviceRequestFactory, definition, pdf_bytes, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Typed on a laptop that lost its connection"


def _is_autosave(response):
    return response.url.endswith("/autosave/")


def _lost(route):
    route.abort("internetdisconnected")


@pytest.mark.parametrize("offline", ["browser-offline", "connection-lost"])
def test_save_pressed_without_a_connection_keeps_the_typing_and_saves_it_once_back(
    live_server,
    page,
    professional,
    settings,
    advice_request,  # noqa: F811
    axe_violations,
    offline,
):
    """browser-offline: the browser knows (navigator.onLine is false); connection-lost: it does not, but the last
    autosave never reached the server."""
    if offline == "connection-lost":
        settings.PORTAL_AUTOSAVE_SECONDS = 1
    sign_in(page, live_server.url, professional)
    step = f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/"
    page.goto(step)
    involvement = page.get_by_label("What is your involvement with the child?")
    status = page.locator("[data-autosave-status]")
    if offline == "browser-offline":
        page.context.set_offline(True)
    else:
        page.route("**/autosave/", _lost)

    involvement.fill(TYPED)
    page.get_by_label("Day").focus()  # leaving the field autosaves: it does not reach the server
    expect(status).to_contain_text("Your latest changes are not saved yet. We will try again.")
    page.get_by_role("button", name="Save and continue").click()
    pressed_at = time.monotonic()

    banner = page.locator("#advice-offline")
    expect(banner).to_contain_text("There is no internet connection, so this page was not saved")
    expect(banner).to_contain_text("What you typed is kept on this page.")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_be_focused()
    expect(status).to_contain_text("What you typed is kept on this page and will be saved when the connection is back.")
    expect(status).to_have_attribute("aria-live", "off")  # the focused banner is read out, not the status line too
    assert page.url == step
    expect(involvement).to_have_value(TYPED)

    with page.expect_response(_is_autosave) as autosave:
        if offline == "browser-offline":
            page.context.set_offline(False)  # saved at once, not at the next turn (30 seconds here)
        else:
            page.unroute("**/autosave/", _lost)
    assert autosave.value.ok
    expect(banner).to_contain_text("The connection is back and your answers are saved")
    expect(banner).to_contain_text("Press “Save and continue” again to go on.")
    advice_request.refresh_from_db()
    assert advice_request.raw_steps["about"]["involvement"] == [TYPED]
    assert_accessible(page, axe_violations)

    # GOV.UK Frontend's button ignores a second press within a second of the first (data-prevent-double-click): the
    # banner is read first, as someone reading it would.
    _a_second_after(page, pressed_at)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # posted: the date and yes/no are still to answer
    expect(involvement).to_have_value(TYPED)


def _a_second_after(page, pressed_at):
    """Wait until the page's timers have passed the second after a press (at ``pressed_at``, time.monotonic() once
    the click was made), of which the test has usually spent most. A timer of the page's own, due no earlier than
    GOV.UK Frontend's, runs after it, however late a loaded machine runs them both."""
    left = max(0, round((pressed_at + 1 - time.monotonic()) * 1000))
    page.evaluate("ms => new Promise((done) => { window.setTimeout(done, ms); })", left)


def _refused(route):
    route.fulfill(status=400, content_type="text/html", body="<h1>Bad Request (400)</h1>")


def _held_then_answered(page, live_server, professional, request_, answer):
    """A Save pressed offline on the step, held; then the connection back and the autosave answered by ``answer``:
    the step's answer box, the banner and the autosave's response."""
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{request_.pk}/steps/about/")
    involvement = page.get_by_label("What is your involvement with the child?")
    page.context.set_offline(True)
    involvement.fill(TYPED)
    page.get_by_label("Day").focus()
    expect(page.locator("[data-autosave-status]")).to_contain_text("We will try again.")
    page.get_by_role("button", name="Save and continue").click()
    banner = page.locator("#advice-offline")
    expect(banner).to_be_focused()
    page.route("**/autosave/", answer)
    with page.expect_response(_is_autosave) as autosave:
        page.context.set_offline(False)
    return involvement, banner, autosave.value


def test_a_held_save_the_server_then_does_not_save_says_it_was_not_done(
    live_server,
    page,
    professional,
    advice_request,  # noqa: F811
    axe_violations,
):
    """The held banner just went, and the status line said "We will try again": nothing said the Save was not done."""
    involvement, banner, answered = _held_then_answered(page, live_server, professional, advice_request, _refused)
    status = page.locator("[data-autosave-status]")
    assert answered.status == 400

    expect(banner).to_contain_text("The connection is back, but this page was not saved")
    expect(banner).to_contain_text("The portal could not save your answers, so “Save and continue” was not done.")
    expect(banner).to_contain_text("What you typed is still on this page.")
    expect(banner).to_contain_text("Press “Save and continue” again.")
    expect(banner).not_to_contain_text("no internet connection")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_be_focused()  # it had the focus: it keeps it
    expect(involvement).to_have_value(TYPED)
    assert_accessible(page, axe_violations)

    page.unroute("**/autosave/", _refused)
    involvement.fill(TYPED + ".")
    with page.expect_response(_is_autosave) as autosave:
        page.get_by_label("Day").focus()
    assert autosave.value.ok
    expect(status).to_contain_text("Saved at")
    expect(status).to_have_attribute("aria-live", "polite")  # no held Save now: its changes are read out again


def test_a_chosen_file_not_yet_sent_makes_leaving_ask_first(live_server, page, professional, home_page, tmp_path):
    notes = question("short_text", "Notes", key="notes", required=False)
    version = definition([section("Evidence", [question("file", "Support plan", key="plan"), notes], key="evidence")])
    request_ = AdviceRequestFactory(account=professional, form_version=version)
    plan = tmp_path / "support-plan.pdf"
    plan.write_bytes(pdf_bytes())
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{request_.pk}/steps/evidence/")
    status = page.locator("[data-autosave-status]")

    page.locator("input[type=file][name=plan]").set_input_files(plan)
    expect(status).to_have_text("The file you chose is not sent yet: press “Save and continue” to send it.")
    page.get_by_label("Notes (optional)").fill("Plan to follow")
    with page.expect_response(_is_autosave) as autosave:
        page.get_by_label("Notes (optional)").blur()
    assert autosave.value.ok  # the note is saved, the file is not
    expect(status).to_contain_text("Saved at")
    expect(status).to_contain_text("The file you chose is not sent yet")

    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_event("dialog") as leaving:
        page.get_by_role("link", name="Back to the task list").click()
    assert leaving.value.type == "beforeunload"
    expect(page.get_by_label("Notes (optional)")).to_have_value("Plan to follow")

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/check-answers/**")
    assert asked == []
    request_.refresh_from_db()
    assert request_.answers["evidence"]["plan"]["name"] == "support-plan.pdf"


ELSEWHERE = "Not saved. This section was saved somewhere else at 2:04pm."


def _saved_elsewhere(route):
    route.fulfill(status=409, json={"saved": False, "saved_elsewhere": True, "message": ELSEWHERE})


def test_a_held_save_refused_for_another_reason_gives_that_reason_not_press_again(
    live_server,
    page,
    professional,
    advice_request,  # noqa: F811
):
    """Review C: any refusal, a 409 (saved somewhere else) included, said "Press 'Save and continue' again", which
    cannot mend it, while the server's reason went to a status line that was not read out."""
    involvement, banner, answered = _held_then_answered(
        page, live_server, professional, advice_request, _saved_elsewhere
    )
    assert answered.status == 409

    expect(banner).to_contain_text("The connection is back, but this page was not saved")
    expect(banner).to_contain_text(ELSEWHERE)
    expect(banner).not_to_contain_text("again")
    expect(banner).to_have_attribute("role", "alert")
    expect(involvement).to_have_value(TYPED)


UNAVAILABLE_PAGE = "<h1>Sorry, the service is unavailable</h1>"


def _unavailable(route):
    """The database is failing: every post meets the 503 page (cms.views.server_error), not JSON."""
    if route.request.method == "POST":
        route.fulfill(status=503, content_type="text/html", headers={"Retry-After": "60"}, body=UNAVAILABLE_PAGE)
    else:
        route.continue_()


# Django's own words for the error pages drawn before a view is reached, and for a fault.
ERROR_PAGES = {400: "Bad Request (400)", 403: "403 Forbidden", 500: "Server Error (500)"}


def _typed_into_failing_autosave(page, live_server, professional, request_, code):
    """Signed in on the about step, its typing autosaved into an HTML page of ``code`` (503: the database failing,
    cms.views.server_error; 500: a fault in the portal; 400 or 403: refused before the view) that every autosave
    meets: (step url, the involvement box, the status line)."""
    sign_in(page, live_server.url, professional)
    step = f"{live_server.url}/portal/requests/{request_.pk}/steps/about/"
    page.goto(step)
    involvement = page.get_by_label("What is your involvement with the child?")
    status = page.locator("[data-autosave-status]")
    body, headers = (UNAVAILABLE_PAGE, {"Retry-After": "60"}) if code == 503 else (f"<h1>{ERROR_PAGES[code]}</h1>", {})
    page.route(
        "**/autosave/", lambda route: route.fulfill(status=code, content_type="text/html", headers=headers, body=body)
    )

    involvement.fill(TYPED)
    with page.expect_response(_is_autosave) as autosave:
        page.get_by_label("Day").focus()
    assert autosave.value.status == code
    expect(status).to_contain_text("Your latest changes are not saved yet. We will try again.")
    return step, involvement, status


def test_a_503_from_autosave_holds_the_save_and_keeps_the_typing(
    live_server,
    page,
    professional,
    settings,
    advice_request,  # noqa: F811
):
    """The 503 page was read as JSON, failed, and counted as answered: nothing warned before leaving, and the next
    Save was posted into the same 503 page, the typing lost with this one."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    step, involvement, status = _typed_into_failing_autosave(page, live_server, professional, advice_request, 503)
    page.route(step, _unavailable)
    page.get_by_role("button", name="Save and continue").click()

    banner = page.locator("#advice-offline")
    expect(banner).to_contain_text("The portal is not working at the moment, so this page was not saved")
    expect(banner).to_contain_text("What you typed is kept on this page.")
    expect(banner).to_be_focused()
    expect(status).to_contain_text("The portal is not working at the moment. What you typed is kept on this page")
    assert page.url == step
    expect(involvement).to_have_value(TYPED)

    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_event("dialog") as leaving:
        page.get_by_role("link", name="Back to the task list").click()
    assert leaving.value.type == "beforeunload"
    expect(involvement).to_have_value(TYPED)

    with page.expect_response(lambda response: _is_autosave(response) and response.ok):
        page.unroute("**/autosave/")
    expect(banner).to_contain_text("your answers are saved")
    expect(banner).to_contain_text("Press “Save and continue” again to go on.")
    advice_request.refresh_from_db()
    assert advice_request.raw_steps["about"]["involvement"] == [TYPED]


def test_a_500_from_every_autosave_does_not_hold_the_save(
    live_server,
    page,
    professional,
    settings,
    advice_request,  # noqa: F811
):
    """A 500 is not the portal gone (a 502, 503 or 504 is): were a Save held for it, a fault meeting every autosave
    would keep the form from ever being posted."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    _step, involvement, _status = _typed_into_failing_autosave(page, live_server, professional, advice_request, 500)
    page.wait_for_timeout(1000)  # GOV.UK Frontend's button ignores a press within a second of the page's last one
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()  # posted: the date and yes/no are still to answer
    expect(page.locator("#advice-offline")).to_have_count(0)
    advice_request.refresh_from_db()
    assert advice_request.raw_steps["about"]["involvement"] == [TYPED]


@pytest.mark.parametrize("code", [500, 400, 403])
def test_an_error_page_from_autosave_makes_leaving_ask_first(
    live_server,
    page,
    professional,
    settings,
    advice_request,  # noqa: F811
    code,
):
    """An autosave answered by an error page, not the autosave's JSON (a fault's 500; a 400 or 403 Django draws before
    the view, as when the session or the form's token went in another tab), saved nothing: the status line said so,
    but a link away left the page without asking, and the typing went with it."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    _typed_into_failing_autosave(page, live_server, professional, advice_request, code)

    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_event("dialog") as leaving:
        page.get_by_role("link", name="Back to the task list").click()
    assert leaving.value.type == "beforeunload"
    expect(page.get_by_label("What is your involvement with the child?")).to_have_value(TYPED)


def test_the_time_outs_sign_out_leaves_without_asking_though_the_typing_is_unsaved(
    live_server,
    page,
    professional,
    settings,
    countdown_after_four_seconds,
    advice_request,  # noqa: F811
):
    """Typing an autosave could not save makes leaving ask first; but when the countdown ends, the page signing itself
    out met the same "Leave site?" and stayed, with the child's details on an unattended screen, until someone
    answered."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    _typed_into_failing_autosave(page, live_server, professional, advice_request, 500)

    page.wait_for_url("**/portal/signed-out/?reason=timeout&next=*", timeout=20000)
    assert asked == []
