"""The personal-data patterns stay linear in a comment's length, however it was written to defeat them."""

import re

import pytest

from faq import personal_data
from tests.regex_bounds import parsed, unbounded_repeats

PATTERNS = {name: value for name, value in vars(personal_data).items() if isinstance(value, re.Pattern)}
LONGEST_MATCH = 2_000  # characters any one match may span (a school of eight long words: under 1,500)


def test_the_module_has_the_patterns_this_test_reads():
    assert {"_INTRODUCED_NAME", "_SCHOOL", "_EMAIL", "_POSTCODE", "_DATE", "_FULL_NAME"} <= PATTERNS.keys()


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_repeat_in_the_personal_data_patterns_has_a_limit(name):
    """Every repeat is bounded ("{1,40}", not "+"), so a match tried at any one place reads at most a fixed stretch
    of the comment and checking a comment is linear in its length. With "+", a search retried at each of n places
    could read to the end each time: n² steps (10,000 characters of "Aa-Aa-..." took 2.4 s; the feedback report
    checks every comment of every page it lists on each view).

    This checks the patterns' structure rather than timing a long comment: a timing, even with a generous limit
    in a subprocess, is a timing assert that a busy machine can fail or a fast one hide, and says nothing about
    the comments no one thought to try; a bound on every repeat holds for all of them."""
    structure = parsed(PATTERNS[name])
    assert list(unbounded_repeats(structure)) == []
    assert structure.getwidth()[1] <= LONGEST_MATCH
