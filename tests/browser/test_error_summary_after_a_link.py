"""A form sent again after a link within its page (an error summary's link, the skip link) put a fragment in the
address, in a real Chromium: a form with no action posts to the address it is at, fragment and all, and the page that
comes back (or the one a redirect leads to) keeps it. Chromium then skips autofocus and, once loaded, moves the focus
to the fragment's target (a select) or, where the target takes no focus (<main>), clears it: the new error summary
went unannounced. The summary takes the focus all the same, in the admin and in the portal."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accounts import _sign_in
from tests.browser.test_dropdown_paste import signed_in
from tests.factories import advice_forms as factories
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory, advice_request, need_type, team
from tests.otp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A focused element's outline, the colour of the banner it is on and of the page around it.
RING = """element => {
    const behind = node => {
        for (; node; node = node.parentElement) {
            const colour = getComputedStyle(node).backgroundColor;
            if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
        }
        return "rgb(255, 255, 255)";
    };
    const style = getComputedStyle(element);
    return {
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        offset: parseFloat(style.outlineOffset),
        colour: style.outlineColor,
        banner: style.backgroundColor,
        page: behind(element.parentElement),
    };
}"""


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two opaque colours as getComputedStyle gives them ("rgb(27, 134, 102)")."""

    def luminance(colour):
        channels = [int(part) / 255 for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_admin_error_summary_takes_the_focus_after_its_own_link_was_followed(
    live_server, home_page, page, client, professional, caseworker
):
    factories.definition([factories.section("About", [factories.question("short_text", "Name", key="n")])])
    ProfessionalFactory(organisation=professional.organisation, display_name="Oakfield Primary School")
    page.set_viewport_size({"width": 1280, "height": 700})
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("child_records:share", args=[ChildRecordFactory().pk]))

    page.get_by_role("button", name="Share the form").click()
    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Choose the form to share").click()
    expect(page.get_by_role("combobox", name="Form")).to_be_focused()
    page.get_by_role("combobox", name="Form").select_option(index=1)
    page.get_by_role("button", name="Share the form").click()

    expect(summary).to_contain_text("Choose the team account to share it with")
    expect(summary).to_be_focused()
    assert page.evaluate("window.location.hash") == ""
    top = summary.evaluate("summary => summary.getBoundingClientRect().top")
    assert top >= 0, "the summary's top is off the screen"

    # Shared, the child's record says so in a message that takes the focus, with a ring inside it that shows.
    page.get_by_role("combobox", name="Team account").select_option(index=1)
    page.get_by_role("button", name="Share the form").click()
    message = page.locator(".messages li", has_text="has been shared with")
    expect(message).to_be_focused()
    ring = message.evaluate(RING)
    assert ring["style"] == "solid" and ring["width"] >= 2 and ring["offset"] <= -ring["width"], ring
    assert contrast(ring["colour"], ring["banner"]) >= 3, ring
    assert contrast(ring["colour"], ring["page"]) >= 3, ring


def test_the_portal_error_summary_takes_the_focus_after_the_skip_link_was_followed(
    live_server, home_page, page, professional, password
):
    page.goto(live_server.url + "/portal/sign-in/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**#main-content")
    page.get_by_label("Email address").fill(professional.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")

    code = current_code(professional.totpdevice_set.get())
    box = page.get_by_label("Code from your authenticator app, or a backup code")
    box.fill("".join(str((int(digit) + 5) % 10) for digit in code))
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("window.location.hash") == ""


@pytest.mark.parametrize("editing", [False, True], ids=["new", "edit"])
def test_a_child_records_refused_save_opens_on_the_focused_error_summary_linking_to_each_field(
    live_server, home_page, page, client, caseworker, editing
):
    """Wagtail's banner said only "could not be created due to errors", and the focus stayed on <body>."""
    signed_in(page, client, live_server, caseworker)
    if editing:
        page.goto(live_server.url + reverse("child_records:edit", args=[ChildRecordFactory().pk]))
        page.get_by_role("textbox", name="First name").fill("")
        page.get_by_role("textbox", name="Date of birth").fill("")
        page.get_by_role("button", name="Save").first.click()
    else:
        page.goto(live_server.url + reverse("child_records:add"))
        page.get_by_role("button", name="Create").first.click()

    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_focused()
    expect(page.locator(".messages")).not_to_contain_text("due to errors")
    summary.get_by_role("link", name="Enter the child's first name").click()
    expect(page.get_by_role("textbox", name="First name")).to_be_focused()
    summary.get_by_role("link", name="Enter the child's date of birth").click()
    expect(page.get_by_role("textbox", name="Date of birth")).to_be_focused()


def test_an_outcome_sent_after_the_skip_link_opens_on_the_focused_summary(
    live_server, home_page, page, professional, password
):
    team("SLT", "Speech and Language Therapy")
    need_type("Comms", "Communication and interaction")
    advice = advice_request(professional, child=ChildRecordFactory())
    _sign_in(page, live_server.url, professional, password)
    page.goto(f"{live_server.url}/portal/requests/{advice.pk}/outcomes/")
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_role("link", name="Skip to main content").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#main-content")

    page.get_by_role("button", name="Add the outcome").click()

    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.evaluate("window.location.hash") == ""
