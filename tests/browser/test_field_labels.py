"""cms/static/cms/admin/field-labels.js in a real Chromium: each rich text editor (a field in a panel, a block, a
block's field) is named by its label, a rich text or field block of a StreamField by its type and place ("Text, block 3
of 5", "Heading, block 2 of 5"), a rich text field of a block by its label and its block's place ("Body, Guidance text
(asks nothing), block 8 of 12") or its section's title ("Guidance, section “School”"), an image's, a table's or a
details block's fields by their label and the block's type and place ("Alt text, Image, block 2 of 7"), and naming them
costs no more on a long form definition than on a short one."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.editor import block_holding, open_block, open_every_section, sign_in_to_editor, slid_open
from tests.waiting import wait_for_script

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
  return boxes.length === count
    && boxes.every((box, at) => box.getAttribute("aria-label") === `Guidance, section “Part ${at}”`);
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
    # Both sections' guidance editors, drawn as the sections open, each named by its field's label and its section.
    open_every_section(page, 2)
    wait_for_script(page, NAMED, arg=2, timeout=30_000)
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
            wait_for_script(page, f"() => ({TEXTBOX_NAMES})().every(Boolean)", timeout=5000)
        assert page.evaluate(TEXTBOX_NAMES) == names
        violations = axe_violations(page, rules=["label", "aria-input-field-name"])
        assert violations == [], axe_violations.describe(violations)


def _names_become(page, names):
    with contextlib.suppress(PlaywrightTimeoutError):  # named again within a moment, or the assert says how
        wait_for_script(page, f"(names) => JSON.stringify(({TEXTBOX_NAMES})()) === JSON.stringify(names)", arg=names)
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


# Axe's rules that an element has a name (https://dequeuniversity.com/rules/axe/): run on the editors below.
NAME_RULES = [
    "label",
    "aria-input-field-name",
    "select-name",
    "button-name",
    "link-name",
    "input-button-name",
    "aria-command-name",
    "aria-toggle-field-name",
    "image-alt",
    "svg-img-alt",
    "frame-title",
]


def test_a_field_block_straight_in_a_stream_is_named_by_its_type_and_place(
    live_server, home_page, client, page, axe_violations
):
    """A Heading or Warning text block (a text box straight in a StreamField) had no label at all: axe's "label"
    rule failed on each, and a screen reader read a text box with no name."""
    from wagtail.rich_text import RichText

    from tests.factories.cms import HelpPageFactory, published

    body = [
        ("heading", "Who can ask"),
        ("text", RichText("<p>First part.</p>")),
        ("warning_text", "Ask before the deadline"),
        ("heading", "How to ask"),
        ("details", {"summary": "More", "text": RichText("<p>Detail.</p>")}),
        ("call_to_action", {"text": "Start", "page": None, "url": "https://example.org", "start": False}),
        ("document_link", {"document": None, "title": ""}),
    ]
    help_page = published(HelpPageFactory(parent=home_page, title="Asking", body=body))
    home_page.audiences = [("audience", "SENCOs"), ("audience", "Schools")]
    home_page.save()
    sign_in_to_editor(page, client, live_server)

    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[home_page.pk]))
    expect(page.get_by_role("textbox", name="Who, block 2 of 2", exact=True)).to_have_value("Schools")
    violations = axe_violations(page, rules=NAME_RULES)
    assert violations == [], axe_violations.describe(violations)

    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[help_page.pk]))
    expect(page.get_by_role("textbox", name="Heading, block 4 of 7", exact=True)).to_have_value("How to ask")
    expect(page.get_by_role("textbox", name="Warning text, block 3 of 7", exact=True)).to_have_value(
        "Ask before the deadline"
    )
    # A details block's text is a field of the block: its label, and the block's place.
    expect(page.get_by_role("textbox", name="Text, Details (show and hide), block 5 of 7", exact=True)).to_contain_text(
        "Detail."
    )
    violations = axe_violations(page, rules=NAME_RULES)
    assert violations == [], axe_violations.describe(violations)

    page.locator('[data-contentpath="body"] [data-streamfield-child]').nth(0).locator(
        '[data-streamfield-action="DELETE"]'
    ).first.click()
    expect(page.get_by_role("textbox", name="Heading, block 3 of 6", exact=True)).to_have_value("How to ask")


def test_the_guidance_of_each_section_is_told_apart_by_its_sections_title_or_place_as_sections_move_and_go(
    live_server, home_page, client, page, axe_violations
):
    """Every section's Guidance editor had the one name "Guidance" (and every guidance question's, "Body"): a screen
    reader user going from box to box could not tell which section's guidance was which. Then it was named by the
    section's place alone ("Guidance, Section, block 1 of 3"), which says nothing of the section the designer knows
    by its title: it is named by the title now, and by its place while the title is empty or shared."""
    from tests.factories.advice_forms import column, definition, question, section

    every_kind = [
        question("short_text", "Name", key="name"),
        question("long_text", "Story", key="story"),
        question("number", "Age", key="age"),
        question("date", "Born", key="born"),
        question("yes_no", "At school?", key="at_school"),
        question("single_choice", "Colour", key="colour", options=[{"value": "red", "label": "Red"}]),
        question("declaration", "I agree", key="agree"),
        question("guidance", "", heading="Before you start", body="<p>Have the plan to hand.</p>"),
        question("address", "Home", key="home"),
        question("money", "Cost", key="cost"),
        question("file", "Plan", key="plan"),
        question("table", "Schools", key="schools", columns=[column("Name")]),
    ]
    rule = {"match": "all", "rules": [{"field_key": "at_school", "operator": "is", "value": "yes"}]}
    sections = [
        section("About the child", every_kind, key="about", guidance="<p>Guidance one.</p>"),
        section("School", [question("short_text", "School", key="school")], guidance="<p>Guidance two.</p>"),
        section("School", [question("short_text", "Views", key="views")], condition=rule, guidance="<p>Three.</p>"),
    ]
    draft = definition(sections, title="Every kind", publish=False)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))

    def guidance(name):
        return page.get_by_role("textbox", name=name, exact=True)

    for index in range(3):  # open, so that axe looks at what is inside
        open_block(block_holding(page, f"#sections-{index}-value-title"))
    open_block(block_holding(page, "#sections-2-value-condition-match"))
    expect(guidance("Guidance, section “About the child”")).to_contain_text("Guidance one.")
    # Two sections of one title: their places tell them apart.
    expect(guidance("Guidance, Section, block 2 of 3")).to_contain_text("Guidance two.")
    expect(guidance("Guidance, Section, block 3 of 3")).to_contain_text("Three.")
    expect(guidance("Body, Guidance text (asks nothing), block 8 of 12")).to_contain_text("Have the plan to hand.")
    violations = axe_violations(page, rules=NAME_RULES)
    assert violations == [], axe_violations.describe(violations)

    # The first section goes below the second; then the second (first now: its ids stay as drawn) is deleted.
    block_holding(page, "#sections-0-value-title").locator('[data-streamfield-action="MOVE_DOWN"]').first.click()
    expect(guidance("Guidance, section “About the child”")).to_contain_text("Guidance one.")
    expect(guidance("Guidance, Section, block 1 of 3")).to_contain_text("Guidance two.")
    expect(guidance("Guidance, Section, block 3 of 3")).to_contain_text("Three.")

    block_holding(page, "#sections-1-value-title").locator('[data-streamfield-action="DELETE"]').first.click()
    expect(guidance("Guidance, section “About the child”")).to_contain_text("Guidance one.")
    expect(guidance("Guidance, section “School”")).to_contain_text("Three.")  # its title is its own now

    # The name follows the title as it is typed: its place while it is empty.
    title = page.locator("#sections-0-value-title")
    title.fill("")
    expect(guidance("Guidance, Section, block 1 of 2")).to_contain_text("Guidance one.")
    title.press_sequentially("The child")
    expect(guidance("Guidance, section “The child”")).to_contain_text("Guidance one.")


def test_the_fields_of_image_table_and_details_blocks_are_told_apart_by_their_blocks_type_and_place(
    live_server, home_page, client, page, axe_violations
):
    """Each image's "Alt text" and "Caption", each table's "Table caption" and "Table headers" and each details
    block's "Summary" had the name of its label alone, the same in every such block of the page: a screen reader user
    going from box to box heard "Alt text" twice with nothing to tell which image it was for."""
    from wagtail.rich_text import RichText

    from tests.factories.cms import HelpPageFactory, published

    def table(caption):
        rows = [["Step", "Weeks"], ["Decide", "6"]]
        return {"data": rows, "table_caption": caption, "first_row_is_table_header": True}

    body = [
        ("text", RichText("<p>First part.</p>")),
        ("image", {"image": None, "alt_text": "A form", "caption": "The ERSA"}),
        ("table", table("Timescales")),
        ("details", {"summary": "More about it", "text": RichText("<p>Detail.</p>")}),
        ("image", {"image": None, "alt_text": "A letter", "caption": ""}),
        ("table", table("Contacts")),
        ("details", {"summary": "Who to ask", "text": RichText("<p>Ask us.</p>")}),
    ]
    help_page = published(HelpPageFactory(parent=home_page, title="Asking", body=body))
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[help_page.pk]))

    def box(name, role="textbox"):
        return page.get_by_role(role, name=name, exact=True)

    expect(box("Alt text, Image, block 2 of 7")).to_have_value("A form")
    expect(box("Caption, Image, block 2 of 7")).to_have_value("The ERSA")
    expect(box("Alt text, Image, block 5 of 7")).to_have_value("A letter")
    expect(box("Table caption, Table, block 3 of 7")).to_have_value("Timescales")
    expect(box("Table caption, Table, block 6 of 7")).to_have_value("Contacts")
    expect(box("Table headers, Table, block 6 of 7", role="combobox")).to_be_attached()
    expect(box("Summary, Details (show and hide), block 4 of 7")).to_have_value("More about it")
    expect(box("Summary, Details (show and hide), block 7 of 7")).to_have_value("Who to ask")
    # Handsontable's own clipboard textarea (one for the page, appended to the body) has no name either: not a
    # field of a block, and left to Wagtail's table editor.
    violations = [
        {**v, "nodes": [n for n in v["nodes"] if n != ["#HandsontableCopyPaste"]]}
        for v in axe_violations(page, rules=NAME_RULES)
    ]
    violations = [v for v in violations if v["nodes"]]
    assert violations == [], axe_violations.describe(violations)

    blocks = page.locator('[data-contentpath="body"] [data-streamfield-child]')
    # A copy of the first image: its fields are named where it stands, and the blocks after it move down one place.
    blocks.nth(1).locator('[data-streamfield-action="DUPLICATE"]').first.click()
    slid_open(page, blocks.nth(2))
    expect(box("Alt text, Image, block 3 of 8")).to_have_value("A form")
    expect(box("Alt text, Image, block 2 of 8")).to_have_value("A form")
    expect(box("Table caption, Table, block 4 of 8")).to_have_value("Timescales")
    expect(box("Summary, Details (show and hide), block 8 of 8")).to_have_value("Who to ask")

    blocks.nth(0).locator('[data-streamfield-action="DELETE"]').first.click()
    expect(box("Alt text, Image, block 1 of 7")).to_have_value("A form")
    expect(box("Table caption, Table, block 6 of 7")).to_have_value("Contacts")


# Counts the searches of the whole page for boxes to name (from the document or its root element), from before the
# page's own scripts run.
COUNT_PAGE_SEARCHES = """
(() => {
  window.__pageSearches = 0;
  const count = (original) => function (selector) {
    const whole = this === document || this === document.documentElement || this === document.body;
    if (whole && typeof selector === "string" && selector.includes('[contenteditable="true"]')) {
      window.__pageSearches += 1;
    }
    return original.call(this, selector);
  };
  Document.prototype.querySelectorAll = count(Document.prototype.querySelectorAll);
  Element.prototype.querySelectorAll = count(Element.prototype.querySelectorAll);
})();
"""


def test_a_block_added_or_typed_in_is_named_without_searching_the_whole_page_again(
    live_server, home_page, client, page
):
    """Each change to the page (a block added, moved or deleted; a keystroke that redrew an editor) searched the whole
    page again for boxes to name and named every placed box again: 20-100 ms a look on a 250-question definition's
    editor (docs/performance.md). A look now searches what was added, and names again the places of the streams whose
    blocks changed."""
    from wagtail.rich_text import RichText

    from tests.factories.cms import HelpPageFactory, published

    body = [("text", RichText("<p>First part.</p>")), ("heading", "Who can ask"), ("text", RichText("<p>Last.</p>"))]
    help_page = published(HelpPageFactory(parent=home_page, title="Asking", body=body))
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(COUNT_PAGE_SEARCHES)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[help_page.pk]))
    expect(page.get_by_role("textbox", name="Text, block 3 of 3", exact=True)).to_contain_text("Last.")
    page.wait_for_timeout(500)  # the opening's last look
    page.evaluate("window.__pageSearches = 0")

    first = page.get_by_role("textbox", name="Text, block 1 of 3", exact=True)
    first.click()
    page.keyboard.type(" And more.")
    blocks = page.locator('[data-contentpath="body"] [data-streamfield-child]')
    blocks.nth(0).locator('[data-streamfield-action="DUPLICATE"]').first.click()
    slid_open(page, blocks.nth(1))
    expect(page.get_by_role("textbox", name="Text, block 2 of 4", exact=True)).to_contain_text("First part. And more.")
    expect(page.get_by_role("textbox", name="Heading, block 3 of 4", exact=True)).to_have_value("Who can ask")
    expect(page.get_by_role("textbox", name="Text, block 4 of 4", exact=True)).to_contain_text("Last.")
    assert page.evaluate("window.__pageSearches") == 0


# Counts the searches of the whole page for a label by the id it is for, from before the page's own scripts run.
COUNT_LABEL_FOR_SEARCHES = """
(() => {
  window.__labelForSearches = 0;
  const count = (original) => function (selector) {
    if (typeof selector === "string" && selector.startsWith("label[for")) window.__labelForSearches += 1;
    return original.call(this, selector);
  };
  Document.prototype.querySelector = count(Document.prototype.querySelector);
  Document.prototype.querySelectorAll = count(Document.prototype.querySelectorAll);
})();
"""


def test_the_editors_labels_are_read_from_the_page_once_a_look_not_once_an_editor(live_server, home_page, client, page):
    """Each rich text editor looked for its label in the whole page (label[for=its input]): 9 ms an editor on a
    250-question definition's editor of 81,000 elements, and a section's Guidance has none, so every search went
    through the whole page (docs/performance.md). The labels are now read once a look, when a look needs one."""
    from tests.factories.advice_forms import definition, question, section

    sections = 10
    draft = definition(
        [section(f"Part {s}", [question("short_text", f"Question {s}", key=f"q{s}")]) for s in range(sections)],
        title="Ten sections",
        publish=False,
    )
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(COUNT_LABEL_FOR_SEARCHES)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    open_every_section(page, sections)  # the guidance editors are drawn as their sections open
    wait_for_script(page, NAMED, arg=sections, timeout=30_000)
    page.wait_for_timeout(500)  # the opening's last look
    searches = page.evaluate("window.__labelForSearches")
    assert 1 <= searches <= 3, searches  # one a look that met an editor to name, against one an editor (10)
