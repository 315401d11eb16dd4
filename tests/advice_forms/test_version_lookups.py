"""A published version freezes what its questions read from elsewhere (dropdown options, Team and Type, guidance):
a list changed after publishing changes neither a pinned request's questions nor an old submission's words or PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advice_forms.form_builder import FormBuilder
from advice_forms.models import DropdownOption, FormDefinition, FormDefinitionVersion
from advice_forms.pdf import advice_pdf
from advice_forms.services.definitions import form_definition_publish
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    definition,
    dropdown_list,
    need_type,
    question,
    section,
    team,
)
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


def years_form(years, *, publish=True):
    return definition(
        [
            section(
                "About the child",
                [
                    question("single_choice", "Year group", key="year", dropdown_list=years.pk),
                    question("outcomes", "Outcomes", key="outcomes", required=False, max_rows=5),
                ],
                key="about",
                guidance="<p>Answer from your own records.</p>",
            )
        ],
        title="Frozen lists",
        publish=publish,
    )


@pytest.fixture
def years():
    return dropdown_list("Years", [("year_1", "Year 1"), ("year_2", "Year 2")])


def test_publishing_freezes_the_options_terms_and_guidance_a_version_uses(years):
    team("SLT", "Speech and Language Therapy")
    need_type("Comms", "Communication and interaction")
    v1 = years_form(years)
    lookups = FormDefinitionVersion.objects.get(pk=v1.pk).lookups
    assert lookups["dropdown_lists"] == {str(years.pk): [["year_1", "Year 1", False], ["year_2", "Year 2", False]]}
    assert ["SLT", "Speech and Language Therapy", True] in lookups["teams"]
    assert ["Comms", "Communication and interaction", True] in lookups["types"]
    assert list(lookups["guidance"].values()) == ["<p>Answer from your own records.</p>"]


def test_an_option_added_after_publishing_is_not_offered_on_a_version_1_request(verified_client, professional, years):
    v1 = years_form(years)
    DropdownOption.objects.create(dropdown_list=years, value="year_3", label="Year 3", sort_order=2)
    advice_request = AdviceRequestFactory(account=professional, form_version=v1)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "about"})
    page = verified_client.get(step).content.decode()
    assert "Year 2" in page and "Year 3" not in page
    assert "Answer from your own records." in page
    refused = verified_client.post(step, {"year": "year_3", "outcomes-rows": "0", "action": "continue"})
    assert refused.status_code == 200 and "Select the year group" in refused.content.decode()

    # Version 2, published after the change, offers it.
    definition_ = FormDefinition.objects.get(pk=v1.definition_id)
    definition_.version_label = "V2"
    v2 = form_definition_publish(definition=definition_)
    assert ("year_3", "Year 3") in FormBuilder(v2).option_choices(FormBuilder(v2).section("about").fields[0])


def test_renamed_or_retired_options_and_terms_read_back_as_they_were_on_old_submissions(years):
    team("SLT", "Speech and Language Therapy")
    need_type("Comms", "Communication and interaction")
    v1 = years_form(years)
    answers = {
        "about": {
            "year": "year_1",
            "outcomes": [
                {"team": "SLT", "type": "Comms", "outcome": "Asks for help", "provision": "", "timescale": ""}
            ],
        }
    }
    before = pdf_text(advice_pdf(version=v1, answers=answers, preview=False))

    DropdownOption.objects.filter(value="year_1").update(label="Reception year", retired=True)
    team("SLT", "Speech Therapy Service", active=False)
    team("PLAY", "Play therapy")

    v1 = FormDefinitionVersion.objects.get(pk=v1.pk)
    builder = FormBuilder(v1)
    rows = builder.summary(answers)[0].rows
    assert rows[0].value == "Year 1"
    assert rows[1].value[0][:2] == [
        ("Team", "Speech and Language Therapy"),
        ("Type", "Communication and interaction"),
    ]
    outcomes = builder.form_class_for("about")(answers={}).fields["outcomes"]
    codes = [code for code, _name in outcomes.subfields["team"].choices]
    assert "SLT" in codes and "PLAY" not in codes  # still offered as at publish; the new Team came later
    after = pdf_text(advice_pdf(version=v1, answers=answers, preview=False))
    assert "Year 1" in after and "Reception year" not in after and "Speech Therapy Service" not in after
    assert after.split("Generated")[0] == before.split("Generated")[0]


def test_a_draft_preview_reads_the_live_lists(years):
    draft = years_form(years, publish=False)
    DropdownOption.objects.create(dropdown_list=years, value="year_3", label="Year 3", sort_order=2)
    builder = FormBuilder.from_definition(draft)
    assert ("year_3", "Year 3") in builder.option_choices(builder.section("about").fields[0])


def test_a_list_emptied_after_publishing_is_refused_at_the_next_publish_and_leaves_version_1_as_it_was(years):
    v1 = years_form(years)
    years.options.update(retired=True)
    definition_ = FormDefinition.objects.get(pk=v1.definition_id)
    definition_.version_label = "V2"
    with pytest.raises(ValidationError) as refused:
        form_definition_publish(definition=definition_)
    assert refused.value.messages == [
        "Every option of the dropdown list “Years” is retired: add one to it, or pick another list"
    ]
    years.options.all().delete()
    with pytest.raises(ValidationError) as refused:
        form_definition_publish(definition=definition_)
    assert refused.value.messages == [
        "The dropdown list “Years” has no options yet: add some to it, or pick another list"
    ]
    assert list(FormDefinitionVersion.objects.values_list("number", flat=True)) == [1]
    # Version 1 froze the list as it was: its requests still offer both years.
    builder = FormBuilder(FormDefinitionVersion.objects.get(pk=v1.pk))
    assert builder.option_choices(builder.section("about").fields[0]) == [("year_1", "Year 1"), ("year_2", "Year 2")]
