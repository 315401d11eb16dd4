"""Two browsers signed in to one team account (a shared mailbox): A types in a step while B submits the form. A's
words stay on A's screen with a banner saying they cannot be saved and how to keep them; leaving asks first; A's
Save shows the typing again with the same banner; nothing is written."""

import pytest
from playwright.sync_api import expect

from advice_forms.models import AdviceRequest, Submission
from advice_forms.services.drafts import draft_step_save
from tests.browser.test_advice_wizard import advice_request, assert_accessible, sign_in  # noqa: F401
from tests.browser.test_saved_elsewhere import asks_before_leaving, signed_in  # noqa: F401
from tests.factories.advice_forms import step_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A_WORDS = " and typed by A after B submitted"
HEADING = "This form has been submitted, so what you typed on this page has not been saved"


def test_as_typing_stays_on_as_screen_with_the_banner_after_b_submits(
    live_server,
    new_page,
    signed_in,  # noqa: F811
    professional,
    advice_request,  # noqa: F811
    axe_violations,
):
    for key, data in step_data().items():
        draft_step_save(advice_request=advice_request, section_key=key, data=data, actor=professional)
    session_a = signed_in
    session_a.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")

    session_b = new_page()
    sign_in(session_b, live_server.url, professional, offset=1)
    session_b.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/check-answers/")
    session_b.get_by_role("button", name="Accept and submit").click()
    session_b.wait_for_url("**/submissions/1/")
    session_b.context.close()
    before = AdviceRequest.objects.values().get(pk=advice_request.pk)
    submitted = Submission.objects.get(request=advice_request).answers

    involvement = session_a.get_by_label("What is your involvement with the child?")
    typed = step_data()["about"]["involvement"] + A_WORDS
    involvement.press("Control+End")
    with session_a.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
        involvement.press_sequentially(A_WORDS)
    assert autosave.value.status == 403
    banner = session_a.locator("#advice-closed")
    expect(banner).to_contain_text(HEADING)
    expect(banner).to_contain_text("copy it into another document before you leave this page")
    expect(session_a.locator("[data-autosave-status]")).to_contain_text("Not saved. This form has been submitted")
    expect(involvement).to_have_value(typed)  # every key typed, after the banner came too
    expect(involvement).to_be_focused()
    assert_accessible(session_a, axe_violations)

    asks_before_leaving(session_a)

    # Its Save shows the typing again, with the banner, and saves nothing.
    session_a.get_by_role("button", name="Save and continue").click()
    expect(session_a.locator("#advice-closed")).to_contain_text(HEADING)
    expect(involvement).to_have_value(typed)
    assert_accessible(session_a, axe_violations)
    assert AdviceRequest.objects.values().get(pk=advice_request.pk) == before
    assert Submission.objects.get(request=advice_request).answers == submitted
