"""Form fields shared by the apps, and the one wording of their format errors. It imports Django alone, so a module
that models import (the form builder) may use it; the form helpers that need Wagtail are in cms.forms."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

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


# What a one-line text (a title, a label, a name) may not hold: the C0 controls (NUL, BEL...), DEL, the C1 controls,
# and Unicode's bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). Such a text is shown
# in a heading, a dropdown or an email's subject, where a control character is garbage or a forged header, and an
# override makes the text read in another order than it is stored ("Trojan Source"). The marks LRM and RLM, which
# right-to-left writing uses, stay allowed. The whitespace-like ones (ONE_LINE_SPACES) never reach this check: they
# are folded into a space first.
DIRECTION_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
NOT_ONE_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f\u2028\u2029{DIRECTION_OVERRIDES}]")
ONE_LINE_ERROR = "Type the text again: it has a character in it that cannot be seen"
# A multi-line text (a hint, guidance, a description) keeps its line breaks, but an override or isolate there reads in
# another order than it is stored as much as in a title. The marks (LRM U+200E, RLM U+200F, ALM U+061C) stay allowed.
DIRECTION_OVERRIDE = re.compile(f"[{DIRECTION_OVERRIDES}]")

# What a designer cannot see in a one-line text but means as a space: a tab, a line break (CR, LF, NEL, U+2028), a
# vertical tab, a form feed, a paragraph separator (pasting from Word leaves them; a browser's input drops a stored
# line break on the next save). Each run of them and of spaces becomes one space.
ONE_LINE_SPACES = re.compile(r"[ \t\n\r\x0b\x0c\x85\u2028\u2029]+")


def one_line_folded(value):
    """A one-line text with its whitespace-like control characters and runs of spaces as one space, its ends trimmed:
    the one rule of the admin's fields and blocks and of an imported form definition file, before ``one_line``."""
    return ONE_LINE_SPACES.sub(" ", value).strip(" ") if isinstance(value, str) else value


def one_line(value):
    """The validator of every one-line text a form designer writes, in the admin's fields and blocks and in an imported
    form definition file alike, after ``one_line_folded`` (multi-line texts, a hint or guidance, keep their line
    breaks: ``no_direction_override`` checks them)."""
    if isinstance(value, str) and NOT_ONE_LINE.search(value):
        raise ValidationError(ONE_LINE_ERROR, code="not_one_line")


def no_direction_override(value):
    """The validator of every multi-line text a form designer writes (a hint, guidance, a description), in the admin and
    in an imported form definition file alike: refused with one_line's words when it holds a text direction override
    or isolate. Rich text is checked in its source."""
    text = getattr(value, "source", value)
    if isinstance(text, str) and DIRECTION_OVERRIDE.search(text):
        raise ValidationError(ONE_LINE_ERROR, code="direction_override")


class MultiLineTextField(models.TextField):
    """A model's multi-line text a designer writes: no text direction override (``no_direction_override``). Its check
    is a default validator, so migrations write it as Django's own TextField, which it is in the database."""

    default_validators = [no_direction_override]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class OneLineCharField(models.CharField):
    """A model's one-line text: folded (``one_line_folded``) before its validators run and stored so. Written to
    migrations as Django's own CharField, which it is in the database."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [one_line])  # its own, so no declaration can leave it out
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return one_line_folded(super().to_python(value))

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["null_characters_not_allowed"] = ONE_LINE_ERROR  # a NUL, refused by the form first
        return field

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


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
