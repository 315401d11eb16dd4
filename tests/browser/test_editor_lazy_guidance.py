"""A form definition's rich text boxes (a section's Guidance, a guidance question's Body) are drawn as editors only when
their section is opened (cms/static/cms/admin/lazy-rich-text.js): each Draftail editor made the browser lay out the
whole page as it was drawn, 1.8 s of a 250-question definition's opening for 12 collapsed sections' guidance
(docs/performance.md). What the designer meets is the same: an opened section's guidance is an editor holding its
words, and saving keeps every question and every guidance text, the ones never opened included."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import PANEL_OF_TOGGLE, block_holding, open_block, sign_in_to_editor, slid_open
from tests.factories.advice_forms import definition, question, section
from tests.waiting import wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDANCE = [
    "<p>Ask the <b>class teacher</b> first.</p><ul><li>Reports</li><li>Plans</li></ul>",
    "<p>What the family told you.</p>",
    '<p>Read <a href="https://www.gov.uk/">the guidance</a>.</p>',
    "<ol><li>First</li><li>Second</li></ol>",
]
BODY = "<p>Have the plan to hand.</p>"
EDITORS = "[data-draftail-editor-wrapper]"
FORM_DATA = (
    "() => new URLSearchParams(new FormData(document.querySelector(\"form[data-controller~='w-unsaved']\"))).toString()"
)


def _sections():
    return [
        section(
            f"Part {n}",
            [question("short_text", f"Question {n}-{q}", key=f"q{n}_{q}") for q in range(2)]
            + ([question("guidance", "", heading="Before you start", body=BODY)] if n == 0 else []),
            key=f"part_{n}",
            guidance=words,
        )
        for n, words in enumerate(GUIDANCE)
    ]


def _plain(html):
    """Rich text as stored, without the block keys Wagtail adds as it reads an editor's value."""
    return re.sub(r' data-block-key="[^"]*"', "", html)


def _saved(draft):
    sections = FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections
    return [
        (
            s.value["title"],
            _plain(s.value["guidance"].source),
            [
                (
                    f.block_type,
                    f.value.get("label"),
                    _plain(f.value["body"].source) if f.block_type == "guidance" else "",
                )
                for f in s.value["fields"]
            ],
        )
        for s in sections
    ]


def _guidance_box(page, index):
    return block_holding(page, f"#sections-{index}-value-title").locator(
        '[data-contentpath="guidance"] [role="textbox"]'
    )


def _second_section_in_editor(page, client, live_server, draft):
    """The definition's editor open, its second section's block once Wagtail has made its toggle work."""
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    block = block_holding(page, "#sections-1-value-title")
    expect(block.locator("button.w-panel__toggle").first.locator(PANEL_OF_TOGGLE)).to_have_js_property(
        "collapsibleInitialised", True, timeout=30000
    )
    return block


def test_a_sections_rich_text_is_drawn_once_opened_and_saving_keeps_every_guidance(
    live_server, home_page, client, page
):
    draft = definition(_sections(), title="Kestrelford ERSA", publish=False)
    before = _saved(draft)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    last_toggle = block_holding(page, f"#sections-{len(GUIDANCE) - 1}-value-title").locator("button.w-panel__toggle")
    expect(last_toggle.first.locator(PANEL_OF_TOGGLE)).to_have_js_property(
        "collapsibleInitialised", True, timeout=30000
    )

    # Every section collapsed: no editor drawn, each box's words in the form all the same.
    page.wait_for_timeout(500)
    assert page.locator(EDITORS).count() == 0
    assert page.locator("input[name='sections-1-value-guidance']").input_value() != ""
    as_opened = page.evaluate(FORM_DATA)

    # Opened, a section's guidance is an editor with its words; the other sections' are still not drawn.
    open_block(block_holding(page, "#sections-1-value-title"))
    box = _guidance_box(page, 1)
    expect(box).to_be_visible()
    expect(box).to_have_text("What the family told you.")
    assert page.locator(EDITORS).count() == 1

    # The first section's guidance and its guidance question's body are drawn when it opens.
    open_block(block_holding(page, "#sections-0-value-title"))
    expect(_guidance_box(page, 0)).to_contain_text("class teacher")
    expect(page.locator(f"{EDITORS} [role='textbox']", has_text="Have the plan to hand.")).to_be_visible()
    assert page.locator(EDITORS).count() == 3
    # Drawing an editor is no edit: the form posts what it did (Draftail writes its input a moment after drawing).
    page.wait_for_timeout(1000)
    assert page.evaluate(FORM_DATA) == as_opened

    box.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ask the school too.")
    # Draftail writes its input a moment after the last key, as it always has.
    expect(page.locator("input[name='sections-1-value-guidance']")).to_have_value(re.compile("Ask the school too"))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied

    after = _saved(draft)
    assert after[1][1] == "<p>What the family told you. Ask the school too.</p>"
    after[1] = (after[1][0], before[1][1], after[1][2])
    assert after == before


def test_a_section_duplicated_before_it_was_opened_keeps_its_guidance(live_server, home_page, client, page):
    draft = definition(_sections()[:2], title="Kestrelford ERSA", publish=False)
    block = _second_section_in_editor(page, client, live_server, draft)
    block.locator('[data-streamfield-action="DUPLICATE"]').first.click()
    copy = page.locator("[data-streamfield-child]").filter(has=page.locator("[id$='-value-title']")).nth(2)
    slid_open(page, copy)
    open_block(copy)
    expect(copy.locator('[data-contentpath="guidance"] [role="textbox"]')).to_have_text("What the family told you.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    page.goto("about:blank")

    saved = _saved(draft)
    assert [(title, guidance) for title, guidance, _ in saved] == [
        ("Part 0", GUIDANCE[0]),
        ("Part 1", GUIDANCE[1]),
        ("Part 1", GUIDANCE[1]),
    ]
    assert saved[2][2] == saved[1][2]


# Draftail failing to draw an editor, as it would part way through: its input added, then an error. What that input
# holds ("null", an empty text) would be posted instead of the guidance if it stayed.
FAILING_DRAW = """() => {
    window.draftail.DraftailRichTextArea.prototype.render = function (container, name, id) {
        const input = Object.assign(document.createElement("input"), {type: "hidden", name, id, value: "null"});
        container.appendChild(input);
        window.drawFailed = true;
        throw new Error("The editor could not be drawn");
    };
}"""


def test_a_box_whose_editor_fails_to_draw_keeps_its_guidance_when_saved(live_server, home_page, client, page):
    draft = definition(_sections()[:2], title="Kestrelford ERSA", publish=False)
    before = _saved(draft)
    block = _second_section_in_editor(page, client, live_server, draft)
    page.evaluate(FAILING_DRAW)
    open_block(block)
    wait_for_script(page, "window.drawFailed === true")
    # The box as it was before: its words shown, its stored value posted once.
    shown = block.locator('[data-contentpath="guidance"] .portal-lazy-rich-text').all_text_contents()
    posted = page.locator("input[name='sections-1-value-guidance']").count()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated", timeout=30000)
    page.goto("about:blank")

    assert (_saved(draft), shown, posted) == (before, ["What the family told you."], 1)


# Wagtail setting a box's value before it is drawn, as raw content (FieldBlock.setState).
SET_GUIDANCE = """(text) => {
    const section = document.getElementById("sections-root").rootBlock.children[1].block;
    section.childBlocks.guidance.widget.setState(JSON.stringify({
        blocks: [{key: "a1b2c", text, type: "unstyled", depth: 0, inlineStyleRanges: [], entityRanges: [], data: {}}],
        entityMap: {},
    }));
}"""


def test_a_box_given_new_words_before_it_is_drawn_shows_them(live_server, home_page, client, page):
    draft = definition(_sections()[:2], title="Kestrelford ERSA", publish=False)
    block = _second_section_in_editor(page, client, live_server, draft)
    page.evaluate(SET_GUIDANCE, "Ask the school first.")
    guidance = block.locator('[data-contentpath="guidance"]')
    # Still not drawn: its words as the page holds them are the new ones, as the form posts them.
    assert page.locator(EDITORS).count() == 0
    expect(guidance.locator(".portal-lazy-rich-text")).to_have_text("Ask the school first.")
    expect(page.locator("input[name='sections-1-value-guidance']")).to_have_value(re.compile("Ask the school first"))
    open_block(block)
    expect(_guidance_box(page, 1)).to_have_text("Ask the school first.")
    page.goto("about:blank")
