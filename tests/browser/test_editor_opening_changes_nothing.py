"""Opening a published form definition's editor, and changing nothing, stores nothing (cms/draftail.py).

Wagtail's unsaved-changes check copies the form two seconds after the page starts; every later difference counts as
an edit, which the autosave stores as a draft ("Live + Draft" for every editor) and the leave-page warning reports.
Draftail used to write each rich text box again a quarter second after drawing it; on a long form the later boxes
are drawn after that copy. Here the page is held for that long right after the check starts (as drawing a council's
whole form holds it), so every editor is drawn after the copy, every time.
"""

from urllib.parse import parse_qsl

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.editor import open_every_section, sign_in_to_editor
from tests.factories.advice_forms import column, definition, dropdown_list, question, section
from tests.waiting import wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITORS = "[data-draftail-editor-wrapper]"

# The first copy Wagtail takes; the page held as a long form's drawing holds it, once the check has started.
WATCH = """
window.firstCopy = null;
window.addEventListener("w-unsaved:watch-edits", (event) => {
    if (window.firstCopy === null) window.firstCopy = event.detail.initialFormData;
});
window.addEventListener("w-unsaved:ready", () => {
    const until = Date.now() + 2500;
    while (Date.now() < until);
}, {once: true});
"""

# The form's data as Wagtail's check reads it (UnsavedController's formData, comments aside).
FORM_NOW = """() => {
    const data = new FormData(document.querySelector("form[data-controller~='w-unsaved']"));
    ["csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at", "next"]
        .forEach((name) => data.delete(name));
    return new URLSearchParams(data).toString();
}"""

GUIDANCE = (
    '<h3>Before you start</h3><p>Ask the <b>class teacher</b> and the <i>parents</i>, then <a href="https://www.gov.uk/'
    'children-with-special-educational-needs">read the guidance</a>.</p><ul><li>Reports</li><li>Plans</li></ul>'
    "<ol><li>First</li><li><b>Second</b> and <i>third</i></li></ol><h4>If there is none</h4><p>Ask the head’s office."
    '</p><p><b>Side</b><b> by side</b>, <b>bold <i>and</i></b><i> italic</i>, <a href="https://example.org/a">one</a> '
    '<a href="https://example.org/b">two</a> <a href="https://example.org/a">one again</a></p><p> </p>'
    "<ul><li>Nested?<ul><li>Deeper</li></ul></li></ul>"
)


def _definition():
    languages = dropdown_list("Languages", [("english", "English"), ("welsh", "Welsh")])
    at_school = {"match": "all", "rules": [{"field_key": "at_school", "operator": "is", "value": "yes"}]}
    version = definition(
        [
            section(
                "About the child",
                [
                    question("yes_no", "Does the child go to school?", key="at_school"),
                    question("short_text", "Which school?", key="school", condition=at_school),
                    question("single_choice", "Home language", key="language", dropdown_list=languages.pk),
                    question("guidance", "", heading="Who to ask", body=GUIDANCE),
                    question("table", "Schools", key="schools", columns=[column("Name"), column("From", kind="date")]),
                ],
                key="about",
                guidance="<p>What the <b>family</b> told you.</p>",
            ),
            section("School", [question("short_text", "Name of the SENCO", key="senco")], key="school_part"),
            section(
                "Views",
                [question("guidance", "", body="<p></p>"), question("long_text", "Views", key="views")],
                key="views_part",
                condition=at_school,
            ),
        ],
        title="Kestrelford advice",
    )
    return version.definition


def test_opening_a_published_definitions_editor_stores_no_draft(live_server, client, page):
    form = _definition()
    revisions = form.revisions.count()
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(WATCH)
    saves = []
    page.on(
        "request",
        lambda request: saves.append(request.url) if request.method == "POST" and "/edit/" in request.url else None,
    )
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[form.pk]))
    wait_for_script(page, "window.firstCopy !== null", timeout=30000)
    # Sections start collapsed and a box's editor is drawn when its section opens: every one opened, after the copy.
    open_every_section(page, 3)
    expect(page.locator(EDITORS)).to_have_count(5)
    # Past every editor's own save, a few checks, and the autosave's wait after a change.
    page.wait_for_timeout(4000)

    first, now = (
        parse_qsl(page.evaluate("firstCopy"), keep_blank_values=True),
        parse_qsl(page.evaluate(FORM_NOW), keep_blank_values=True),
    )
    changed = sorted({name for name, value in set(first) ^ set(now)})
    page.goto("about:blank")
    form.refresh_from_db()
    # The fields changed since the copy, the autosaves sent, the revisions stored: none.
    assert (changed, saves, form.revisions.count() - revisions) == ([], [], 0)
    assert not form.has_unpublished_changes
