"""The editor's picker makes an unsaved question's key in the page exactly as the server will (key_from_label and
_settle_key's numbering): the same labels through the JavaScript (run by Node) and through Python agree."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from advice_forms.blocks import _unique, key_from_label

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


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
def test_the_page_makes_the_same_keys_as_the_server():
    source = PICKER.read_text()
    functions = "\n".join(
        re.search(rf"  function {name}\(.*?\n  }}\n", source, re.S).group(0) for name in ("keyFromLabel", "unique")
    )
    script = functions + (
        "const taken = {}; const out = [];"
        f"for (const label of {json.dumps(LABELS)}) {{ const key = unique(keyFromLabel(label), taken);"
        " taken[key] = true; out.push(key); }"
        "process.stdout.write(JSON.stringify(out));"
    )
    in_page = json.loads(subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True).stdout)

    taken, on_server = set(), []
    for label in LABELS:
        key = _unique(key_from_label(label), taken)
        taken.add(key)
        on_server.append(key)
    assert in_page == on_server
    assert on_server[8:10] == ["parentcarer_1_language", "parentcarer_1_language_2"]
