"""Write `make mutate`'s score and its surviving mutants into docs/testing.md, between the generated markers.

    python tests/mutation_report.py docs/testing.md 'portal_pages.access.x_refusal__mutmut_*' ...
    python tests/mutation_report.py --partial docs/testing.md ...   (a run stopped before its end, said so)

The patterns are the mutant names `make mutate` ran; mutmut's results for them (in mutants/) decide the figures.
A mutant counts as killed when a test failed or timed out on it; one that no test covers counts as surviving.
Text outside the markers (the survivors explained) is kept as written.
"""

import fnmatch
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

START, END = "<!-- make mutate: start -->", "<!-- make mutate: end -->"
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
KILLED = {"killed", "timeout", "caught by type check"}


def _results(patterns):
    lines = subprocess.run([MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    for line in lines.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            yield name, status


def _change(name):
    """The mutant's changed lines, from `mutmut show`."""
    shown = subprocess.run([MUTMUT, "show", name], capture_output=True, text=True, check=True).stdout
    return [line for line in shown.splitlines() if line[:1] in "-+" and line[:3] not in ("---", "+++")]


def report(patterns, partial=False) -> str:
    results = dict(_results(patterns))
    unchecked = [name for name, status in results.items() if status in ("not checked", "no tests") and partial]
    if not results or ("not checked" in results.values() and not partial):
        raise SystemExit("mutmut has not checked every mutant: run `make mutate` to the end first")
    total = len(results)
    results = {name: status for name, status in results.items() if name not in unchecked}
    counts = Counter(results.values())
    killed = sum(n for status, n in counts.items() if status in KILLED)
    by_module = Counter(name.split(".x")[0] for name in results)
    scope = f"{killed} of {len(results)} mutants checked so far killed" if partial else f"{killed} of {total} killed"
    lines = [
        START,
        f"Latest run: {date.today():%-d %B %Y}, {os.cpu_count()} cores. "
        f"**{scope} ({100 * killed / len(results):.1f}%).**",
        "",
    ]
    if partial:
        lines += [
            f"This run was stopped before its end: {len(unchecked)} of the {total} mutants are not counted here "
            "(not checked yet, or marked as having no tests by an earlier, interrupted pass).",
            "",
        ]
    lines += [
        "| module | mutants | killed |",
        "| --- | ---: | ---: |",
    ]
    for module in sorted(by_module):
        done = sum(1 for name, s in results.items() if name.split(".x")[0] == module and s in KILLED)
        lines.append(f"| `{module}` | {by_module[module]} | {done} |")
    lines += ["", "Outcomes: " + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) + ".", ""]
    survivors = sorted(name for name, status in results.items() if status not in KILLED)
    lines.append(f"Surviving mutants ({len(survivors)}):" if survivors else "No mutant survived.")
    for name in survivors:
        lines += ["", f"`{name}` ({results[name]})", "```diff", *_change(name), "```"]
    return "\n".join([*lines, END])


def main(*args):
    partial = args[0] == "--partial"
    path, *patterns = args[1:] if partial else args
    page = Path(path)
    text = page.read_text() if page.exists() else f"# Testing\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    page.write_text(head + report(patterns, partial) + tail)


if __name__ == "__main__":
    main(*sys.argv[1:])
