"""Factories for the advice loop: child records, advice requests, submissions, and a small published form."""

import datetime
import uuid

import factory

from advice_forms.models import FormKind
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import definition, question, section

SMALL_FORM_TITLE = "Speech and language advice"


def small_form_sections(extra_label=""):
    """Four steps: a required long text, a date and a yes/no; a step shown only for "yes"; a repeating group;
    an optional step."""
    return [
        section(
            "About your involvement",
            [
                question("long_text", "What is your involvement with the child?", key="involvement", max_length=2000),
                question("date", "When did you last see the child?", key="last_seen", not_in_future=True),
                question("yes_no", "Does the child have a diagnosis?", key="diagnosis"),
            ],
            key="about",
        ),
        section(
            "Diagnosis",
            [question("short_text", "Who made the diagnosis?", key="diagnosed_by")],
            key="health",
            condition={"field_key": "diagnosis", "value": "yes"},
        ),
        section("Outcomes", [question("outcomes", "Outcomes", key="outcomes", max_rows=5)], key="outcomes"),
        section(
            f"Anything else{extra_label}",
            [question("long_text", "Is there anything else we should know?", key="anything_else", required=False)],
            key="other",
        ),
    ]


def small_form_version(*, title=SMALL_FORM_TITLE, version_label="V1", kind=FormKind.OTHER_ADVICE):
    """Publish the small form; returns its FormDefinitionVersion."""
    return definition(small_form_sections(), title=title, version_label=version_label, kind=kind)


def step_data():
    """Valid POST data for each step of the small form, in order (with a diagnosis, so all four show)."""
    return {
        "about": {
            "involvement": "I have seen the child weekly for speech therapy since September.",
            "last_seen-day": "3",
            "last_seen-month": "11",
            "last_seen-year": "2026",
            "diagnosis": "yes",
        },
        "health": {"diagnosed_by": "Community paediatrician"},
        "outcomes": {
            "outcomes-rows": "1",
            "outcomes-0-team": "SLT",
            "outcomes-0-type": "Comms",
            "outcomes-0-outcome": "Asks for help using short sentences",
            "outcomes-0-provision": "Weekly small-group language sessions",
            "outcomes-0-timescale": "By July",
        },
        "other": {"anything_else": ""},
    }


class ChildRecordFactory(factory.django.DjangoModelFactory):
    first_name = factory.Sequence(lambda n: f"Robin{n}")
    last_name = "Marchwood"
    date_of_birth = datetime.date(2017, 5, 4)

    class Meta:
        model = "advice_forms.ChildRecord"


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    """Pass form_version (e.g. small_form_version()); one is published when none is given."""

    child = factory.SubFactory(ChildRecordFactory)
    form_version = factory.LazyFunction(small_form_version)
    account = factory.SubFactory(ProfessionalFactory)
    message = "Please give your advice by the due date."

    class Meta:
        model = "advice_forms.AdviceRequest"


class SubmissionFactory(factory.django.DjangoModelFactory):
    request = factory.SubFactory(AdviceRequestFactory)
    number = factory.LazyAttribute(lambda o: o.request.submissions.count() + 1)
    form_version = factory.LazyAttribute(lambda o: o.request.form_version)
    answers = factory.LazyAttribute(lambda o: dict(o.request.answers))
    reference = factory.Sequence(lambda n: f"TEST-ADV-2026-{n:06d}")
    submitted_by = factory.LazyAttribute(lambda o: o.request.account)
    submitted_by_name = factory.LazyAttribute(lambda o: o.request.account.display_name)
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)

    class Meta:
        model = "advice_forms.Submission"
