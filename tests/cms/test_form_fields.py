"""Text fields count characters as the browser's character count does: a line break is one, not the two (CR LF) a
textarea sends, and it is kept as one. A telephone number is read whole, in time that grows with its length."""

import datetime
import inspect

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError

from advice_forms import record_forms
from advice_forms.admin import casework
from advice_forms.admin.casework import DATE_OF_BIRTH_EXAMPLE
from advice_forms.blocks import SETTING_DATE_EXAMPLE
from cms.form_fields import PHONE_CHARACTERS, GovukTextField, PhoneField, date_ahead_example, phone_is_valid
from cms.forms import field_subject
from faq import forms as faq_forms
from portal_pages import forms as portal_forms
from portal_pages.wagtail_hooks import WHEN_EXAMPLE
from tests.regex_bounds import parsed, unbounded_repeats


def test_a_line_break_counts_as_one_character_against_the_limit_and_is_kept_as_one():
    field = GovukTextField(max_length=5)

    assert field.clean("ab\r\ncd") == "ab\ncd"
    assert field.clean("ab\rcd") == "ab\ncd"
    with pytest.raises(forms.ValidationError):
        field.clean("ab\r\ncde")


def _form_classes():
    for module in (faq_forms, record_forms, casework, portal_forms):
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module.__name__:
                yield form_class


def test_every_box_people_type_lines_into_counts_a_line_break_as_one():
    plain = [
        f"{form_class.__name__}.{name}"
        for form_class in _form_classes()
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, forms.Textarea) and not isinstance(field, GovukTextField)
    ]

    assert plain == []


@pytest.mark.parametrize(
    ("label", "subject"),
    [
        ("Account name", "Account name"),
        ("Which language? (optional)", "Which language"),
        ("Which language?", "Which language"),
        ("If it is not in the list: its address", "Its address"),
        ("Phone (optional)", "Phone"),
    ],
)
def test_an_error_names_a_field_by_its_label_without_its_question_mark_or_optional(label, subject):
    assert field_subject(label) == subject


def test_every_one_line_model_field_carries_the_one_line_check_and_writes_it_to_migrations():
    from django.apps import apps

    from cms.form_fields import OneLineCharField, one_line

    fields = [f for model in apps.get_models() for f in model._meta.get_fields() if isinstance(f, OneLineCharField)]
    assert len(fields) >= 7
    assert [f for f in fields if one_line not in f.validators] == []
    assert [f for f in fields if f.deconstruct()[3].get("validators") != [one_line]] == []


def test_a_phone_number_is_checked_whole():
    """ "$" with ``match`` let a final new line through; the form field trims it, a direct call did not."""
    assert phone_is_valid("01632 960 001")
    assert not phone_is_valid("01632 960 001\n")


def test_a_phone_number_is_read_in_time_that_grows_with_its_length():
    """ "1", 30,000 spaces and "y" took 26 s to refuse (the pattern's "+" and "*" tried the spaces against each other:
    quadratic), and a form field read the whole post before its length was checked. Every repeat of the pattern is
    bounded, checked on its structure rather than timed, and a value over the field's length is refused by its length
    alone."""
    assert list(unbounded_repeats(parsed(PHONE_CHARACTERS))) == []
    assert phone_is_valid("+44 (0)1632 960 001 ext. 1234") and phone_is_valid("01632 960 001  x 12")
    field = PhoneField()
    with pytest.raises(ValidationError) as refused:
        field.clean("1" + " " * 30_000 + "y")
    assert refused.value.messages == ["Phone number must be 30 characters or fewer"]


def test_a_phone_number_with_a_character_that_cannot_be_seen_is_not_one():
    """A tab, a line break, a vertical tab or a form feed before an extension passed: the pattern's "\\s" took them
    for the spaces allowed there. The pattern alone refuses them now, whatever the second guard does."""
    assert phone_is_valid("01632 960 001 ext 12") and PHONE_CHARACTERS.fullmatch("01632 960 001 ext 12")
    for hidden in ("\t", "\n", "\r\n", "\x0b", "\x0c"):
        assert not PHONE_CHARACTERS.fullmatch(f"01632 960 001{hidden}ext 12"), repr(hidden)
        assert not phone_is_valid(f"01632 960 001{hidden}ext 12"), repr(hidden)
    # Pinned, not fixed: refused before as well, by the ASCII-only character class.
    assert not phone_is_valid("01632 960 001\u202eext 12")


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (datetime.date(2027, 6, 1), "29/6/2027"),  # 4 weeks ahead, its day over 12
        (datetime.date(2027, 2, 3), "13/3/2027"),  # 3/3/2027 is 4 weeks ahead
        (datetime.date(2026, 12, 6), "13/1/2027"),  # 3/1/2027: 3 January or 1 March?
        (datetime.date(2027, 3, 15), "13/4/2027"),  # 12/4/2027 is 4 weeks ahead
    ],
)
def test_a_date_ahead_example_is_4_weeks_or_more_ahead_and_reads_one_way_only(today, example):
    with time_machine.travel(datetime.datetime(today.year, today.month, today.day, 9, tzinfo=datetime.UTC), tick=False):
        assert date_ahead_example() == example


def test_every_fixed_date_example_reads_one_way_only():
    """A day of 12 or less could be read as the month: 5/12/2026 is 12 May to an American reader."""
    for example in (WHEN_EXAMPLE, DATE_OF_BIRTH_EXAMPLE, SETTING_DATE_EXAMPLE):
        assert int(example.split("/")[0]) >= 13, example
