"""The editor's picker makes an unsaved question's key, and an option's value, in the page exactly as the server
will (check_sections: key_from_label, the place-based fallbacks, _settle_key's numbering, _check_options): the same
definition through the JavaScript (run by Node) and through Python agree, labels in other alphabets included."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from advice_forms.blocks import _unique, check_sections, key_from_label
from tests.factories.advice_forms import definition, question, section

PICKER = Path(__file__).resolve().parents[3] / "advice_forms" / "static" / "advice_forms" / "condition_picker.js"
LABELS = [
    "Date of the last review",
    "  Does the child go to school?  ",
    "Café & crèche — hours",
    "2nd parent's name",
    "___",
    "",
    "Ĳssel: naïve façade",
    "A" * 80 + " tail",
    "Parent/carer 1: language",
    "Parent/carer 1: language",
    "question",
    "   -- e-mail --  ",
]


NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node is not installed")


def _run(script):
    source = PICKER.read_text()
    functions = "\n".join(
        re.search(rf"  function {name}\(.*?\n  }}\n", source, re.S).group(0)
        for name in ("keyFromLabel", "unique", "settleKeys", "optionValues")
    )
    done = subprocess.run([NODE, "-e", functions + script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@needs_node
def test_the_page_makes_the_same_keys_as_the_server():
    in_page = _run(
        "const taken = {}; const out = [];"
        f"for (const label of {json.dumps(LABELS)}) {{ const key = unique(keyFromLabel(label, 'question'), taken);"
        " taken[key] = true; out.push(key); }"
        "process.stdout.write(JSON.stringify(out));"
    )

    taken, on_server = set(), []
    for label in LABELS:
        key = _unique(key_from_label(label), taken)
        taken.add(key)
        on_server.append(key)
    assert in_page == on_server
    assert on_server[8:10] == ["parentcarer_1_language", "parentcarer_1_language_2"]


@needs_node
@pytest.mark.django_db
def test_a_question_or_option_in_another_alphabet_gets_the_key_the_server_gives_it():
    """An Arabic or Cyrillic yes/no question added in the same sitting as a rule using it: the page made the key
    "question" and the option value "question", the server section_1_question_3 and option_1, so the save refused the
    rule ("there is no question with the key “question” before this one")."""
    options = [
        {"label": "نعم"},
        {"label": "Да", "value": "da"},
        {"label": "لا"},
        {"label": "Maybe"},
        {"label": "Other", "value": "option_3"},  # typed: a value made from a place never takes it
    ]
    sections = [
        section(
            "Ваш ребёнок",
            [
                question("guidance", "", body="<p>Read this.</p>"),
                question("short_text", "Name", key="section_1_question_2"),  # typed: reserved
                question("yes_no", "هل يذهب الطفل إلى المدرسة؟"),
                question("single_choice", "Какая школа?", options=options),
                question("short_text", ""),  # no label yet: no key yet
            ],
        ),
        section("???", [question("yes_no", "Да или нет?"), question("short_text", "Name")]),
    ]
    draft = definition(sections, publish=False)
    check_sections(draft.sections)
    on_server = [[f.value.get("key") for f in s.value["fields"] if f.block_type != "guidance"] for s in draft.sections]
    server_options = [o["value"] for o in draft.sections[0].value["fields"][3].value["options"]]

    page_sections = [
        {
            "fields": [
                {"type": f["type"], "label": f["value"]["label"], "typed": f["value"].get("key", "")}
                for f in s["value"]["fields"]
            ]
        }
        for s in sections
    ]
    page_options = [{"label": o["label"], "value": o.get("value", "")} for o in options]
    in_page = _run(
        f"const sections = {json.dumps(page_sections)}; settleKeys(sections);"
        "const keys = sections.map(s => s.fields.filter(q => q.type !== 'guidance').map(q => q.key));"
        f"const values = optionValues({json.dumps(page_options)});"
        "process.stdout.write(JSON.stringify({keys, values}));"
    )

    assert on_server == [
        ["section_1_question_2", "section_1_question_3", "section_1_question_4", ""],
        ["section_2_question_1", "name"],
    ]
    assert server_options == ["option_1", "da", "option_3_2", "maybe", "option_3"]
    assert in_page == {"keys": on_server, "values": server_options}
