"""Driving Wagtail's editor in Chromium: what a person waits for without noticing, a test must wait for in words."""

from playwright.sync_api import Locator, expect

from tests.factories.accounts import SuperuserFactory, TOTPDeviceFactory, verified_login
from tests.waiting import wait_for_script


def sign_in_to_editor(page, client, live_server):
    """Give the page the session of a new superuser's verified sign-in: transactional tests flush the migrated
    groups, so a superuser stands in for the form designer and the content editor."""
    user = SuperuserFactory()
    TOTPDeviceFactory(user=user)
    verified_login(client, user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


# Whether leaving the page now would make the browser ask first: Wagtail's leave-page check, asked as the browser asks.
LEAVE_PREVENTED = """() => {
    const leaving = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(leaving);
    return leaving.defaultPrevented;
}"""


def hold_autosaves(page, url, held):
    """Hold the editor's autosaves to ``url`` at the server's door, in ``held`` (each route's continue_() lets one
    through); its other requests go on. An autosave is a POST asking for JSON (the editor's own save asks for a
    page)."""

    def route(held_route):
        request = held_route.request
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            held.append(held_route)
        else:
            held_route.continue_()

    page.route(url, route)


def serve_empty_script(route):
    """Answer a script's request with nothing: the page as upstream serves it, without one of our patches."""
    route.fulfill(body="", content_type="text/javascript")


CHOOSER_SHOWN = (
    "Array.from(document.querySelectorAll('.tippy-box[data-state=visible]'))"
    ".some(box => box.querySelector('[role=option]') && getComputedStyle(box).opacity === '1')"
)


def chooser_shown(page):
    """Wait until the block chooser that an "Insert a block" click opened has finished appearing.

    The chooser fades in and is placed above or below its button as it does. A click on one of its options sent
    before then can insert nothing, the chooser staying open: 8 of 80 insertions on a loaded machine, none of 160
    after this wait. A person never clicks that fast."""
    wait_for_script(page, CHOOSER_SHOWN)


# Whether jQuery is animating anything in the page: Wagtail slides each block it inserts open with jQuery.
NOTHING_SLIDING = "() => !jQuery(':animated').length"


def slid_open(page, element):
    """Wait until a block Wagtail has just inserted (or an element in it) has finished sliding open.

    Wagtail puts a new block in the page hidden and, a moment later, slides it open with jQuery (about 400 ms),
    moving what lies below it as it grows. A click sent during the slide can land on the wrong place, and the test
    goes on with something undone. A person waits for the block to open before using it."""
    expect(element).to_be_visible()
    wait_for_script(page, NOTHING_SLIDING)


# Wagtail marks a panel's element once its toggle has a click handler (collapsibleInitialised, set as it decides
# whether the panel starts collapsed). Until then the toggle shows the template's aria-expanded="true" and a click
# does nothing, so neither what it says nor a click can be trusted.
PANEL_OF_TOGGLE = "xpath=ancestor::*[@data-panel][1]"


def block_holding(page, selector):
    """The innermost StreamField child holding the element (a question inside its section)."""
    return page.locator("[data-streamfield-child]").filter(has=page.locator(selector)).last


def open_block(block, click=Locator.click):
    """Open a collapsible block (a section, a condition) unless it is open already: a click only when needed, made
    through ``click`` when the test counts the designer's actions."""
    toggle = block.locator("button.w-panel__toggle").first
    # Asked again until it holds, of whatever element is there then: Wagtail may draw the block anew meanwhile.
    expect(toggle.locator(PANEL_OF_TOGGLE)).to_have_js_property("collapsibleInitialised", True, timeout=30000)
    if toggle.get_attribute("aria-expanded") == "false":
        click(toggle)
    expect(toggle).to_have_attribute("aria-expanded", "true")


# Opens every collapsed section at once, as a designer's clicks would one by one, in one task: the editors their
# rich text boxes then draw (cms/static/cms/admin/lazy-rich-text.js) appear together.
OPEN_EVERY_SECTION = """() => [...document.querySelectorAll("input[id^='sections-'][id$='-value-title']")]
  .filter((title) => /^sections-\\d+-value-title$/.test(title.id))
  .map((title) => title.closest("[data-streamfield-child]").querySelector("button.w-panel__toggle"))
  .filter((toggle) => toggle.getAttribute("aria-expanded") === "false")
  .forEach((toggle) => toggle.click())"""


def open_every_section(page, count):
    """Open a form definition's `count` sections together, once Wagtail has made each toggle work."""
    for index in range(count):
        toggle = block_holding(page, f"#sections-{index}-value-title").locator("button.w-panel__toggle").first
        expect(toggle.locator(PANEL_OF_TOGGLE)).to_have_js_property("collapsibleInitialised", True, timeout=30000)
    page.evaluate(OPEN_EVERY_SECTION)
