"""Wagtail's autosave and the editor's own save in a real Chromium (cms/static/cms/admin/wagtail-autosave-compat.js).

An autosave starts about a second after the last change. Pressed within that second, "Save draft" used to race it: the
autosave reached the server beside the save, was stored after it with a newer time, and the page the save led to said
"You saved a new version in another window" (5 of about 21 loaded section-one builds failed so). Pressed while the
autosave waited to leave (Wagtail waits half a second before sending), the save then waited for it, and the server
checked a real-size form twice (a refused Publish took 14-29 s, "Saving…" beside "Publishing…"). The requests
are held here by Playwright's routing, so each order happens every time; nothing is mocked, every request reaches
the live server as sent.
"""

import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.snippets.views import snippets as snippet_views

from advice_forms.models import FormDefinition
from tests.browser.editor import serve_empty_script, sign_in_to_editor
from tests.factories.advice_forms import definition, question, section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page's own events say, heard after every handler has run (on window, the last to hear a bubbling event; an
# autosave's save event once its dispatch is over, as a cancelled one is not passed on). What the autosave indicator
# says, as it changes. Told through the console: while a save is held the page cannot be asked anything (Playwright's
# evaluate waits).
RECORDER = """
window.addEventListener("w-unsaved:watch-edits", () => console.log("seen watching"));
window.addEventListener(
  "w-autosave:save",
  (event) => queueMicrotask(() => console.log(`seen autosave ${event.defaultPrevented}`)),
  true,
);
window.addEventListener("submit", (event) => console.log(`seen submit ${event.defaultPrevented}`));
document.addEventListener("DOMContentLoaded", () => {
  const indicator = document.querySelector("#w-autosave-indicator");
  new MutationObserver(() => console.log(`seen indicator ${indicator.dataset.wAutosaveStateValue}`))
    .observe(indicator, {attributes: true, attributeFilter: ["data-w-autosave-state-value"]});
});
"""

# The button pressed as the autosave's save event is heard, before its request leaves (half a second later).
PRESSED_AS_THE_AUTOSAVE_STARTS = """button => {
    window.addEventListener("w-autosave:save", () => {
        window.setTimeout(() => document.querySelector(button).click());
    }, {capture: true, once: true});
    const box = document.querySelector("#id_title");
    box.value = "School form, autumn";
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new Event("change", {bubbles: true}));
}"""

TYPED_AND_SAVED = """title => {
    const box = document.querySelector("#id_title");
    box.value = title;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    box.dispatchEvent(new Event("change", {bubbles: true}));
    document.querySelector("button.action-save").click();
}"""


def _autosave(request) -> bool:
    return request.method == "POST" and "application/json" in request.headers.get("accept", "")


class Editor:
    """The definition's edit page; its POSTs to the edit address of one kind ("save" or "autosave") held until
    released, the rest sent on; what the page's events said."""

    def __init__(self, page, hold):
        self.page, self.hold, self.held, self.sent, self.seen = page, hold, [], [], []
        page.on("console", self._console)
        page.route("**/admin/snippets/advice_forms/formdefinition/edit/**", self._route)

    def _console(self, message):
        if message.text.startswith("seen "):
            self.seen.append(message.text.removeprefix("seen "))

    def _route(self, route):
        request = route.request
        if request.method != "POST":
            route.continue_()
            return
        kind = "autosave" if _autosave(request) else "save"
        self.sent.append(kind)
        if kind == self.hold and not self.held:
            self.held.append(route)
        else:
            route.continue_()

    def until(self, holds, what):
        """Wait, letting the page's events in, until holds() (at most 15 s)."""
        for _ in range(150):
            if holds():
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{what} did not happen; the page said {self.seen}, sent {self.sent}")

    def release(self):
        self.held.pop().continue_()

    def close(self):
        """Let a request still held go, then leave the page (its pings stop before the test database is emptied)."""
        while self.held:
            self.release()
        self.page.goto("about:blank")


def _editor(editors, page, client, live_server, hold, without_patch=False):
    draft = definition(
        [section("About the child", [question("short_text", "Name", key="name")], key="about")],
        title="School form",
        publish=False,
    )
    sign_in_to_editor(page, client, live_server)
    if without_patch:  # the page as upstream serves it
        page.route("**/wagtail-autosave-compat.js", serve_empty_script)
    page.add_init_script(RECORDER)
    editor = Editor(page, hold)
    editors.append(editor)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    editor.until(lambda: "watching" in editor.seen, "Wagtail watching for changes")
    return editor


def _save_sent_first(editors, page, client, live_server, without_patch=False):
    """The title changed, then "Save draft" pressed at once; the save is held at the server's door meanwhile."""
    editor = _editor(editors, page, client, live_server, hold="save", without_patch=without_patch)
    # Typed and pressed in one go, as a quick hand does: on a busy machine a typed fill and a click can be a second
    # apart, and the autosave would then start first (the next test's order).
    page.evaluate(TYPED_AND_SAVED, "School form, autumn")
    editor.until(lambda: editor.held, "the save")
    editor.until(lambda: any(s.startswith("autosave") for s in editor.seen), "the autosave the change sets off")
    return editor


def test_no_autosave_leaves_once_the_save_has(editors, live_server, client, page):
    editor = _save_sent_first(editors, page, client, live_server)
    assert editor.seen == ["watching", "submit false", "autosave true"]  # cancelled: upstream sends nothing for it
    editor.release()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    assert editor.sent == ["save"]
    saved = FormDefinition.objects.get()
    assert saved.get_latest_revision_as_object().title == "School form, autumn"


@pytest.mark.parametrize(
    "button, done", [("button.action-save", "updated"), ("button[name=action-publish]", "published")]
)
def test_a_save_pressed_before_the_autosave_leaves_calls_it_off(editors, live_server, client, page, button, done):
    editor = _editor(editors, page, client, live_server, hold="save")
    page.evaluate(PRESSED_AS_THE_AUTOSAVE_STARTS, button)
    editor.until(lambda: editor.held, "the save")
    # The autosave was called off: no request, and the indicator no longer says "Saving…" beside the button (set
    # back before the save goes; its observer hears it after).
    said = ["watching", "autosave false", "indicator saving", "submit true", "submit false", "indicator idle"]
    assert editor.seen == said
    assert editor.sent == ["save"]

    editor.release()
    expect(page.locator(".messages")).to_contain_text(done, timeout=30000)
    assert editor.sent == ["save"]
    saved = FormDefinition.objects.get()
    assert saved.revisions.count() == 1
    assert saved.get_latest_revision_as_object().title == "School form, autumn"
    assert (saved.latest_version() is not None) is ("publish" in button)


@pytest.mark.parametrize("button, done", [("Save draft", "updated"), ("Publish", "published")])
def test_a_save_pressed_while_an_autosave_is_on_its_way_waits_for_its_answer_then_goes_as_pressed(
    editors, live_server, client, page, button, done
):
    editor = _editor(editors, page, client, live_server, hold="autosave")
    page.locator("#id_title").fill("School form, autumn")
    editor.until(lambda: editor.held, "the autosave")
    if button == "Publish":
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name=button, exact=True).click(no_wait_after=True)
    editor.until(lambda: any(s.startswith("submit") for s in editor.seen), "the save")
    # Held back until the autosave's answer.
    assert editor.seen == ["watching", "autosave false", "indicator saving", "submit true"]
    assert editor.sent == ["autosave"]

    editor.release()
    expect(page.locator(".messages")).to_contain_text(done, timeout=30000)
    assert editor.sent == ["autosave", "save"]
    saved = FormDefinition.objects.get()
    # The save is the latest revision: stored after the autosave, with what was on the page.
    assert saved.latest_revision == saved.revisions.order_by("created_at").last()
    assert saved.get_latest_revision_as_object().title == "School form, autumn"
    assert (saved.latest_version() is not None) is (button == "Publish")


def test_upstream_still_sends_an_autosave_after_the_save_without_the_patch(editors, live_server, client, page):
    """When this fails, Wagtail no longer races its own save: wagtail-autosave-compat.js and its line in
    cms.wagtail_hooks.ADMIN_SCRIPTS can go."""
    editor = _save_sent_first(editors, page, client, live_server, without_patch=True)
    editor.until(lambda: "autosave" in editor.sent, "the autosave request")
    assert editor.sent == ["save", "autosave"]
    editor.release()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)


@pytest.fixture
def autosave_held_in_the_view(monkeypatch):
    """An autosave held on the server once its session has been read (by the middleware, before any view), until
    the test lets it go on: (arrived, go_on)."""
    arrived, go_on = threading.Event(), threading.Event()
    post = snippet_views.EditView.post

    def held(view, request, *args, **kwargs):
        if "application/json" in request.headers.get("accept", ""):
            arrived.set()
            go_on.wait(30)
        return post(view, request, *args, **kwargs)

    monkeypatch.setattr(snippet_views.EditView, "post", held)
    yield arrived, go_on
    go_on.set()


def test_the_save_s_message_is_kept_when_an_autosave_that_read_the_session_first_ends_after_the_save(
    editors, live_server, client, page, autosave_held_in_the_view
):
    """Two requests of one session at once (cms/session_backends/): the autosave upstream sends beside a save reads the
    session, the save then stores its "updated" message there for the page it leads to, and the autosave, ending
    last, writes the session back. Django's own engine wrote it whole, as the autosave had read it: the message was
    gone (the test before this one lost it so, by chance, in about 1 run of 20)."""
    arrived, go_on = autosave_held_in_the_view
    autosaves_answered = []
    page.on("requestfinished", lambda request: autosaves_answered.append(request) if _autosave(request) else None)
    editor = _save_sent_first(editors, page, client, live_server, without_patch=True)
    editor.until(arrived.is_set, "the autosave at the server")

    save = editor.held.pop()
    stored = save.fetch(max_redirects=0)  # the save, stored at the server while the autosave waits there
    assert stored.status == 302
    go_on.set()
    editor.until(lambda: autosaves_answered, "the autosave's answer")
    save.fulfill(response=stored)  # on to the page the save leads to, its message read from the session

    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    assert FormDefinition.objects.get().get_latest_revision_as_object().title == "School form, autumn"
