"""cms/static/cms/admin/field-labels.js in a real Chromium: each rich text editor (a field in a panel, a block, a
block's field) is named by its label, a rich text block of a StreamField by its type and place ("Text, block 3 of 5"),
and naming them costs no more on a long form definition than on a short one."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.editor import sign_in_to_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the looks for a field's own label (one a field looked at), from before the page's own scripts run.
COUNT_LABEL_LOOKS = """
(() => {
  window.__labelLooks = 0;
  const querySelector = Element.prototype.querySelector;
  Element.prototype.querySelector = function (selector) {
    if (selector === ":scope > label.w-field__label:not([for])") window.__labelLooks += 1;
    return querySelector.call(this, selector);
  };
})();
"""


NAMED = """(count) => {
  const boxes = [...document.querySelectorAll('[data-contentpath="guidance"] [role="textbox"]')];
  return boxes.length === count && boxes.every(box => {
    const label = document.getElementById(box.getAttribute("aria-labelledby") || "");
    return label && label.textContent.trim() === "Guidance";
  });
}"""


def _open(page, live_server, questions):
    """An editor of two sections (each with its guidance, a rich text field) holding `questions` questions; the
    label looks made until its editors are named."""
    from tests.factories.advice_forms import definition, question, section

    half = questions // 2
    sections = [
        section(f"Part {s}", [question("short_text", f"Question {s}-{n}", key=f"q{s}_{n}") for n in range(half)])
        for s in range(2)
    ]
    draft = definition(sections, title=f"{questions} questions", publish=False)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    # Both sections' guidance editors, each labelled by its field's label (the sections start collapsed).
    page.wait_for_function(NAMED, arg=2, timeout=30_000)
    looks = page.evaluate("window.__labelLooks")
    page.goto("about:blank")
    return looks


def test_rich_text_editors_are_named_by_their_label_looking_at_them_alone_however_long_the_form(
    live_server, home_page, client, page
):
    """Each look at the page went through every field of the form for its label (thousands in a 250-question
    definition, a look each time the page changes); it now starts from the textboxes still without a name."""
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(COUNT_LABEL_LOOKS)
    few = _open(page, live_server, 4)
    many = _open(page, live_server, 40)
    assert many == few, (few, many)


# Each rich text textbox on the page still in the form (a deleted block is kept, hidden, until the page is saved): the
# words of what names it (its aria-labelledby, or its aria-label), or None.
TEXTBOX_NAMES = """() => [...document.querySelectorAll('[role="textbox"][contenteditable="true"]')]
  .filter(box => !box.closest('[aria-hidden="true"]'))
  .map(box => {
    const label = document.getElementById(box.getAttribute("aria-labelledby") || "");
    return label ? label.textContent.trim() : box.getAttribute("aria-label");
  })"""


def test_a_rich_text_field_and_a_rich_text_block_are_named_by_their_labels(
    live_server, home_page, client, page, axe_violations
):
    """A RichTextField in a FieldPanel (the home page's Intro) and a rich text block straight in a StreamField (a
    help page's Text) had textboxes without a name: axe's aria-input-field-name failed on both."""
    from wagtail.rich_text import RichText

    from tests.factories.cms import HelpPageFactory, published

    help_page = published(
        HelpPageFactory(parent=home_page, title="Asking", body=[("text", RichText("<p>Read this.</p>"))])
    )
    sign_in_to_editor(page, client, live_server)
    for edited, names in [(home_page, ["Intro"]), (help_page, ["Text, block 1 of 1"])]:
        page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[edited.pk]))
        page.wait_for_selector('[role="textbox"][contenteditable="true"]')
        with contextlib.suppress(PlaywrightTimeoutError):  # named within a moment, or the assert says which is not
            page.wait_for_function(f"() => ({TEXTBOX_NAMES})().every(Boolean)", timeout=5000)
        assert page.evaluate(TEXTBOX_NAMES) == names
        violations = axe_violations(page, rules=["label", "aria-input-field-name"])
        assert violations == [], axe_violations.describe(violations)


def _names_become(page, names):
    with contextlib.suppress(PlaywrightTimeoutError):  # named again within a moment, or the assert says how
        page.wait_for_function(f"(names) => JSON.stringify(({TEXTBOX_NAMES})()) === JSON.stringify(names)", arg=names)
    assert page.evaluate(TEXTBOX_NAMES) == names


def test_each_rich_text_block_of_a_stream_is_told_apart_by_its_place_as_blocks_move_and_go(
    live_server, home_page, client, page, axe_violations
):
    """Every Text block of a help page's body had the one name "Text": a screen reader user going from box to box
    heard "Text" each time, with nothing to tell which part of the page it was."""
    from wagtail.rich_text import RichText

    from tests.factories.cms import HelpPageFactory, published

    body = [
        ("text", RichText("<p>First part.</p>")),
        ("heading", "Who can ask"),
        ("text", RichText("<p>Second part.</p>")),
        ("inset_text", RichText("<p>An aside.</p>")),
        ("text", RichText("<p>Third part.</p>")),
    ]
    help_page = published(HelpPageFactory(parent=home_page, title="Asking", body=body))
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[help_page.pk]))
    page.wait_for_selector('[role="textbox"][contenteditable="true"]')

    _names_become(page, ["Text, block 1 of 5", "Text, block 3 of 5", "Inset text, block 4 of 5", "Text, block 5 of 5"])
    # The name a screen reader hears, as Chromium computes it.
    expect(page.get_by_role("textbox", name="Text, block 3 of 5", exact=True)).to_contain_text("Second part.")
    violations = axe_violations(page, rules=["aria-input-field-name"])  # (the heading block's box is no rich text)
    assert violations == [], axe_violations.describe(violations)

    blocks = page.locator('[data-contentpath="body"] [data-streamfield-child]')
    # The first Text goes below the heading.
    blocks.nth(0).locator('[data-streamfield-action="MOVE_DOWN"]').first.click()
    _names_become(page, ["Text, block 2 of 5", "Text, block 3 of 5", "Inset text, block 4 of 5", "Text, block 5 of 5"])
    expect(page.get_by_role("textbox", name="Text, block 2 of 5", exact=True)).to_contain_text("First part.")

    heading = page.locator('[data-contentpath="body"] [data-streamfield-child]').nth(0)
    heading.locator('[data-streamfield-action="DELETE"]').first.click()
    _names_become(page, ["Text, block 1 of 4", "Text, block 2 of 4", "Inset text, block 3 of 4", "Text, block 4 of 4"])
    expect(page.get_by_role("textbox", name="Text, block 2 of 4", exact=True)).to_contain_text("Second part.")
