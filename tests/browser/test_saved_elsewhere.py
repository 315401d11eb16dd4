"""Two tabs of one signed-in browser on one step: the words saved in tab B survive tab A's autosave from its older
copy, and tab A says so, stops autosaving, warns before it is left, and shows its typing again with the choices."""

import pytest
from playwright.sync_api import expect

from advice_forms.models import AdviceRequest
from tests.browser.test_advice_wizard import advice_request, assert_accessible, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

B_WORDS = "Written in tab B after tab A opened this step"
A_WORDS = "Typed in tab A on its older copy"


@pytest.fixture
def signed_in(live_server, page, professional, home_page, settings):
    """``page``, signed in to the team account, its steps autosaving every second."""
    settings.PORTAL_AUTOSAVE_SECONDS = 1
    sign_in(page, live_server.url, professional)
    return page


def asks_before_leaving(tab):
    """Leaving ``tab`` now would lose the typing: the browser asks first (dismissed here, so the tab stays)."""
    tab.once("dialog", lambda dialog: dialog.dismiss())
    with tab.expect_event("dialog") as leaving:
        tab.close(run_before_unload=True)
    assert leaving.value.type == "beforeunload"


def test_tab_bs_words_survive_tab_as_autosave_and_tab_a_is_told(
    live_server,
    signed_in,
    advice_request,  # noqa: F811
    axe_violations,
):
    tab_a, context = signed_in, signed_in.context
    tab_b = context.new_page()
    for tab in (tab_a, tab_b):
        tab.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/steps/about/")

    tab_b.get_by_label("What is your involvement with the child?").fill(B_WORDS)
    tab_b.get_by_role("button", name="Save and come back later").click()
    expect(tab_b.get_by_text("What you typed in “About your involvement” is saved")).to_be_visible()

    involvement = tab_a.get_by_label("What is your involvement with the child?")
    with tab_a.expect_response(lambda response: response.url.endswith("/autosave/")) as autosave:
        involvement.press_sequentially(A_WORDS)
    assert autosave.value.status == 409
    status = tab_a.locator("[data-autosave-status]")
    expect(status).to_contain_text("Not saved. This section was saved somewhere else at")
    assert AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["about"]["involvement"] == [B_WORDS]

    asks_before_leaving(tab_a)

    # Its Save shows the choices, with what was typed, and saves nothing.
    tab_a.get_by_role("button", name="Save and continue").click()
    banner = tab_a.locator("#advice-saved-elsewhere")
    expect(banner).to_contain_text("Your changes to this section have not been saved")
    expect(involvement).to_have_value(A_WORDS)
    expect(status).to_have_text("What you typed on this page is not saved yet.")
    assert_accessible(tab_a, axe_violations)
    assert AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["about"]["involvement"] == [B_WORDS]

    # The answers saved in tab B open in a new tab from the banner.
    with context.expect_page() as reopened:
        banner.get_by_role("link", name="open this section again (opens in new tab)").click()
    reopened.value.wait_for_load_state()
    expect(reopened.value.get_by_label("What is your involvement with the child?")).to_have_value(B_WORDS)

    # Saving again is a choice, and it saves.
    tab_a.get_by_role("button", name="Save and come back later").click()
    expect(tab_a.get_by_text("What you typed in “About your involvement” is saved")).to_be_visible()
    assert AdviceRequest.objects.get(pk=advice_request.pk).raw_steps["about"]["involvement"] == [A_WORDS]
