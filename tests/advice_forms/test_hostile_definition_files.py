"""Hostile form definition files (a penetration test's F2-F4): each is refused with a message that says where and what
to change, in the service, the admin and the command alike, and nothing is stored. Before, a 5,000-digit number, 5,000
nested <b> tags and a lone surrogate in the description each gave a server error; a lone surrogate in a label was
stored, and its form's "Download as JSON" then gave one; and a file of 10,000 questions, or of 100,000 tags of rich
text, held the request for 46 s and 246 s."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from advice_forms import definition_format
from advice_forms.blocks import LARGEST_NUMBER, MoneyBlock, NumberBlock
from advice_forms.definition_format import LIMITS, MAX_RICH_TEXT_CHARACTERS, START_TAG, FileRefused, document_read
from advice_forms.models import FormDefinition, FormKind
from advice_forms.services.definition_files import Lookups, form_definition_export, form_definition_import
from tests.advice_forms.admin.test_definition_files import IMPORT, _upload
from tests.advice_forms.test_definition_files import _counts, _raw, _refused, _small_file

pytestmark = pytest.mark.django_db

BROKEN = (
    "Type the text again: it has a broken character in it (half of an emoji or other character, written \\ud800 to "
    "\\udfff in the file)"
)


def _with(path, value):
    doc = _small_file()
    *parents, last = path
    here = doc
    for part in parents:
        here = here[part]
    here[last] = value
    return doc


def _number(digits):
    """The small file with a short text's max_length of ``digits`` nines, written into the JSON as it stands."""
    doc = _small_file()
    doc["sections"][0]["questions"].append({"kind": "short_text", "label": "Name", "key": "name", "max_length": 7})
    return _raw(doc).replace(b'"max_length": 7', b'"max_length": ' + b"9" * digits)


def _surrogate(path, text="Lone \ud800 half"):
    """The small file with ``text`` at ``path``; json.dumps writes the surrogate as the escape "\\ud800"."""
    return _raw(_with(path, text))


# (the file, the message a refusal includes)
REFUSED_AT_A_PLACE = {
    "a 5,000-digit number": (
        _number(5_000),
        "Section 1 “About you”, question “Name” (name), max_length: a number of 5,000 digits; no setting takes "
        "one of more than 12 digits",
    ),
    "a 13-digit number": (
        _number(13),
        "Section 1 “About you”, question “Name” (name), max_length: a number of 13 digits; no setting takes "
        "one of more than 12 digits",
    ),
    "suggested words beyond a long text's answer": (
        _raw(
            _with(
                ("sections", 0, "questions"),
                [{"kind": "long_text", "label": "Views", "key": "views", "word_guidance": 10_001}],
            )
        ),
        "Section 1 “About you”, question “Views” (views), word_guidance: Ensure this value is less than or "
        "equal to 10000.",
    ),
    "1,000 nested tags in rich text": (
        _raw(_with(("sections", 0, "guidance"), "<p>" + "<b>" * 1_000 + "x" + "</b>" * 1_000 + "</p>")),
        "Section 1 “About you”, guidance: rich text whose tags nest more than 32 levels deep; the editor's "
        "nest fewer than ten",
    ),
    "tags that close others to seem shallow": (
        _raw(_with(("sections", 0, "guidance"), "<p>" + "<b></i>" * 40 + "x</p>")),
        "Section 1 “About you”, guidance: rich text whose tags nest more than 32 levels deep; the editor's "
        "nest fewer than ten",
    ),
    "a lone surrogate in the description": (_surrogate(("description",)), f"description: {BROKEN}"),
    "a lone surrogate in a label": (
        _surrogate(("sections", 0, "questions", 1, "label")),
        f"Section 1 “About you”, question 2 (interpreter), label: {BROKEN}",
    ),
    "a lone surrogate in rich text": (
        _surrogate(("sections", 0, "guidance"), "<p>Lone \udfff half</p>"),
        f"Section 1 “About you”, guidance: {BROKEN}",
    ),
    "a lone surrogate in an option": (
        _surrogate(("dropdown_lists", 0, "options", 1, "label")),
        f"dropdown list 1, option 2, label: {BROKEN}",
    ),
    "a lone surrogate in a Team's name": (_surrogate(("teams", 0, "name")), f"Team 1, name: {BROKEN}"),
    "a lone surrogate where a list was expected": (
        _raw(_small_file(teams={"SLT": "Lone \ud800 half"})),
        f"teams, SLT: {BROKEN}",
    ),
    "a lone surrogate in an entry's name": (
        _raw(_small_file()).replace(b'"kind": "yes_no"', b'"kind": "yes_no", "lab\\ud800el": "x"'),
        f"Section 1 “About you”, question “Interpreter needed?” (interpreter), lab\ufffdel: {BROKEN}",
    ),
}


def _many(name, count):
    """The small file with ``count`` of what LIMITS calls ``name``, each as small as it can be."""
    doc = _small_file()
    questions = doc["sections"][0]["questions"]
    if name == "sections":
        doc["sections"] += [{"title": f"S{n}", "questions": []} for n in range(count - len(doc["sections"]))]
    elif name == "questions":
        doc["sections"][1]["questions"] += [
            {"kind": "yes_no", "label": "Q", "key": f"q{n}"} for n in range(count - len(questions) - 1)
        ]
    elif name == "columns":
        questions[3]["columns"] += [{"label": "C", "key": f"c{n}", "kind": "text"} for n in range(count - 2)]
    elif name == "options":
        doc["dropdown_lists"][0]["options"] += [{"label": f"O{n}", "value": f"o{n}"} for n in range(count - 2)]
    elif name == "rules":
        questions[2]["condition"]["rules"] *= count
    elif name == "dropdown_lists":
        doc["dropdown_lists"] += [{"name": f"L{n}", "options": []} for n in range(count - 1)]
    elif name in ("teams", "types"):
        doc[name] = [{"code": f"T{n}", "name": f"Term {n}"} for n in range(count)]
    elif name in ("tags", "links"):
        tag = '<a linktype="page" id="1">x</a>' if name == "links" else "<i>x</i>"
        have = len(START_TAG.findall(_raw(doc).decode())) if name == "tags" else 0
        texts, rest = divmod(count - have, 500)  # 500 tags a text, well within its characters
        chunks = [500] * texts + [rest]
        doc["sections"] += [{"title": f"S{n}", "questions": [], "guidance": tag * k} for n, k in enumerate(chunks)]
    return doc


@pytest.mark.parametrize("name", list(LIMITS))
def test_a_file_over_a_limit_is_refused_before_it_is_read_and_one_at_it_is_read(name, monkeypatch):
    most, what = LIMITS[name]
    over = _many(name, most + 1)
    read = []
    monkeypatch.setattr(definition_format, "_read_value", lambda *args: read.append(args))
    with pytest.raises(FileRefused) as refused:
        document_read(_raw(over))
    assert refused.value.whole_file
    assert refused.value.messages == [
        f"The file has {most + 1:,} {what}; a form definition file can have at most {most:,}"
    ]
    assert read == []  # refused before any question, section or rich text was read
    # At the limit, the file is read (its other problems, such as a page link on a site without page 1, are the
    # reading's to name).
    monkeypatch.undo()
    document_read(_raw(_many(name, most)))


def test_a_long_rich_text_is_refused_naming_its_place_before_it_is_read(monkeypatch):
    converted = []
    monkeypatch.setattr(definition_format, "_as_the_editor_saves", lambda *args: converted.append(args))
    doc = _with(("sections", 1, "guidance"), "<p>" + "x" * (MAX_RICH_TEXT_CHARACTERS - 7) + "</p>")
    document_read(_raw(doc))
    assert len(converted) == 3  # the text at the limit is read, with the two other rich texts
    converted.clear()
    doc["sections"][1]["guidance"] += " "
    with pytest.raises(FileRefused) as refused:
        document_read(_raw(doc))
    assert refused.value.messages == [
        "Section 2 “Contacts”, guidance: rich text of 20,001 characters; one can have at most 20,000"
    ]
    assert converted == []


def test_the_penetration_tests_810_kb_of_rich_text_is_refused_without_being_converted(monkeypatch):
    """100,000 <b>x</b> in one section's guidance took 246 s to check: Wagtail's converter takes time growing with the
    square of a text's tags."""
    converted = []
    monkeypatch.setattr(definition_format, "_as_the_editor_saves", lambda *args: converted.append(args))
    doc = _with(("sections", 0, "guidance"), "<p>" + "<b>x</b>" * 100_000 + "</p>")
    assert _refused(doc) == [
        "The file has 100,002 tags of rich text; a form definition file can have at most 5,000",
        "Section 1 “About you”, guidance: rich text of 800,007 characters; one can have at most 20,000",
    ]
    assert converted == []


def test_a_pair_of_surrogates_is_a_character_and_imports():
    doc = _with(("sections", 0, "questions", 1, "label"), "Interpreter needed? \U0001f600")
    raw = _raw(doc)
    assert b"\\ud83d\\ude00" in raw  # the emoji as JSON writes it: a pair, each half escaped
    summary = form_definition_import(raw=raw, lookups=Lookups.CREATE)
    fields = summary.definition.get_latest_revision_as_object().sections[0].value["fields"]
    assert fields[1].value["label"] == "Interpreter needed? \U0001f600"


def test_the_penetration_tests_5000_nested_tags_are_refused_without_being_converted(monkeypatch):
    """They raised a RecursionError from the converter."""
    converted = []
    monkeypatch.setattr(definition_format, "_as_the_editor_saves", lambda *args: converted.append(args))
    doc = _with(("sections", 0, "guidance"), "<p>" + "<b>" * 5_000 + "x" + "</b>" * 5_000 + "</p>")
    assert _refused(doc) == [
        "The file has 5,002 tags of rich text; a form definition file can have at most 5,000",
        "Section 1 “About you”, guidance: rich text of 35,008 characters; one can have at most 20,000",
    ]
    assert converted == []


def test_the_penetration_tests_10000_questions_are_refused_before_any_is_read():
    doc = _small_file()
    doc["sections"] = [
        {"title": "S", "questions": [{"kind": "short_text", "label": f"Q {n}", "key": f"q{n}"} for n in range(10_000)]}
    ]
    assert _refused(doc) == ["The file has 10,000 questions; a form definition file can have at most 1,000"]


@pytest.mark.parametrize(("raw", "expected"), list(REFUSED_AT_A_PLACE.values()), ids=list(REFUSED_AT_A_PLACE))
def test_a_hostile_file_is_refused_naming_its_place(raw, expected):
    messages = _refused(raw, Lookups.CREATE)
    assert expected in messages
    # Every message can be shown and written: none carries the broken character itself.
    assert all(message.encode("utf-8") for message in messages)


@pytest.mark.parametrize(("raw", "expected"), list(REFUSED_AT_A_PLACE.values()), ids=list(REFUSED_AT_A_PLACE))
def test_the_admin_shows_the_refusal_of_a_hostile_file(designer_client, raw, expected):
    before = _counts()
    response = designer_client.post(reverse(IMPORT), {"file": _upload(raw), "lookups": "create"})
    assert response.status_code == 200
    assert expected in response.context["form"].errors["file"]
    assert _counts() == before


@pytest.mark.parametrize(("raw", "expected"), list(REFUSED_AT_A_PLACE.values()), ids=list(REFUSED_AT_A_PLACE))
def test_the_command_prints_the_refusal_of_a_hostile_file(raw, expected, tmp_path):
    source = tmp_path / "hostile.json"
    source.write_bytes(raw)
    before = _counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_form_definition", str(source), "--lookups", "create")
    assert f"- {expected}\n" in f"{refused.value}\n"
    assert _counts() == before


def test_the_admin_and_the_command_refuse_a_file_over_the_limits_beside_the_file_field(designer_client, tmp_path):
    raw = _raw(_many("sections", 101))
    message = "The file has 101 sections; a form definition file can have at most 100"
    response = designer_client.post(reverse(IMPORT), {"file": _upload(raw), "lookups": "create"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    source = tmp_path / "big.json"
    source.write_bytes(_raw(_many("questions", 1_001)))
    with pytest.raises(CommandError) as refused:
        call_command("import_form_definition", str(source))
    assert str(refused.value) == (
        "Nothing was created. The file has 1,001 questions; a form definition file can have at most 1,000."
    )
    assert FormDefinition.objects.count() == 0


@pytest.mark.parametrize(
    ("link", "id_"),
    [
        # The link check read the first ">" as the tag's end, and missed a link the converter then looked up.
        ('<a title=">" linktype="page" id="abc">Help</a>', "abc"),
        # It took the first of two ids; the converter takes the last.
        ('<a linktype="page" id="{home}" id="abc">Help</a>', "abc"),
        # A digit Python's int() does not read.
        ('<a linktype="page" id="\u00b2">Help</a>', "\u00b2"),
    ],
)
def test_a_link_the_converter_would_look_up_is_checked_however_it_is_written(home_page, link, id_):
    doc = _with(("sections", 0, "guidance"), "<p>" + link.format(home=home_page.pk) + "</p>")
    assert _refused(doc, Lookups.CREATE) == [
        f"Section 1 “About you”, guidance: a link to a page (id {id_}) that this site does not have; use a full "
        "web address instead"
    ]


@pytest.mark.parametrize(
    ("link", "named"),
    [
        ('<a linktype="page" id="abc">Help</a>', "a page (id abc)"),
        ('<a linktype="page" id="\u00b2">Help</a>', "a page (id \u00b2)"),
        ('<a linktype="document" id="abc">Help</a>', "a document (id abc)"),
    ],
)
def test_a_publish_refused_for_a_link_whose_id_is_no_number_lists_the_clash_of_messages_too(link, named):
    """One round finds both: the clash was not looked for, the guidance's link failing the lookup that draws it."""
    doc = _with(("sections", 0, "guidance"), f"<p>{link}</p>")
    doc["sections"][0]["questions"].insert(
        2, {"kind": "yes_no", "label": "Family interpreter needed?", "key": "family"}
    )
    messages = _refused(doc, Lookups.CREATE, publish=True)
    assert messages[0] == (
        f"Section 1 “About you”, guidance: a link to {named} that this site does not have; use a full web address "
        "instead"
    )
    assert [message.split(", error_message: ")[0] for message in messages[1:]] == [
        "Section 1 “About you”, question “Interpreter needed?” (interpreter)",
        "Section 1 “About you”, question “Family interpreter needed?” (family)",
    ]
    assert all("also says “Select yes or no” when not answered" in message for message in messages[1:])


def test_rich_text_nested_as_deep_as_the_limit_imports_and_one_level_deeper_is_refused():
    nested = "<p>x<br/>" + "<b><i>" * 15 + "<b>x</b>" + "</i></b>" * 15 + "</p>"  # 32 levels
    doc = _with(("sections", 0, "guidance"), nested)
    assert form_definition_import(raw=_raw(doc), lookups=Lookups.CREATE).definition is not None
    doc["sections"][0]["guidance"] = nested.replace("<b>x", "<b><i>x</i>")
    assert _refused(doc, Lookups.CREATE) == [
        "Section 1 “About you”, guidance: rich text whose tags nest more than 32 levels deep; the editor's "
        "nest fewer than ten"
    ]


def test_a_stored_lone_surrogate_downloads_escaped_and_is_named_when_imported_again():
    """Imported before files were refused for them (SQLite kept it), a label's lone surrogate made "Download as JSON"
    a server error: UTF-8 cannot hold it."""
    unsaved = FormDefinition(title="Lone \ud800 half", kind=FormKind.OTHER_ADVICE, version_label="V1", sections=[])
    text = form_definition_export(definition=unsaved)
    assert '"title": "Lone \\ud800 half"' in text
    assert _refused(text.encode("utf-8"), Lookups.CREATE) == [f"title: {BROKEN}"]


@pytest.mark.parametrize("block", [NumberBlock(), MoneyBlock()], ids=["number", "money"])
def test_a_number_or_money_questions_bounds_are_bounded_in_the_admin_as_in_a_file(block):
    block.clean(block.to_python({"label": "Pupils", "min_value": -LARGEST_NUMBER, "max_value": LARGEST_NUMBER}))
    for name, number in (("min_value", -LARGEST_NUMBER - 1), ("max_value", LARGEST_NUMBER + 1)):
        with pytest.raises(ValidationError) as refused:
            block.clean(block.to_python({"label": "Pupils", name: number}))
        assert list(refused.value.block_errors) == [name]
