"""The words of the forms around a child's record (advice_forms.record_forms)."""

import inspect

from django import forms

from advice_forms import record_forms


def test_a_hint_of_two_sentences_ends_as_a_sentence():
    """'… a corrected date of birth. Only the EHC co-ordinator reads this' stopped without its full stop."""
    hints = [
        (name, field_name, field.help_text)
        for name, form in inspect.getmembers(record_forms, inspect.isclass)
        if issubclass(form, forms.BaseForm) and form.__module__ == record_forms.__name__
        for field_name, field in form.base_fields.items()
    ]
    assert hints
    unfinished = [hint for hint in hints if ". " in hint[2] and not hint[2].endswith((".", "?", ")"))]
    assert unfinished == []
