"""Wagtail's unsaved-changes check on the form definition editor, in a real Chromium
(cms/static/cms/admin/wagtail-unsaved-compat.js).

Upstream looked each of the form's fields up by name on every check (every half second), each look-up walking the
whole list: on a council's 250-question form, 55-75 ms a check and long tasks while the designer types. Patched, a
check reads the form once and gives the same string, so the editor reports changes exactly as upstream does: the same
runs with and without the patch below.
"""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import Error

from tests.browser.editor import LEAVE_PREVENTED, hold_autosaves, serve_empty_script, sign_in_to_editor
from tests.factories.advice_forms import definition, question, section
from tests.waiting import wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "School form"

# What the check tells the page, heard on window after every handler has run.
RECORDER = """
window.heard = [];
for (const name of ["watch-edits", "add", "clear"]) {
    window.addEventListener(`w-unsaved:${name}`, () => window.heard.push(name));
}
"""

CONTROLLER = """window.wagtail.app.getControllerForElementAndIdentifier(
    document.querySelector("form[data-controller~='w-unsaved']"), "w-unsaved")"""

# Every prototype on the controller's chain that defines `formData`: the patch's, then upstream's.
GETTERS = """(ctrl) => {
    const getters = [];
    for (let owner = Object.getPrototypeOf(ctrl); owner; owner = Object.getPrototypeOf(owner)) {
        const own = Object.getOwnPropertyDescriptor(owner, "formData");
        if (own) getters.push(own.get);
    }
    return getters;
}"""

# One check, counting the look-ups by name it asks of FormData; and the number of fields the check compares.
COUNT_LOOKUPS = f"""() => {{
    const ctrl = {CONTROLLER};
    const counts = {{}};
    const originals = {{}};
    for (const name of ["get", "getAll", "has", "set", "delete"]) {{
        originals[name] = FormData.prototype[name];
        FormData.prototype[name] = function (...args) {{
            counts[name] = (counts[name] || 0) + 1;
            return originals[name].apply(this, args);
        }};
    }}
    try {{
        ctrl.check();
    }} finally {{
        Object.assign(FormData.prototype, originals);
    }}
    return {{counts, fields: new URLSearchParams(ctrl.formData).size}};
}}"""

# The patch's string and upstream's for the editor's form as it is, and for a form of every kind of field the check
# treats apart: names it leaves out, comments, files (none chosen, several in one box, a file after a text of the
# same name), repeated names, lists, ticks, characters that are escaped.
SAME_STRING = f"""() => {{
    const [patched, upstream] = ({GETTERS})({CONTROLLER});
    const form = document.createElement("form");
    form.innerHTML = `
        <input name="csrfmiddlewaretoken" value="t"><input name="next" value="/admin/">
        <input name="loaded_revision_id" value="4"><input name="loaded_revision_created_at" value="x">
        <input name="title" value="Zoë & co = 100%"><input name="comments-TOTAL_FORMS" value="1">
        <input name="comments-0-text" value="hidden"><input type="file" name="empty">
        <input type="file" name="pdfs" multiple><input name="tag" value="a"><input name="tag" value="b">
        <input name="mixed" value="text first"><input type="file" name="mixed">
        <input type="file" name="late"><input name="late" value="text after">
        <select name="many" multiple><option selected>x</option><option selected>y</option></select>
        <input type="checkbox" name="tick" checked><input type="checkbox" name="untick">
        <textarea name="notes">line one\nline two</textarea>`;
    const add = (name, files) => {{
        const transfer = new DataTransfer();
        for (const [fileName, body, type] of files) transfer.items.add(new File([body], fileName, {{type}}));
        const boxes = form.querySelectorAll(`input[type=file][name=${{name}}]`);
        boxes[boxes.length - 1].files = transfer.files;
    }};
    add("pdfs", [["a.pdf", "%PDF-1", "application/pdf"], ["b c.pdf", "%PDF-12", "application/pdf"]]);
    add("mixed", [["m.txt", "m", "text/plain"]]);
    add("late", [["l.pdf", "l", "application/pdf"]]);
    const editor = {CONTROLLER};
    const pairs = [[editor, "editor"], [{{element: form}}, "every kind"]];
    return pairs.map(([ctrl, what]) => [what, patched.call(ctrl), upstream.call(ctrl)]);
}}"""


class Editor:
    """The definition's edit page, its autosaves held at the server's door until it is closed (so a change stays
    unsaved while the test looks)."""

    def __init__(self, page, client, live_server, *, without_patch=False):
        self.page, self.held, self.asked = page, [], []
        page.on("dialog", self._dialog)
        form = definition(
            [
                section("About the child", [question("short_text", "Name", key="name")], key="about"),
                section("School", [question("yes_no", "At school?", key="at_school")], key="school"),
            ],
            title=TITLE,
            publish=False,
        )
        sign_in_to_editor(page, client, live_server)
        if without_patch:  # the page as upstream serves it
            page.route("**/wagtail-unsaved-compat.js", serve_empty_script)
        hold_autosaves(page, "**/admin/snippets/advice_forms/formdefinition/edit/**", self.held)
        page.add_init_script(RECORDER)
        page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[form.pk]))
        wait_for_script(page, "window.heard && window.heard.includes('watch-edits')", timeout=30000)

    def _dialog(self, dialog):
        self.asked.append(dialog.type)
        dialog.accept()  # leave the page

    def state(self):
        """(Wagtail's "has edits", what the check dispatched since it copied the form, whether leaving the page would
        ask first)."""
        has_edits = self.page.evaluate(f"{CONTROLLER}.hasEditsValue")
        heard = self.page.evaluate("window.heard.slice(window.heard.indexOf('watch-edits') + 1)")
        return has_edits, heard, self.page.evaluate(LEAVE_PREVENTED)

    def close(self):
        """Leave the page (answering the browser's question, if it asks, with "Leave"); the autosaves held never reach
        the server, so nothing is stored after the test's database is emptied."""
        self.page.goto("about:blank")
        for route in self.held:
            # The page that sent it is gone; Chromium may have cancelled it already.
            with contextlib.suppress(Error):
                route.abort()
        self.held.clear()


def test_a_check_reads_the_form_once_and_makes_upstreams_string(editors, live_server, client, page):
    editor = Editor(page, client, live_server)
    editors.append(editor)
    lookups = page.evaluate(COUNT_LOOKUPS)
    assert lookups["fields"] > 40
    assert lookups["counts"] == {}  # no field looked up by name, however many there are
    assert len(page.evaluate(f"({GETTERS})({CONTROLLER})")) == 2  # the patch's getter, over upstream's

    page.locator("#id_title").fill(f"{TITLE}, autumn")
    for what, patched, upstream in page.evaluate(SAME_STRING):
        assert patched == upstream, what
        assert patched, what


def test_upstream_looks_every_field_up_by_name_on_each_check_without_the_patch(editors, live_server, client, page):
    """When this fails, Wagtail's own check no longer looks each field up: wagtail-unsaved-compat.js can go."""
    editor = Editor(page, client, live_server, without_patch=True)
    editors.append(editor)
    assert len(page.evaluate(f"({GETTERS})({CONTROLLER})")) == 1

    lookups = page.evaluate(COUNT_LOOKUPS)
    assert lookups["counts"]["get"] >= lookups["fields"] > 40


@pytest.mark.parametrize("without_patch", [False, True], ids=["patched", "upstream"])
def test_the_editor_reports_a_change_and_its_undoing_as_upstream_does(
    editors, live_server, client, page, without_patch
):
    editor = Editor(page, client, live_server, without_patch=without_patch)
    editors.append(editor)
    page.wait_for_timeout(1500)  # three checks of an untouched editor
    untouched = editor.state()

    # Each change made in one keystroke, so that no check sees it half made.
    title = page.locator("#id_title")
    title.click()
    title.press("End")
    page.keyboard.insert_text(", autumn")
    wait_for_script(page, "window.heard.includes('add')", timeout=15000)
    changed = editor.state()

    for _ in ", autumn":
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Backspace")
    wait_for_script(page, "window.heard.at(-1) === 'clear'", timeout=15000)
    undone = editor.state()

    page.keyboard.insert_text("!")  # changed again, then left for another page: the browser asks first
    wait_for_script(page, "window.heard.at(-1) === 'add'", timeout=15000)
    editors.remove(editor)
    editor.close()

    assert page.url == "about:blank"
    assert (untouched, changed, undone, editor.asked) == (
        (False, [], False),
        (True, ["add"], True),
        (False, ["add", "clear"], False),
        ["beforeunload"],
    )
