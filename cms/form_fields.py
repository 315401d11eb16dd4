"""Form fields shared by the apps, and the one wording of their format errors. It imports Django alone, so a module
that models import (the form builder) may use it; the form helpers that need Wagtail are in cms.forms."""

import re

from django import forms
from django.core.exceptions import ValidationError

EMAIL_EXAMPLE = "name@example.com"


def in_correct_format(thing: str, example: str) -> str:
    """The one wording of a format error, GOV.UK's: 'Enter an email address in the correct format, like
    name@example.com'; ``thing`` may name the question ('the school's email address')."""
    return f"Enter {thing} in the correct format, like {example}"


# Every email field of the site says this when what was typed is not an email address (a question names itself).
EMAIL_FORMAT_ERROR = in_correct_format("an email address", EMAIL_EXAMPLE)

# Ofcom's numbers reserved for drama: a landline, a mobile and one written for dialling from abroad.
PHONE_EXAMPLE = "01632 960 001, 07700 900 982 or +44 808 157 0192"

# Every phone field of the site says this when what was typed is not a telephone number (a question names itself).
PHONE_FORMAT_ERROR = in_correct_format("a telephone number", PHONE_EXAMPLE)


# What a one-line text (a title, a label, a name) may not hold: the C0 controls (line breaks, tab, NUL...), DEL, the
# C1 controls (NEL among them), Unicode's line and paragraph separators, and its bidirectional embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069). Such a text is shown in a heading, a dropdown or an email's subject,
# where a line break is a second line or a forged header, and an override makes the text read in another order than
# it is stored ("Trojan Source"). The marks LRM and RLM, which right-to-left writing uses, stay allowed.
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
ONE_LINE_ERROR = "Write this on one line, without line breaks, tabs or other control characters"


def one_line(value):
    """The validator of every one-line text a form designer writes, in the admin's fields and blocks and in an imported
    form definition file alike (multi-line texts, a hint or guidance, keep their line breaks)."""
    if isinstance(value, str) and NOT_ONE_LINE.search(value):
        raise ValidationError(ONE_LINE_ERROR, code="not_one_line")


def line_breaks_normalised(text: str) -> str:
    """Each line break as one line feed (LF): a browser sends a textarea's line breaks as CR LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class GovukTextField(forms.CharField):
    """A text field whose ``max_length`` counts a line break as one character, as GOV.UK's character count and the
    browser's own limit do, and whose value keeps each line break as one LF. Django's CharField counts the CR LF a
    textarea sends as two, so a text the page accepted at its limit was refused. Every text field with a limit
    that people type into uses it."""

    def to_python(self, value):
        value = super().to_python(value)
        return line_breaks_normalised(value) if isinstance(value, str) else value
