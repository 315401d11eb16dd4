"""Arbitrary strings, numbers and dates into every field type: a valid, JSON-able answer or a clean ValidationError."""

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advice_forms.form_builder import FormBuilder, _to_answer
from tests.factories.advice_forms import definition, dropdown_list, question, section

pytestmark = pytest.mark.django_db

OPTIONS = [{"label": "One", "value": "one"}, {"label": "Two", "value": "two"}]

junk = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0", "-1", "1e400", "٣", "1_000", "\x00", "31", "2", "2026", "one", "SLT", "yes"]),
)
date_parts = st.one_of(
    st.dates().map(lambda d: {"day": str(d.day), "month": str(d.month), "year": str(d.year)}),
    st.fixed_dictionaries({"day": junk, "month": junk, "year": junk}),
)
group_rows = st.lists(
    st.dictionaries(
        st.sampled_from(
            ["team", "type", "outcome", "name", "email", "phone", "whose", "views", "how_gathered", "timescale"]
            + ["text", "number", "money", "date", "choice", "yes_no"]
        ),
        junk,
    ),
    max_size=4,
)


@pytest.fixture
def every_field():
    years = dropdown_list("Years", [("year_1", "Year 1"), ("old", "Old", True)])
    fields = [
        question("short_text", "Short", max_length=50),
        question("long_text", "Long", max_length=500),
        question("number", "Whole", min_value=0, max_value=100),
        question("number", "Decimal", whole_numbers=False),
        question("date", "When", not_in_future=True, earliest="2000-01-01"),
        question("email", "Email"),
        question("phone", "Phone"),
        question("yes_no", "Agreed?"),
        question("single_choice", "Pick", options=OPTIONS),
        question("single_choice", "Year", dropdown_list=years.pk, display="select"),
        question("multiple_choice", "Many", options=OPTIONS),
        question("declaration", "I confirm"),
        question("outcomes", "Outcomes"),
        question("professional_contacts", "Contacts"),
        question("views", "Views"),
        question(
            "table",
            "Table",
            columns=[
                {"label": kind, "key": kind, "kind": kind, "required": kind == "money", "options": OPTIONS}
                for kind in ("text", "number", "money", "date", "choice", "yes_no")
            ],
            min_rows=2,
            max_rows=4,
            total_column="money",
        ),
    ]
    builder = FormBuilder(definition([section("All", fields, key="all")]))
    return builder, builder.form_class_for("all")(answers={})


def test_every_field_type_cleans_to_a_value_or_a_validation_error(every_field):
    builder, form = every_field
    assert len(form.fields) == 16

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def check(data):
        for field in form.fields.values():
            spec = field.spec
            if spec.type == "date":
                value = data.draw(date_parts)
            elif spec.is_group:
                value = data.draw(group_rows)
            elif spec.type == "multiple_choice":
                value = data.draw(st.lists(junk, max_size=3))
            else:
                value = data.draw(junk)
            try:
                cleaned = field.clean(value)
            except ValidationError as error:
                assert error.messages and all(isinstance(m, str) and m for m in error.messages)
                continue
            json.dumps(_to_answer(spec, cleaned))
            builder.display_value(spec, json.loads(json.dumps(_to_answer(spec, cleaned))))

    check()


def test_whole_posted_forms_never_raise(every_field):
    builder, _ = every_field
    form_class = builder.form_class_for("all")
    names = list(form_class.base_fields)

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.dictionaries(
            st.sampled_from(
                names
                + [
                    f"{n}-{p}"
                    for n in names
                    for p in ("day", "month", "year", "rows", "0-team", "0-outcome", "0-money", "0-date-day")
                ]
                + ["row-action"]
            ),
            junk,
        )
    )
    def check(data):
        form = form_class(data=data, answers={})
        if form.is_valid():
            json.dumps(form.answers())
        else:
            assert form.error_summary()
        form.row_action  # noqa: B018 - must not raise either

    check()
