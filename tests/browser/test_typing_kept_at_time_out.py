"""With JavaScript off (no autosave, no warning dialog), a step saved after the idle limit: signed out, then after
signing in again the step holds what was typed, unsaved, until it is saved. With JavaScript on, the warning dialog's
countdown ending on a page that holds typing no save has kept does the same."""

import pytest
from playwright.sync_api import expect

from advice_forms.models import Outcome
from cms.models import AuditEntry
from portal_pages.events import AccountEvent
from tests.browser.test_advice_wizard import advice_request, sign_in  # noqa: F401
from tests.browser.test_offline_save import TYPED as TYPED_ON_A_FAILING_PAGE
from tests.browser.test_offline_save import _typed_into_failing_autosave
from tests.factories.accounts import PASSWORD
from tests.factories.advice_forms import AdviceRequestFactory, padded_pdf
from tests.otp import current_code
from tests.sessions import idle_past_the_limit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Weekly speech therapy since September; uses short phrases to ask for help."


def _sign_in_again(page, professional, back_to):
    """From the signed-out page, "Sign in again" through the password and the code, back on ``back_to``."""
    page.get_by_role("button", name="Sign in again").click()
    page.get_by_label("Email address").fill(professional.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    page.get_by_label("Code from your authenticator app, or a backup code").fill(
        current_code(professional.totpdevice_set.get(), offset=1)  # the first sign-in used this step's code
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(back_to)


def test_a_step_saved_after_the_time_out_comes_back_after_signing_in_again(
    live_server, page_without_javascript, professional, small_form, home_page
):
    page = page_without_javascript
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)  # noqa: F811 (this test makes its own)
    step = f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/"
    sign_in(page, live_server.url, professional)
    page.goto(step)
    page.get_by_label("What is your involvement with the child?").fill(TYPED)
    idle_past_the_limit(page)
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/portal/signed-out/**")
    expect(page.locator("main")).to_contain_text("You have been signed out")
    advice_request.refresh_from_db()
    assert TYPED not in str(advice_request.answers) and TYPED not in str(advice_request.raw_steps)

    _sign_in_again(page, professional, step)
    expect(page.locator("#advice-kept-typing")).to_contain_text("You were signed out before this was saved")
    expect(page.get_by_label("What is your involvement with the child?")).to_have_value(TYPED)

    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#advice-kept-typing")).to_have_count(0)
    advice_request.refresh_from_db()
    assert TYPED in str(advice_request.answers) + str(advice_request.raw_steps)  # saved, as the SENCO chose


# With JavaScript on: the countdown opens 4 s after a page is drawn and ends at 9 s (countdown_after_four_seconds).
KEPT_WORDS = "What you typed after you last saved is not saved yet, but it is kept for 1 hour."


def test_typing_an_autosave_could_not_save_is_kept_when_the_countdown_ends(
    live_server,
    page,
    professional,
    settings,
    countdown_after_four_seconds,
    advice_request,  # noqa: F811
):
    """Every autosave met a fault's error page, so the typing was only on the page; the countdown's end signed out
    without asking (as it must, on an unattended screen) and the typing went with the page."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    step, _involvement, _status = _typed_into_failing_autosave(page, live_server, professional, advice_request, 500)

    page.wait_for_url("**/portal/signed-out/?reason=timeout&next=*", timeout=20000)
    expect(page.locator("main")).to_contain_text(KEPT_WORDS)
    advice_request.refresh_from_db()
    assert TYPED_ON_A_FAILING_PAGE not in str(advice_request.raw_steps)
    assert AuditEntry.objects.filter(action=AccountEvent.TIMED_OUT).latest("pk").data == {
        "why": "idle",
        "kept_typing": True,
    }

    _sign_in_again(page, professional, step)
    expect(page.locator("#advice-kept-typing")).to_contain_text("You were signed out before this was saved")
    expect(page.get_by_label("What is your involvement with the child?")).to_have_value(TYPED_ON_A_FAILING_PAGE)


@pytest.fixture
def request_page(live_server, page, professional, countdown_after_four_seconds, advice_request):  # noqa: F811
    """Opens a page of ``advice_request`` by its address's end ("outcomes/new/") once signed in: its address."""
    sign_in(page, live_server.url, professional)

    def opened(end):
        address = f"{live_server.url}/portal/requests/{advice_request.pk}/{end}"
        page.goto(address)
        return address

    return opened


@pytest.fixture
def outcome_page(request_page):
    """The page that adds an outcome to ``advice_request``, opened once signed in: its address."""
    return request_page("outcomes/new/")


def test_an_outcome_typed_and_left_is_kept_when_the_countdown_ends(page, professional, outcome_page):
    """A page around the form has no autosave: an outcome typed and left unsent was lost at the countdown's end."""
    page.get_by_label("Outcome", exact=True).fill(TYPED)

    page.wait_for_url("**/portal/signed-out/?reason=timeout&next=*", timeout=20000)
    expect(page.locator("main")).to_contain_text(KEPT_WORDS)
    assert not Outcome.objects.exists()

    _sign_in_again(page, professional, outcome_page)
    expect(page.locator("#advice-kept-typing")).to_contain_text("You were signed out before this was saved")
    expect(page.get_by_label("Outcome", exact=True)).to_have_value(TYPED)
    assert not Outcome.objects.exists()

    # The page has no autosave: Cancel threw the typing away without a word. Leaving now asks first; adding does not.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_label("Outcome", exact=True)).to_have_value(TYPED)
    assert asked == ["beforeunload"] and page.url == outcome_page
    page.get_by_label("Type", exact=True).select_option(index=1)
    page.get_by_role("button", name="Add the outcome").click()
    page.wait_for_url(lambda url: url != outcome_page)
    assert asked == ["beforeunload"] and Outcome.objects.get().outcome == TYPED


def test_a_page_left_as_it_was_drawn_only_signs_out_when_the_countdown_ends(page, outcome_page):
    """Nothing typed on a page that keeps typing: the countdown signs out as it always did, and promises nothing."""
    page.wait_for_url("**/portal/signed-out/?reason=timeout&next=*", timeout=20000)
    expect(page.locator("main")).to_contain_text("You have been signed out")
    expect(page.locator("main")).not_to_contain_text("What you typed")
    assert AuditEntry.objects.filter(action=AccountEvent.TIMED_OUT).latest("pk").data == {"why": "idle"}


def test_a_chosen_file_goes_up_as_its_name_alone_when_the_countdown_ends(
    page,
    professional,
    advice_request,  # noqa: F811
    request_page,
):
    """A chosen file cannot be kept at a time-out, only its name: the countdown's post sent the whole file (a report
    of several megabytes on a school's connection) before the page could sign out, for the server to throw it away."""
    documents = request_page("documents/")
    page.get_by_label("Title").fill("Speech and language report, spring term")
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": padded_pdf(3 * 1024 * 1024)}
    )

    with page.expect_request(lambda request: "timed_out=1" in request.url, timeout=20000) as posted:
        page.wait_for_url("**/portal/signed-out/?reason=timeout&next=*", timeout=20000)
    assert int(posted.value.all_headers()["content-length"]) < 10_000  # the title, the type and the file's name
    expect(page.locator("main")).to_contain_text(KEPT_WORDS)
    expect(page.locator("main")).to_contain_text("Any file you chose was not kept. You will need to choose it again.")
    assert not advice_request.documents.exists()

    _sign_in_again(page, professional, documents)
    expect(page.get_by_label("Title")).to_have_value("Speech and language report, spring term")


def test_typing_on_a_page_with_no_autosave_keeps_the_warning_shut(page, outcome_page):
    """Typing told the server nothing on a page with no autosave: the warning opened under someone typing, took the
    next keys (a space pressed "Stay signed in"), and at its end signed out someone who was never idle."""
    field = page.get_by_label("Outcome", exact=True)
    field.click()
    words = TYPED.split()
    for word in words:  # one word a second, past the countdown's end (9 s) had typing not counted
        page.keyboard.type(word + " ")
        page.wait_for_timeout(1000)

    expect(field).to_have_value(" ".join(words) + " ")
    expect(page.locator("#portal-timeout")).to_be_hidden()
    assert page.url == outcome_page
