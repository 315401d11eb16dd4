"""The form-definition editor in a real Chromium: a condition is picked from the earlier questions by their labels
and from the chosen question's options, for a question added in the same sitting (its key made from its label in
the page, as the server makes it); the rule is stored with the right key and value; renaming the key the condition
uses is then refused, naming the condition; the editor passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from advice_forms.models import FormDefinition
from tests.browser.editor import block_holding, chooser_shown, open_block, sign_in_to_editor, slid_open
from tests.waiting import next_document, wait_for, wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "#sections-0-value-fields-0-value"
SECOND = "#sections-0-value-fields-1-value"


def _insert(page, container, kind=None):
    """Insert a block at the end of a stream, as the designer does: its last "Insert a block", then the kind."""
    blocks = container.locator("[data-streamfield-child]")
    before = blocks.count()
    container.locator('button[title="Insert a block"]').last.click()
    if kind:  # a stream of one block type inserts it at once
        chooser_shown(page)
        page.get_by_role("option", name=kind, exact=True).click()
    expect(blocks).not_to_have_count(before)
    slid_open(page, blocks.last)


def _new_form(page, client, live_server, title, section_title):
    """A new form definition in the editor, signed in, with one section titled: its stream of questions."""
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:add"))
    page.locator("#id_title").fill(title)
    page.locator("#id_kind").select_option("other_advice")  # no default: chosen before the first save
    page.locator("#id_version_label").fill("V1")
    _insert(page, page.locator('[data-contentpath="sections"]'))
    page.locator("#sections-0-value-title").fill(section_title)
    return page.locator('[data-contentpath="fields"]').first


def _add_choice(page, fields, block, label, option_labels):
    """A single choice question at the end of `fields` (its inputs' ids start `block`), its options' values left
    blank (the server makes them)."""
    _insert(page, fields, "Single choice")
    page.locator(f"{block}-label").fill(label)
    options = block_holding(page, f"{block}-label").locator('[data-contentpath="options"]')
    for number, option_label in enumerate(option_labels):
        options.locator("button[data-streamfield-list-add]").last.click()
        option = page.locator(f"{block}-options-{number}-value-label")
        slid_open(page, option)
        option.fill(option_label)


def _short_text_with_a_rule(page, fields, block, label):
    """A short text question at the end of `fields` (its inputs' ids start `block`), labelled, its condition opened
    and given a first rule, slid open: the condition."""
    _insert(page, fields, "Short text")
    page.locator(f"{block}-label").fill(label)
    condition = block_holding(page, f"{block}-label").locator('[data-contentpath="condition"]').first
    open_block(condition)
    condition.locator('[data-contentpath="rules"] button[data-streamfield-list-add]').last.click()
    slid_open(page, condition.locator('[data-contentpath="rules"] [data-streamfield-child]').last)
    return condition


def _stored_rules():
    definition = FormDefinition.objects.first()
    if definition is None:
        return None
    latest = definition.get_latest_revision_as_object()
    return [dict(rule) for rule in latest.sections[0].value["fields"][1].value["condition"]["rules"]]


def test_a_condition_is_picked_by_label_before_any_save_and_a_rename_it_uses_is_refused(
    live_server, home_page, client, page, axe_violations
):
    fields = _new_form(page, client, live_server, "School form", "About the child")

    # The first question: a single choice with its own options, values left blank (made from the labels).
    _add_choice(page, fields, FIRST, "Where does the child learn?", ["Mainstream school", "Special school"])
    # The key the server will give it, shown in the empty key box before any save.
    expect(page.locator(f"{FIRST}-key")).to_have_attribute("placeholder", "where_does_the_child_learn")

    # The second question, added without saving, shows only when the first is "Special school".
    condition = _short_text_with_a_rule(page, fields, SECOND, "Which special school?")
    question = condition.get_by_label("The answer to the question", exact=True)
    expect(question.locator("option")).to_have_text(["Choose a question", "Where does the child learn?"])
    question.focus()
    page.keyboard.press("ArrowDown")  # a native list: the keyboard picks as well as the mouse
    expect(question).to_have_value("where_does_the_child_learn")
    answer = condition.get_by_label("Answer", exact=True)
    expect(answer.locator("option")).to_have_text(["Choose an answer", "Mainstream school", "Special school"])
    answer.select_option(label="Special school")
    # No raw key is typed anywhere: the stored boxes are hidden and filled by the lists.
    assert page.locator(f'input[name="{SECOND[1:]}-condition-rules-0-value-field_key"]').get_attribute("type") == (
        "hidden"
    )

    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    page.get_by_role("button", name="Save draft").click()
    rules = wait_for(_stored_rules)
    assert [(r["field_key"], r["operator"], r["value"]) for r in rules] == [
        ("where_does_the_child_learn", "is", "special_school")
    ]

    # The saved page shows the picked question and answer by their labels again.
    page.wait_for_url("**/edit/**")
    page.reload()
    open_block(block_holding(page, "#sections-0-value-title"))  # sections start collapsed
    condition = block_holding(page, f"{SECOND}-label").locator('[data-contentpath="condition"]').first
    open_block(condition)
    question = condition.get_by_label("The answer to the question", exact=True)
    expect(question.locator("option:checked")).to_have_text("Where does the child learn?")
    expect(condition.get_by_label("Answer", exact=True).locator("option:checked")).to_have_text("Special school")

    # Renaming the key that the condition uses is refused, naming the condition; nothing is stored.
    page.locator(f"{FIRST}-key").fill("school_kind")
    page.get_by_role("button", name="Save draft").click()
    named = (
        "Section “About the child”, question “Which special school?” shows only when “Where does the child learn?” "
        "is “Special school”: it uses this question's key “where_does_the_child_learn”, so the key cannot change."
    )
    expect(page.get_by_text(named)).to_be_visible(timeout=15000)
    assert _stored_rules()[0]["field_key"] == "where_does_the_child_learn"
    first = FormDefinition.objects.get().get_latest_revision_as_object().sections[0].value["fields"][0]
    assert first.value["key"] == "where_does_the_child_learn"
    # The refused page keeps what was typed, and its lists: putting the key back is picked up at once.
    expect(page.locator(f"{FIRST}-key")).to_have_value("school_kind")
    condition = block_holding(page, f"{SECOND}-label").locator('[data-contentpath="condition"]').first
    open_block(condition)
    answer = condition.get_by_label("Answer", exact=True)
    expect(answer).to_have_value("special_school")
    page.locator(f"{FIRST}-key").fill("where_does_the_child_learn")
    expect(condition.get_by_label("The answer to the question", exact=True).locator("option:checked")).to_have_text(
        "Where does the child learn?"
    )
    expect(answer.locator("option:checked")).to_have_text("Special school")
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied


def test_the_side_panel_preview_shows_every_question_with_its_conditions_in_the_designers_words(
    live_server, home_page, client, page
):
    from tests.factories.advice_forms import definition, school_form_sections

    draft = definition(school_form_sections(), title="School form", publish=False)
    sign_in_to_editor(page, client, live_server)
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "frame" in msg.text.lower() else None)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    page.locator('[data-side-panel-toggle="preview"]').click()

    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_role("heading", level=1, name="School form")).to_be_visible(timeout=15000)
    # Every question shows before any answer, each conditional one with a note in the designer's words: the one in
    # the reveal under "Yes", and the one on another step, which no answer in the preview could open.
    for label in ("Which school?", "Name of the SENCO"):
        note = f"Professionals see “{label}” only when your answer to “Does the child go to school?” is “Yes”."
        expect(frame.get_by_text(note)).to_be_visible()
        expect(frame.get_by_label(label)).to_be_visible()
    frame.get_by_label("No", exact=True).check()  # an answer closes nothing: the preview is not the wizard
    expect(frame.get_by_label("Which school?")).to_be_visible()
    assert refused == []
    page.goto("about:blank")  # stop the preview's refreshes before the test database is emptied


def test_a_step_is_shown_for_several_options_of_a_dropdown_list_picked_from_the_list(
    live_server, home_page, client, page, axe_violations
):
    from tests.factories.advice_forms import DropdownListFactory, definition, question, section

    languages = DropdownListFactory(name="Languages")
    for label, value in (("English", "en"), ("Polish", "pl"), ("British Sign Language", "bsl")):
        languages.options.create(label=label, value=value)
    languages.save()
    draft = definition(
        [
            section(
                "Family",
                [question("single_choice", "Home language", key="home_language", dropdown_list=languages.pk)],
                key="family",
            ),
            section("Interpreter", [question("short_text", "Interpreter's name", key="interpreter")], key="interp"),
        ],
        title="Family form",
        publish=False,
    )
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    step = block_holding(page, "#sections-1-value-title")
    open_block(step)
    condition = step.locator('[data-contentpath="condition"]').first
    open_block(condition)
    condition.locator('[data-contentpath="rules"] button[data-streamfield-list-add]').first.click()
    slid_open(page, condition.locator('[data-contentpath="rules"] [data-streamfield-child]').last)
    condition.get_by_label("The answer to the question", exact=True).select_option(label="Home language")
    page.locator("#sections-1-value-condition-rules-0-value-operator").select_option("is_one_of")
    answer = condition.get_by_label("Answer", exact=True)
    # The list's options come from the editor's options address: on a busy machine that answer can take a while.
    expect(answer).to_have_attribute("multiple", "", timeout=30_000)
    expect(answer.locator("option")).to_have_text(["English", "Polish", "British Sign Language"], timeout=30_000)
    answer.select_option(label=["Polish", "British Sign Language"])
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)

    next_document(page, page.get_by_role("button", name="Save draft").click)

    def stored():
        saved = FormDefinition.objects.get().get_latest_revision_as_object()
        rules = saved.sections[1].value["condition"]["rules"]
        return [(r["field_key"], r["operator"], r["value"]) for r in rules]

    assert wait_for(stored) == [("home_language", "is_one_of", "pl, bsl")]
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied


# Counts the form's reads of the stream's "-deleted" inputs (each the whole form's blocks) and of its rule boxes (one a
# look at the page), from before the page's own scripts run.
COUNT_READS = """
(() => {
  const original = Element.prototype.querySelectorAll;
  window.__reads = { stream: 0, rules: 0 };
  Element.prototype.querySelectorAll = function (selector) {
    if (this instanceof HTMLFormElement && typeof selector === "string") {
      if (selector.includes('name$="-deleted"]')) window.__reads.stream += 1;
      if (selector.includes('name$="-value-field_key"]')) window.__reads.rules += 1;
    }
    return original.call(this, selector);
  };
})();
"""


def test_the_picker_reads_the_streams_inputs_once_for_the_whole_form_not_once_a_section(
    live_server, home_page, client, page
):
    """A 250-question definition's editor spent 0.6-1 s of its opening in the picker reading every input of the
    stream once per section. Each look at the page (the opening, then each refresh) now reads them once."""
    from tests.factories.advice_forms import definition, question, section

    sections = [
        section(f"Part {n}", [question("yes_no", f"Question {n}?", key=f"q{n}")], key=f"part{n}") for n in range(8)
    ]
    draft = definition(sections, title="Long form", publish=False)
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(COUNT_READS)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    wait_for_script(page, "window.__reads && window.__reads.rules > 0")  # the picker has opened and looked once

    reads = page.evaluate("window.__reads")
    # One read for the keys saved when the page was drawn, then one a look at the page: 8 sections make no more.
    assert reads["stream"] <= reads["rules"] + 1, reads
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied


# Counts the picker's searches of the whole form for one control or label (a name asked of the form's controls, a
# label looked for in the whole form), from before the page's own scripts run.
COUNT_SEARCHES = """
(() => {
  window.__searches = { names: 0, labels: 0 };
  const namedItem = HTMLFormControlsCollection.prototype.namedItem;
  HTMLFormControlsCollection.prototype.namedItem = function (name) {
    window.__searches.names += 1;
    return namedItem.call(this, name);
  };
  const querySelector = Element.prototype.querySelector;
  Element.prototype.querySelector = function (selector) {
    if (this instanceof HTMLFormElement && typeof selector === "string" && selector.startsWith("label[for=")) {
      window.__searches.labels += 1;
    }
    return querySelector.call(this, selector);
  };
})();
"""


def _searches_on_opening(page, live_server, questions):
    """The picker's whole-form searches while it opens an editor of `questions` yes/no questions, each but the first
    shown only when the one before it is "Yes" (one rule each)."""
    from tests.factories.advice_forms import definition, question, section

    fields = [question("yes_no", "Question 0?", key="q0")]
    for n in range(1, questions):
        rule = {"field_key": f"q{n - 1}", "operator": "is", "value": "yes"}
        fields.append(question("yes_no", f"Question {n}?", key=f"q{n}", condition={"match": "all", "rules": [rule]}))
    draft = definition([section("Part 1", fields, key="part1")], title=f"{questions} questions", publish=False)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    pickers = page.locator("select.advice-picker")
    expect(pickers).to_have_count(2 * (questions - 1), timeout=30_000)  # a question list and an answer list a rule
    expect(pickers.last.locator("option")).to_have_text(["Choose an answer", "Yes", "No"])  # the opening's look ended
    searches = page.evaluate("window.__searches")
    page.goto("about:blank")
    return searches


def test_opening_the_editor_searches_the_whole_form_no_more_for_many_rules_than_for_few(
    live_server, home_page, client, page
):
    """The picker asked the form for each control by name (a walk over all its controls each time the page had
    changed, and the picker changes it as it adds its lists) and looked for each rule's labels in the whole form: a
    250-question definition's editor spent 3-5 s of its opening there. A look at the page now walks the controls
    once, and finds a rule's labels in the rule's own block."""
    sign_in_to_editor(page, client, live_server)
    page.add_init_script(COUNT_SEARCHES)
    few = _searches_on_opening(page, live_server, 3)
    many = _searches_on_opening(page, live_server, 12)
    assert many == few, (few, many)


def test_a_look_at_the_page_writes_nothing_to_the_lists_when_nothing_they_show_changed(
    live_server, home_page, client, page
):
    """Each look at the page (one after each keystroke) wrote every list option's question id and each answer list's
    size again, unchanged: 3,687 attribute changes a keystroke in a 250-question definition, each handled by every
    observer of the page. Nothing is written now unless it changes."""
    from tests.factories.advice_forms import definition, question, section

    rule = {"field_key": "q0", "operator": "is", "value": "yes"}
    fields = [question("yes_no", "Question 0?", key="q0")]
    fields += [
        question("yes_no", f"Question {n}?", key=f"q{n}", condition={"match": "all", "rules": [rule]}) for n in (1, 2)
    ]
    fields.append(question("short_text", "Unkeyed question"))  # its key box shows the key made from its label
    draft = definition([section("Part 1", fields, key="part1")], title="Small form", publish=False)
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk]))
    unkeyed = page.locator("#sections-0-value-fields-3-value-key")
    expect(unkeyed).to_have_attribute("placeholder", "unkeyed_question", timeout=30_000)
    page.evaluate(
        """() => {
          window.__writes = [];
          new MutationObserver(records => records.forEach(r => {
            if (r.target.closest && r.target.closest(".advice-picker")) window.__writes.push(r.attributeName);
          })).observe(document.body, { subtree: true, attributes: true });
        }"""
    )
    open_block(block_holding(page, "#sections-0-value-title"))
    page.locator("#sections-0-value-fields-3-value-label").fill("Unkeyed question renamed")
    expect(unkeyed).to_have_attribute("placeholder", "unkeyed_question_renamed")  # the picker has looked again
    assert page.evaluate("window.__writes") == []
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied


def test_a_question_labelled_in_another_alphabet_is_picked_before_any_save_by_the_key_the_server_gives_it(
    live_server, home_page, client, page
):
    """An Arabic choice question and a rule using it, in one sitting: the page made its key "question" and its
    options' values "question", the server section_1_question_2 and option_1, option_2, so the save was refused."""
    fields = _new_form(page, client, live_server, "نموذج المدرسة", "عن الطفل")
    _insert(page, fields, "Short text")
    page.locator(f"{FIRST}-label").fill("الاسم")
    _add_choice(page, fields, SECOND, "هل يذهب الطفل إلى المدرسة؟", ["نعم", "لا"])
    expect(page.locator(f"{SECOND}-key")).to_have_attribute("placeholder", "section_1_question_2")

    condition = _short_text_with_a_rule(page, fields, "#sections-0-value-fields-2-value", "أي مدرسة؟")
    condition.get_by_label("The answer to the question", exact=True).select_option(label="هل يذهب الطفل إلى المدرسة؟")
    answer = condition.get_by_label("Answer", exact=True)
    expect(answer.locator("option")).to_have_text(["Choose an answer", "نعم", "لا"])
    answer.select_option(label="نعم")

    page.get_by_role("button", name="Save draft").click()

    def stored():
        definition = FormDefinition.objects.first()
        if definition is None:
            return None
        fields = definition.get_latest_revision_as_object().sections[0].value["fields"]
        return [dict(rule) for rule in fields[2].value["condition"]["rules"]], fields[1].value

    rules, choice = wait_for(stored)
    assert [(r["field_key"], r["operator"], r["value"]) for r in rules] == [("section_1_question_2", "is", "option_1")]
    assert choice["key"] == "section_1_question_2"
    assert [o["value"] for o in choice["options"]] == ["option_1", "option_2"]
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
