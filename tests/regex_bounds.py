"""Whether a regular expression stays linear in its text's length: every repeat has an upper limit ("{1,40}", not
"+"), so a match tried at any one place reads at most a fixed stretch. Checked on the pattern's structure, as the
engine parses it, rather than by timing a long text (a timing assert that a busy machine can fail or a fast one
hide)."""

import re
from re import _constants, _parser  # the parser re.compile itself uses: the patterns as the engine reads them

REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)


def parsed(pattern: re.Pattern | str | bytes, flags: int = 0):
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    return _parser.parse(pattern, flags)


def unbounded_repeats(items):
    """Each repeat with no upper limit ("+", "*", "{2,}") anywhere in a parsed pattern, lookarounds included."""
    for op, arg in items:
        if op in REPEATS:
            low, high, inner = arg
            if high == _constants.MAXREPEAT:
                yield str(inner)
            yield from unbounded_repeats(inner)
        elif op == _constants.SUBPATTERN:
            yield from unbounded_repeats(arg[-1])
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            yield from unbounded_repeats(arg[1])
        elif op == _constants.BRANCH:
            for branch in arg[1]:
                yield from unbounded_repeats(branch)
        elif op == _constants.GROUPREF_EXISTS:
            for branch in arg[1:]:
                if branch is not None:
                    yield from unbounded_repeats(branch)
