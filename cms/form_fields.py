"""Form fields shared by the apps, and the one wording of their format errors. It imports Django alone (and
cms.invisible_characters, which imports nothing), so a module that models import (the form builder) may use it; the
form helpers that need Wagtail are in cms.forms."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags

from cms.invisible_characters import has_invisible_characters

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
# and Unicode's bidirectional overrides LRO and RLO (U+202D, U+202E). Such a text is shown in a heading, a dropdown or
# an email's subject, where a control character is garbage or a forged header, and an override makes the text read in
# another order than it is stored ("Speech \u202etxet" reads "Speech text": "Trojan Source"). The embeddings LRE, RLE
# and their PDF (U+202A-U+202C), the isolates LRI, RLI, FSI and their PDI (U+2066-U+2069) and the marks LRM, RLM and
# ALM are how mixed-direction text is written, and what Word and Outlook put in right-to-left text pasted from them:
# they only set which way a run of letters reads, never reverse what is stored, and an unclosed one ends with its
# paragraph. One-line and multi-line texts take the same rule, as a designer pastes into both. The whitespace-like
# controls (ONE_LINE_SPACES) never reach this check: they are folded into a space first.
DIRECTION_OVERRIDES = "\u202d\u202e"
CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
NOT_ONE_LINE = re.compile(f"[{CONTROLS}{DIRECTION_OVERRIDES}]")
CONTROL = re.compile(f"[{CONTROLS}]")
ONE_LINE_ERROR = "Type the text again: it has a character in it that cannot be seen"
# A multi-line text (a hint, guidance, a description) keeps its line breaks, but an override there reads in another
# order than it is stored as much as in a title.
DIRECTION_OVERRIDE = re.compile(f"[{DIRECTION_OVERRIDES}]")
# What the words before an override shown in its message leave out: the invisible direction characters and marks.
_UNSEEN = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def direction_override_error(text, *, markup=False):
    """The message for the first text direction override in `text`, placed by the few words typed before it (what a
    designer can find: the character itself cannot be seen); None when there is none. `markup`: rich text's source,
    its tags left out of the words."""
    found = DIRECTION_OVERRIDE.search(text)
    if not found:
        return None
    before = text[: found.start()]
    if markup:
        before = strip_tags(before)
    words = _UNSEEN.sub("", before).split()[-4:]
    if not words:
        return "Remove the hidden text-direction character at the start of the text"
    context = " ".join(words)
    if len(context) > 40:
        context = "…" + context[-40:]
    return f"Remove the hidden text-direction character after “{context}”"


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
    breaks: ``no_direction_override`` checks them). A text direction override is named by where it is, as there."""
    if isinstance(value, str) and NOT_ONE_LINE.search(value):
        if CONTROL.search(value):
            raise ValidationError(ONE_LINE_ERROR, code="not_one_line")
        raise ValidationError(direction_override_error(value), code="direction_override")


def no_direction_override(value):
    """The validator of every multi-line text a form designer writes (a hint, guidance, a description), in the admin and
    in an imported form definition file alike: refused when it holds a text direction override, its message saying
    where (``direction_override_error``). Rich text is checked in its source."""
    text = getattr(value, "source", value)
    message = direction_override_error(text, markup=text is not value) if isinstance(text, str) else None
    if message:
        raise ValidationError(message, code="direction_override")


class MultiLineTextField(models.TextField):
    """A model's multi-line text a designer writes: no text direction override (``no_direction_override``). Its check
    is a default validator, so migrations write it as Django's own TextField, which it is in the database."""

    default_validators = [no_direction_override]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class CheckedCharField(models.CharField):
    """A model's text with a check of its own (``validator``) that no declaration can leave out, whose words a NUL
    gets too (``nul_error``: Django's form field refuses a NUL first, in its own words). Written to migrations as
    Django's own CharField, which it is in the database."""

    validator = None
    nul_error = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [self.validator])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["null_characters_not_allowed"] = self.nul_error
        return field

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class OneLineCharField(CheckedCharField):
    """A model's one-line text: folded (``one_line_folded``) before its validators run and stored so."""

    validator = staticmethod(one_line)
    nul_error = ONE_LINE_ERROR

    def to_python(self, value):
        return one_line_folded(super().to_python(value))


# Spaces around "ext" are spaces ("[ ]"): "\s" also took a tab, a line break, a vertical tab or a form feed there.
# Every repeat has an upper limit: with "+" and "*", "1", 30,000 spaces and "y" took 26 s to refuse (the number's
# spaces and the spaces before "ext" tried against each other), before the field's length was checked.
PHONE_CHARACTERS = re.compile(r"[0-9 +()\-]{1,40}(?:[ ]{0,3}(?:ext|x)\.?[ ]{0,3}[0-9]{1,6})?", re.IGNORECASE | re.ASCII)


def phone_is_valid(value) -> bool:
    """The one rule of a telephone number on the site: the portal's phone fields and Portal settings' phone."""
    if has_invisible_characters(value):  # a second guard: PHONE_CHARACTERS already takes no such character
        return False
    digits = re.sub(r"[^0-9]", "", value.split("x")[0].split("X")[0], flags=re.ASCII)
    return bool(PHONE_CHARACTERS.fullmatch(value)) and 10 <= len(digits) <= 15


def phone_number(value):
    """The model validator of a telephone number: the phone field's own rule (``phone_is_valid``), so a row written
    any other way (Portal settings in the admin, an import, the shell) is held to what the portal's forms take."""
    if value and not phone_is_valid(value):
        raise ValidationError(PHONE_FORMAT_ERROR, code="invalid")


# Named by cms migration 0013, which must keep loading: the number's rule was once only "no character that cannot be
# seen"; it is the whole rule now.
phone_characters = phone_number


class PhoneField(forms.CharField):
    """A telephone number; ``invalid`` is its message for one that is not (a form question's names the question)."""

    def __init__(self, *, invalid=PHONE_FORMAT_ERROR, **kwargs):
        kwargs.setdefault("max_length", 30)
        # Django's own "Ensure this value has at most 30 characters (it has 41)" is not said to people.
        too_long = f"Phone number must be {kwargs['max_length']} characters or fewer"
        kwargs["error_messages"] = {"max_length": too_long, **(kwargs.get("error_messages") or {})}
        super().__init__(**kwargs)
        self.invalid = invalid

    def validate(self, value):
        super().validate(value)
        if self.max_length is not None and len(value) > self.max_length:
            return  # too long to be a number: the length's own message says so, and the format is not read
        if value not in self.empty_values and not phone_is_valid(value):
            raise ValidationError(self.invalid, code="invalid")


class PhoneCharField(CheckedCharField):
    """A model's telephone number typed as free text (Portal settings' phone), held to the portal's phone rule."""

    validator = staticmethod(phone_number)
    nul_error = PHONE_FORMAT_ERROR


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


def empty_choice_words(field: forms.ChoiceField, label: str, *, required_error: str = "") -> None:
    """Gives a select's empty choice words ("Select an organisation") where Django writes "---------", and, with
    ``required_error``, says the same kind of thing beside the field when it is required and sent empty. A field
    with no empty choice (a required one with an initial value) gets none. No select of ours shows Django's dashes
    (tests/test_empty_choices.py)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = label
    else:
        field.choices = [(value, label if value in ("", None) else text) for value, text in field.choices]
    if required_error:
        field.error_messages["required"] = required_error


# A date a member of staff types in the admin, as a UK reader writes it: 14/6/2016, 14/06/2016 or 2016-06-14, the year
# as 4 numbers, as GOV.UK asks (a two-digit year read 01/01/30 as 2030 for a date of birth, 1/1/70 as 1970 for a review
# date). One list for every such field (date of birth, due date, review date, the audit log's When): Django's own list
# follows the admin's language, and an American English one would read 5/12/2026 as 12 May.
TYPED_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# The years a typed date may have: "%Y" reads 14/6/0016 as the year 16.
TYPED_YEARS = range(1900, 2101)
# A day and month with a year of 1 to 3 numbers: 01/01/30, 1/1/70.
SHORT_YEAR = re.compile(r"\d{1,2}/\d{1,2}/\d{1,3}")


def not_a_real_date(example: str, thing: str = "") -> str:
    """The one wording of a typed date that is not one (31/02/2016, 'next week'): 'Enter a real date, like
    14/6/2016'; ``thing`` may say which ('start': 'Enter a real start date, like 15/12/2026')."""
    return f"Enter a real {thing + ' ' if thing else ''}date, like {example}"


def typed_date_read(field: forms.DateField, *, example: str, thing: str = "") -> None:
    """Read ``field`` as TYPED_DATE_FORMATS, refusing in ``not_a_real_date``'s words what is not a real date; a year
    typed short (01/01/30, or 14/6/0016: "%Y" takes only 4 numbers, so the year was meant as 16 or 2016) with 'Enter
    the year as 4 numbers, like 2016' (the example's year); and any other year outside TYPED_YEARS (1899, 2150) with
    'Enter a date between 1900 and 2100' (``thing`` as ``not_a_real_date`` takes it), as it is 4 numbers."""
    field.input_formats = TYPED_DATE_FORMATS
    field.error_messages["invalid"] = not_a_real_date(example, thing)
    year = example.rsplit("/", 1)[-1]
    words = f"{thing} date" if thing else "date"
    article = "an" if words[0] in "aeiou" else "a"  # an end date
    outside = f"Enter {article} {words} between {TYPED_YEARS[0]} and {TYPED_YEARS[-1]}"

    short_year = ValidationError(f"Enter the year as 4 numbers, like {year}", code="invalid_year")

    def year_in_range(value):
        if value.year < 1000:
            raise short_year
        if value.year not in TYPED_YEARS:
            raise ValidationError(outside, code="year_outside")

    read = field.to_python

    def to_python(value):
        # A year of 1 to 3 numbers (01/01/30) is not read at all, so is named here rather than as not a real date.
        if isinstance(value, str) and SHORT_YEAR.fullmatch(value.strip()):
            raise short_year
        return read(value)

    field.to_python = to_python  # this form's own copy of the field: every caller sets it up in the form's __init__
    field.validators.append(year_in_range)


def typed_date_text(day: datetime.date) -> str:
    """``day`` as a typed date shows it: 14/6/2016."""
    return f"{day.day}/{day.month}/{day.year}"


def date_ahead_example() -> str:
    """The example of a date that must be today or later (a due date, a review date): the first day at least 4 weeks
    from today whose day of the month is 13 or more, so the hint never gives a date the field refuses, as a fixed
    27/3/2027 would once passed, and its day and month cannot be read the other way round (3/1/2027: 3 January or
    1 March?)."""
    day = timezone.localdate() + datetime.timedelta(weeks=4)
    while day.day < 13:
        day += datetime.timedelta(days=1)
    return typed_date_text(day)


class TypedDateInput(forms.DateInput):
    """A plain text box for a date, GOV.UK's way (the format in the hint), showing a date as 14/6/2016. It replaces
    Wagtail's date picker (AdminDateInput), which on leaving the box replaced anything it could not read as
    2016-06-14 with today's date, so a typed 14/06/2016 was saved as today; and the browser's own date box, which
    sends nothing for 31/02/2016, so the person was told to enter a date they had entered."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return typed_date_text(value)
        return super().format_value(value)


def typed_date(field: forms.DateField, *, example: str, thing: str = "") -> forms.DateField:
    """Make ``field`` a date a person types (TypedDateInput): read as TYPED_DATE_FORMATS, its hint saying the format
    ('For example, 14/6/2016' after any hint it has), and refused in ``not_a_real_date``'s words when it is not a real
    date, its year is not 4 numbers or it is outside 1900 to 2100 (``typed_date_read``). Returns the field."""
    field.widget = TypedDateInput(attrs={key: value for key, value in field.widget.attrs.items() if key != "type"})
    typed_date_read(field, example=example, thing=thing)
    field.help_text = " ".join(filter(None, [str(field.help_text or ""), f"For example, {example}"]))
    return field
