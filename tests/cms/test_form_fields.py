"""Text fields count characters as the browser's character count does: a line break is one, not the two (CR LF) a
textarea sends, and it is kept as one."""

import inspect

import pytest
from django import forms

from advice_forms import record_forms
from advice_forms.admin import casework
from cms.form_fields import GovukTextField
from cms.forms import field_subject
from faq import forms as faq_forms
from portal_pages import forms as portal_forms


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
