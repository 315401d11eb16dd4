"""The date settings of the form builder (a date question's and a date column's earliest and latest date allowed) are
typed as every date of the admin is (cms.form_fields.typed_date): 14/6/2027 in a plain text box, a date that is not
one refused in words beside it, where the browser's own date box sent nothing for 31/02/2027 and the setting was
saved empty. Stored, written to files and to migrations as Wagtail's DateBlock: an ISO date."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder

from advice_forms.blocks import DateBlock, SettingDateBlock, TableColumnBlock

SETTINGS = {
    "date question, earliest": DateBlock().child_blocks["earliest"],
    "date question, latest": DateBlock().child_blocks["latest"],
    "date column, earliest": TableColumnBlock().child_blocks["earliest"],
    "date column, latest": TableColumnBlock().child_blocks["latest"],
}
JUNE_14 = datetime.date(2027, 6, 14)


@pytest.fixture(params=list(SETTINGS), ids=list(SETTINGS))
def setting(request):
    return SETTINGS[request.param]


@pytest.mark.parametrize("typed", ["14/6/2027", "14/06/2027", " 14/06/2027 ", "2027-06-14"])
def test_a_date_typed_day_first_or_as_iso_is_read_and_stored_as_an_iso_date(setting, typed):
    value = setting.clean(setting.value_from_datadict({"earliest": typed}, {}, "earliest"))
    assert value == JUNE_14
    # The StreamField's JSON (Wagtail's encoder), as Wagtail's DateBlock stores it.
    assert json.dumps(setting.get_prep_value(value), cls=DjangoJSONEncoder) == '"2027-06-14"'
    assert setting.to_python("2027-06-14") == JUNE_14


@pytest.mark.parametrize(
    "typed,message",
    [
        ("31/02/2027", "Enter a real date, like 14/6/2027"),
        ("2027-02-31", "Enter a real date, like 14/6/2027"),
        ("next week", "Enter a real date, like 14/6/2027"),
        ("14/6/27", "Enter the year as 4 numbers, like 2027"),
        ("14/6/2150", "Enter a date between 1900 and 2100"),
    ],
)
def test_what_is_not_a_real_date_is_refused_in_words_not_saved_empty(setting, typed, message):
    with pytest.raises(ValidationError) as refused:
        setting.clean(typed)
    assert refused.value.messages == [message]


def test_left_empty_the_setting_is_none_and_allows_any_date(setting):
    assert setting.clean("") is None
    assert setting.clean(None) is None


def test_a_stored_date_is_shown_as_typed_in_a_plain_text_box_with_the_format_in_its_hint(setting):
    assert setting.get_form_state(JUNE_14) == "14/6/2027"
    assert setting.get_form_state("31/02/2027") == "31/02/2027"  # a refused date is shown again as it was typed
    html = setting.field.widget.render("earliest", JUNE_14)
    assert 'type="text"' in html and 'value="14/6/2027"' in html
    assert setting.field.help_text == "For example, 14/6/2027"


def test_migrations_keep_them_as_wagtails_date_block(setting):
    path, args, kwargs = setting.deconstruct()
    assert path == "wagtail.blocks.DateBlock"
    assert args == () and set(kwargs) == {"required", "label"}
    assert isinstance(setting, SettingDateBlock)
