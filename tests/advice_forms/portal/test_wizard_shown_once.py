"""A step of a form with many conditional questions works out which questions its answers show once per page, not
once per question drawn: one `Shown` for the answers the page is drawn with (and one for the answers saved before
it), however many questions it has."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advice_forms.form_builder import FormBuilder, Shown
from advice_forms.models import AdviceRequest
from advice_forms.portal import wizard
from tests.advice_forms.test_conditions import when
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, question, section

pytestmark = pytest.mark.django_db

KINDS = [{"label": "Speech", "value": "speech"}, {"label": "Reading", "value": "reading"}]
QUESTIONS = 60


def many_conditions_sections():
    """A first step whose answers decide much of the second, and a second of 60 conditional questions: on the first
    step's answers, on this step's own ("all of" two rules, so shown or hidden as a whole), and in a reveal; the step
    itself and a record-backed question on it shown on conditions too."""
    questions = [
        question("yes_no", "Is support in place?", key="here_support"),
        question("single_choice", "Kind of support", key="here_kind", options=KINDS, display="radios"),
        question(
            "record_outcomes", "Outcomes sought", key="outcomes", condition=when("all", ("first_support", "is", "yes"))
        ),
    ]
    for n in range(QUESTIONS):
        if n % 3 == 0:
            condition = when("all", ("first_support", "is", "yes"), ("first_kind", "is_not", "reading"))
        elif n % 3 == 1:
            condition = when("all", ("here_support", "is", "yes"), ("first_kind", "is", "speech"))
        else:
            condition = when("all", ("here_kind", "is", "speech"))
        questions.append(question("short_text", f"Question {n}", key=f"q{n}", required=False, condition=condition))
    return [
        section(
            "First",
            [
                question("yes_no", "Is support in place?", key="first_support"),
                question("single_choice", "Kind of support", key="first_kind", options=KINDS, display="radios"),
            ],
            key="first",
        ),
        section("Many", questions, key="many", condition=when("all", ("first_support", "is", "yes"))),
        section("Last", [question("short_text", "Anything else?", key="last", required=False)], key="last"),
    ]


@pytest.fixture
def advice_request(professional):
    version = definition(many_conditions_sections())
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())
    advice_request.answers = {"first": {"first_support": "yes", "first_kind": "speech"}}
    advice_request.save()
    return advice_request


@pytest.fixture
def built():
    """Each `Shown` built (each works out again every condition it is asked about): the original runs, the mock
    counts."""
    with mock.patch.object(Shown, "__init__", autospec=True, side_effect=Shown.__init__) as init:
        yield init


@pytest.fixture
def records_read(monkeypatch):
    """How many times the wizard reads the child record's rows for a step."""
    count = {"reads": 0}
    original = wizard.request_records

    def counting(*args, **kwargs):
        count["reads"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(wizard, "request_records", counting)
    monkeypatch.setattr("advice_forms.selectors.request_records", counting)
    return count


def step_url(advice_request, step):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step})


def page_state(html):
    return {n: re.search(rf'name="{n}" value="([^"]*)"', html).group(1) for n in ("shown-at-render", "kept-at-render")}


def test_drawing_a_step_of_many_conditional_questions_builds_one_shown_per_set_of_answers(
    verified_client, advice_request, built
):
    """Built 108 times for this step of 60 conditional questions before (one per question drawn, one per rule on
    another step's answer, one per step of the form): now one for the saved answers that decide which steps are
    asked, one for the answers this page was drawn from, and one for the answers as the page stands."""
    response = verified_client.get(step_url(advice_request, "many"))
    assert response.status_code == 200
    html = response.content.decode()
    # What the page says is unchanged: the questions on the first step's answers are decided (shown), those on this
    # step's answers are left to conditions.js, and the reveals sit under their option.
    state = page_state(html)
    shown_now = set(state["shown-at-render"].split())
    assert {f"q{n}" for n in range(0, QUESTIONS, 3)} <= shown_now
    assert not {f"q{n}" for n in range(1, QUESTIONS, 3)} & shown_now
    assert html.count("data-advice-condition") == 2 * QUESTIONS // 3
    assert html.count("Answer if you chose “Speech”.") == QUESTIONS // 3
    assert built.call_count == 3


def test_save_and_continue_on_a_step_of_many_conditional_questions_works_its_conditions_out_once(
    verified_client, advice_request, built, records_read
):
    """A "Save and continue" of the same step built 180 Shown (one per question cleaned, drawn again and decided) and
    read the child record's rows twice (for the step's problems, then to draw it: 29 queries): now 9 Shown, one read
    (26 queries)."""
    html = verified_client.get(step_url(advice_request, "many")).content.decode()
    built.reset_mock()
    records_read["reads"] = 0
    data = {"here_support": "yes", "here_kind": "speech", "action": "continue", **page_state(html)}
    data.update({f"q{n}": f"Answer {n}" for n in range(QUESTIONS)})
    with CaptureQueriesContext(connection) as queries:
        response = verified_client.post(step_url(advice_request, "many"), data)
    # Saved; the required outcomes question with no rows stops the step, with its error beside it.
    assert response.status_code == 200
    assert "Outcomes sought" in response.content.decode() and "govuk-error-summary" in response.content.decode()
    saved = AdviceRequest.objects.get(pk=advice_request.pk).answers["many"]
    assert saved["q0"] == "Answer 0" and saved["q59"] == "Answer 59"
    assert records_read["reads"] == 1
    assert built.call_count <= 9
    assert len(queries) <= 26  # 29 before: the rows read a second time


def test_a_page_works_out_its_own_answers_and_those_saved_apart(advice_request):
    """One Shown per set of answers, not one per form: the answers as posted show what the saved ones hide, and a form
    given other answers works them out again."""
    builder = FormBuilder.for_version(advice_request.form_version)
    saved = {**advice_request.answers, "many": {"here_support": "no", "here_kind": "reading"}}
    form = builder.form_class_for("many")(data={"here_support": "yes", "here_kind": "speech"}, answers=saved)
    q1 = next(spec for spec in builder.section("many").questions() if spec.key == "q1")
    assert form.shown(q1) is True
    assert form.shown_for(form.all_answers).field(q1) is False
    before = form.shown_for(form.answers_now())
    assert form.shown_for(form.answers_now()) is before
    form.is_valid()
    assert form.shown(q1) is True and form.shown_for(form.answers_now()) is not before  # cleaned: worked out again
    form.all_answers = {**saved, "first": {"first_support": "yes", "first_kind": "reading"}}
    assert form.shown_for(form.all_answers).field(q1) is False
    q0 = next(spec for spec in builder.section("many").questions() if spec.key == "q0")
    assert form.shown_for(form.all_answers).field(q0) is False  # "first_kind" is "reading" in the new answers
    assert form.shown_for(saved).field(q0) is True


def test_a_save_that_hides_a_step_skips_it_at_once(verified_client, advice_request):
    """The steps' conditions are worked out once per set of saved answers: a save that changes them is followed at
    once."""
    html = verified_client.get(step_url(advice_request, "first")).content.decode()
    data = {"first_support": "no", "first_kind": "speech", "action": "continue", **page_state(html)}
    response = verified_client.post(step_url(advice_request, "first"), data)
    assert response.status_code == 302 and response.url == step_url(advice_request, "last")
    data["first_support"] = "yes"
    html = verified_client.get(step_url(advice_request, "first")).content.decode()
    response = verified_client.post(step_url(advice_request, "first"), {**data, **page_state(html)})
    assert response.status_code == 302 and response.url == step_url(advice_request, "many")


def test_what_is_missing_is_worked_out_with_one_shown(advice_request, built):
    """Check answers, submit and the task list ask what is missing: it built one Shown for its questions and another
    for its sections, from the same answers."""
    builder = FormBuilder.for_version(advice_request.form_version)
    answers = {"first": {"first_support": "yes", "first_kind": "speech"}}

    missing = builder.missing_required(answers, {}, records=None)

    assert [m.field_key for m in missing] == ["here_support", "here_kind"]
    assert built.call_count == 1
