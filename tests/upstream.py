"""Templates of ours that are copies of an upstream one with a few lines changed: what differs, so a test fails when
upstream's changes (copy it again and make the same changes, or drop ours if upstream's now does the same)."""

import difflib
from pathlib import Path


def changed_lines(upstream: Path, ours: Path) -> list[str]:
    """The lines removed (-) and added (+) from upstream's template to ours, each without its indentation."""
    return [
        line[0] + line[1:].strip()
        for line in difflib.unified_diff(upstream.read_text().splitlines(), ours.read_text().splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
