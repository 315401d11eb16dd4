"""Text fields count characters as the browser's character count does: a line break is one, not the two (CR LF) a
textarea sends, and it is kept as one."""

import inspect

import pytest
from django import forms

from advice_forms import record_forms
from advice_forms.admin import casework
from cms.form_fields import GovukTextField
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
