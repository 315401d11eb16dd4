"""Typing into a guidance page's editor as soon as it opens counts as a change (cms/static/cms/admin/
wagtail-unsaved-compat.js): the autosave stores it and leaving before then asks first.

Wagtail's unsaved-changes check copies the form two seconds after the page starts and compares every later check
with that copy. Typed within those two seconds, the words were in the copy: never a change, so no autosave, no
"unsaved" state and no warning on leaving; closing the tab lost them (an editor typing into the Intro 0.5 s after
opening). Autosaves are held at the server's door here until the leave-page warning has been asked about, then let
through to the live server.
"""

import pytest
from wagtail.rich_text import RichText

from tests.browser.editor import LEAVE_PREVENTED, hold_autosaves, serve_empty_script, sign_in_to_editor
from tests.factories.cms import HelpPageFactory, published
from tests.waiting import wait_for, wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTRO = "Who can ask for an assessment."
BODY = "Ask the school first."

# When the page's content was loaded, when the first words went in, and what Wagtail's check said since.
RECORDER = """
window.heard = [];
window.times = {};
document.addEventListener("DOMContentLoaded", () => { window.times.loaded = performance.now(); });
document.addEventListener("beforeinput", (event) => {
    if (event.isTrusted && window.times.typed === undefined) window.times.typed = performance.now();
}, true);
for (const name of ["watch-edits", "add", "clear"]) {
    window.addEventListener(`w-unsaved:${name}`, () => {
        window.heard.push(name);
        if (name === "watch-edits" && window.times.copied === undefined) window.times.copied = performance.now();
    });
}
"""

# What the check said since its last first copy (upstream may take two, and says "clear" before them).
SINCE_COPIED = "window.heard.slice(window.heard.lastIndexOf('watch-edits') + 1)"

RICH_TEXT_BOX = "[data-contentpath='body'] [contenteditable='true']"


def _type_into_the_intro(page):
    page.locator("#id_intro").focus()  # the caret at the start
    page.keyboard.insert_text("Typed at once. ")
    return "intro", f"Typed at once. {INTRO}"


def _type_into_the_body(page):
    box = page.locator(RICH_TEXT_BOX).first
    box.wait_for(timeout=5000)  # the moment the rich text box takes typing
    box.focus()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(" Typed at once.")
    return "body", f"{BODY} Typed at once."


class Editor:
    """A published guidance page's editor, typed into the moment its field takes typing; its autosaves held."""

    def __init__(self, page, client, live_server, home_page, *, without_patch=False):
        self.page, self.held = page, []
        self.guide = published(
            HelpPageFactory(
                parent=home_page,
                title="Asking for an assessment",
                slug="asking",
                intro=INTRO,
                body=[("text", RichText(f"<p>{BODY}</p>"))],
            )
        )
        self.revisions = self.guide.revisions.count()
        sign_in_to_editor(page, client, live_server)
        if without_patch:  # the page as upstream serves it
            page.route("**/wagtail-unsaved-compat.js", serve_empty_script)
        hold_autosaves(page, f"**/admin/pages/{self.guide.pk}/edit/", self.held)
        page.add_init_script(RECORDER)
        page.goto(f"{live_server.url}/admin/pages/{self.guide.pk}/edit/", wait_until="domcontentloaded")

    def release(self):
        while self.held:
            self.held.pop(0).continue_()

    def stored(self, field):
        """The field's value in the page's latest revision, once the autosave has stored one."""
        if self.guide.revisions.count() == self.revisions:
            return None
        return self.guide.revisions.order_by("-created_at", "-pk").first().content[field]

    def close(self):
        self.release()
        self.page.goto("about:blank")


@pytest.mark.parametrize("type_into", [_type_into_the_intro, _type_into_the_body], ids=["intro", "rich-text"])
def test_words_typed_as_the_editor_opens_are_autosaved_and_leaving_first_asks(
    editors, live_server, client, page, home_page, type_into
):
    editor = Editor(page, client, live_server, home_page)
    editors.append(editor)
    field, typed = type_into(page)
    wait_for_script(page, "window.times.copied !== undefined", timeout=15000)
    # Typed before Wagtail's first copy of the form: the Intro about 0.1-0.3 s after the page's content was loaded
    # (0.7 s on a loaded machine, the page still busy), the rich text box as soon as its editor was drawn.
    times = page.evaluate("window.times")
    assert times["typed"] < times["copied"], times

    # A change: the autosave is sent, and until it is stored leaving asks first.
    wait_for(lambda: editor.held, seconds=15, page=page)
    assert (page.evaluate(SINCE_COPIED), page.evaluate(LEAVE_PREVENTED)) == (["add"], True)

    editor.release()
    stored = wait_for(lambda: editor.stored(field), seconds=15)
    assert typed in str(stored)


def test_upstream_takes_words_typed_as_the_editor_opens_for_the_page_as_it_was(
    editors, live_server, client, page, home_page
):
    """When this fails, Wagtail's own check sees such typing: the first-copy part of wagtail-unsaved-compat.js can
    go."""
    editor = Editor(page, client, live_server, home_page, without_patch=True)
    editors.append(editor)
    _type_into_the_intro(page)
    wait_for_script(page, "window.times.copied !== undefined", timeout=15000)
    page.wait_for_timeout(2500)  # five checks, and the autosave's wait after a change
    assert (editor.held, page.evaluate(SINCE_COPIED), page.evaluate(LEAVE_PREVENTED)) == ([], [], False)


def test_moving_about_and_typing_undone_before_the_first_copy_is_no_change(
    editors, live_server, client, page, home_page
):
    editor = Editor(page, client, live_server, home_page)
    editors.append(editor)
    box = page.locator(RICH_TEXT_BOX).first
    box.wait_for(timeout=5000)
    box.focus()
    page.keyboard.press("Control+End")  # keys that change nothing in the rich text box
    page.keyboard.press("ArrowLeft")
    page.locator("#id_intro").focus()
    page.keyboard.insert_text("x")  # typed, then taken back
    page.keyboard.press("Backspace")
    times = page.evaluate("window.times")
    wait_for_script(page, "window.times.copied !== undefined", timeout=15000)
    assert times["typed"] < page.evaluate("window.times.copied")
    page.wait_for_timeout(2500)  # five checks, and the autosave's wait after a change
    assert (editor.held, page.evaluate(SINCE_COPIED), page.evaluate(LEAVE_PREVENTED)) == ([], [], False)
    assert editor.stored("intro") is None
