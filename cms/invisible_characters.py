"""The one test for characters that cannot be seen in a name: Unicode's controls (category Cc: NUL, BEL, ESC, DEL and
the C1 controls), its format characters (Cf: the bidirectional overrides, embeddings, isolates and marks, the
zero-width space and joiners, the byte order mark, the soft hyphen) and its line and paragraph separators (Zl, Zp).

Such a character changes what a name looks like without being seen: "report", U+202E (the right-to-left override)
and "fdp.exe" read "reportexe.pdf". It imports nothing of ours, so any app may use it.
"""

import unicodedata

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def has_invisible_characters(text: str) -> bool:
    """Whether ``text`` holds a control, format or line-separator character (``INVISIBLE_CATEGORIES``). Spaces, the
    no-break spaces among them, are seen as gaps and pass."""
    return any(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in text)
