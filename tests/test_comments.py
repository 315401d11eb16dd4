"""Code and notes say what is, not where it came from: no comment or docstring names one of the project's issues
(its number belongs in a commit message). A cited upstream issue (a full address) is fine."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("cms", "faq", "advice_forms", "portal_pages", "bench", "settings", "tests", "docs")
SUFFIXES = {".py", ".js", ".html", ".scss", ".md"}
# An issue of ours named by its number: the word issue and a number, a number in brackets, or "for" and a number.
ISSUE = re.compile(r"\bissues? #?\d+\b|\(#\d+\)|\bfor #\d+\b", re.IGNORECASE)


def _files():
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in SUFFIXES and "migrations" not in path.parts and "dist" not in path.parts:
                yield path


def test_no_file_names_an_issue_of_ours():
    named = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ISSUE.search(line)
    ]
    assert named == [], "\n".join(named)


def test_every_template_comment_of_one_kind_ends_on_its_line():
    """Django's ``{# … #}`` is a comment only on one line: one that runs on to a second is printed as text on the page
    (the request page's version history showed one to every team account). Longer comments use
    ``{% comment %}``."""
    opened = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _files()
        if path.suffix == ".html"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert opened == [], "\n".join(opened)
