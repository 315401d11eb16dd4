"""Through the admin's own editor: a date question's and a date column's earliest and latest date allowed are typed
as 14/6/2027; a date that is not one (31/02/2027) is refused beside its box and nothing is saved, where the browser's
own date box sent nothing for it and the setting was saved empty (the question then took any date)."""

import datetime

import pytest
from django.urls import reverse

from advice_forms.models import FormDefinition
from bench.definition_post import definition_post_for
from tests.advice_forms.admin.test_form_design import field_errors
from tests.factories.advice_forms import column, definition, question, section

pytestmark = pytest.mark.django_db

EARLIEST = "sections-0-value-fields-0-value-earliest"
COLUMN_LATEST = "sections-0-value-fields-1-value-columns-1-value-latest"


@pytest.fixture
def draft():
    joined = question("date", "Date the child joined", key="joined", earliest="2010-01-01")
    columns = [column("School", key="name"), column("From", "date", key="from", latest="2030-12-31")]
    earlier = question("table", "Earlier schools", key="earlier", item_name="school", columns=columns)
    return definition([section("School", [joined, earlier], key="school")], title="Dates", publish=False)


def edit_url(draft):
    return reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])


def saved_settings(draft):
    stored = FormDefinition.objects.get(pk=draft.pk).get_latest_revision_as_object().sections[0].value["fields"]
    return stored[0].value["earliest"], stored[1].value["columns"][1]["latest"]


def test_a_date_that_is_not_one_is_refused_beside_its_box_and_nothing_is_saved(designer_client, draft):
    designer_client.post(edit_url(draft), definition_post_for(draft))  # a first save: the draft as stored
    before = (draft.revisions.count(), saved_settings(draft))
    data = definition_post_for(draft)
    data[EARLIEST] = "31/02/2027"
    data[COLUMN_LATEST] = "14/6/27"

    response = designer_client.post(edit_url(draft), data)

    assert response.status_code == 200
    fields = field_errors(response)
    assert fields[0]["blockErrors"]["earliest"]["messages"] == ["Enter a real date, like 14/6/2027"]
    latest = fields[1]["blockErrors"]["columns"]["blockErrors"][1]["blockErrors"]["latest"]
    assert latest["messages"] == ["Enter the year as 4 numbers, like 2027"]
    assert (draft.revisions.count(), saved_settings(draft)) == before
    page = response.content.decode()
    assert "The form definition could not be saved due to errors." in page  # above, with "Go to the first error"
    assert "31/02/2027" in page and "14/6/27" in page  # what was typed is shown again, to put right


def test_a_date_typed_day_first_is_saved_as_that_date_and_shown_as_typed(designer_client, draft):
    data = definition_post_for(draft)
    data[EARLIEST] = "14/06/2027"
    data[COLUMN_LATEST] = ""

    response = designer_client.post(edit_url(draft), data)

    assert response.status_code == 302
    assert saved_settings(draft) == (datetime.date(2027, 6, 14), None)
    page = designer_client.get(edit_url(draft)).content.decode()
    assert "14/6/2027" in page and "For example, 14/6/2027" in page
