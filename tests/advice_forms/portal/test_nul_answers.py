"""A NUL (U+0000) in a professional's answer: PostgreSQL's jsonb holds none, so a step saved with one was a server
error there (the step's typing is kept in the draft, valid or not). It is refused beside its question, and the draft
keeps the rest of what was typed without it. CI runs this on PostgreSQL as well as SQLite."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.autosave import autosave, autosave_data
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def advice_request(professional, small_form):
    return AdviceRequestFactory(account=professional, form_version=small_form, child=ChildRecordFactory())


def url(name, advice_request, **kwargs):
    return reverse(f"portal:{name}", kwargs={"pk": advice_request.pk, **kwargs})


def errors(response):
    return [
        e.get_text(" ", strip=True)
        for e in BeautifulSoup(response.content, "html.parser").select(".govuk-error-message")
    ]


@pytest.mark.parametrize(
    ("step", "name", "message"),
    [
        ("about", "involvement", "The answer to “What is your involvement with the child?” must not contain hidden"),
        ("outcomes", "outcomes-0-outcome", "Outcome for outcome 1 must not contain hidden characters"),
    ],
)
def test_a_nul_in_an_answer_is_refused_beside_it_and_the_rest_is_kept(
    verified_client, advice_request, step, name, message
):
    data = {**step_data()[step], name: "Half \x00a sentence"}

    response = verified_client.post(url("request_step", advice_request, step=step), {**data, "action": "continue"})

    assert response.status_code == 200
    assert any(message in error for error in errors(response))
    advice_request.refresh_from_db()
    kept = advice_request.raw_steps[step]
    assert "\x00" not in json.dumps(kept)
    assert kept[name] == ["Half a sentence"]
    assert all(kept[other] == [value] for other, value in step_data()[step].items() if other != name)
    assert step not in advice_request.completed_sections


def test_a_hand_made_autosave_post_with_a_nul_saves_the_rest_without_it(verified_client, advice_request):
    data = {**step_data()["outcomes"], "outcomes-0-provision": "Weekly\x00 sessions"}

    response = autosave(verified_client, advice_request, "outcomes", data)

    assert response.status_code == 200 and response.json()["saved"] is True
    advice_request.refresh_from_db()
    kept = advice_request.raw_steps["outcomes"]
    assert "\x00" not in json.dumps(kept)
    assert kept["outcomes-0-provision"] == ["Weekly sessions"]
    assert kept["outcomes-0-outcome"] == ["Asks for help using short sentences"]


def kept_after_posting(client, advice_request, data, *, autosave):
    """Post the outcomes step (by autosave, or by "Save and continue") and answer what its draft keeps."""
    name = "request_step_autosave" if autosave else "request_step"
    posted = autosave_data(advice_request, "outcomes", data) if autosave else {**data, "action": "continue"}
    response = client.post(url(name, advice_request, step="outcomes"), posted)
    assert response.status_code == 200
    advice_request.refresh_from_db()
    return advice_request.raw_steps["outcomes"]


@pytest.mark.parametrize("autosave", [False, True])
def test_a_nul_between_two_words_keeps_them_apart_in_a_post_and_an_autosave(verified_client, advice_request, autosave):
    """Dropped, it joined the words either side ("ab\x00cd" kept as "abcd"): a space between two words, as typed."""
    data = {
        **step_data()["outcomes"],
        "outcomes-0-provision": "Weekly\x00sessions",
        "outcomes-0-outcome": "First line\x00\x00here.\nSecond \x00line.",
    }

    kept = kept_after_posting(verified_client, advice_request, data, autosave=autosave)

    assert kept["outcomes-0-provision"] == ["Weekly sessions"]
    assert kept["outcomes-0-outcome"] == ["First line here.\nSecond line."]


@pytest.mark.parametrize("autosave", [False, True])
def test_a_posted_name_with_a_control_character_is_not_kept(verified_client, advice_request, autosave):
    """No question's name holds one; a hand-made post's name with a NUL was kept in the draft (a jsonb error on
    PostgreSQL at every save). A NUL in an answer is refused beside it, so the step's typing is kept, names and all."""
    data = {**step_data()["outcomes"], "outcomes-0-provision": "Weekly\x00sessions", "evil\x00key": "v", "a\nb": "w"}

    kept = kept_after_posting(verified_client, advice_request, data, autosave=autosave)

    assert not any(character in key for key in kept for character in "\x00\n")
    assert kept["outcomes-0-provision"] == ["Weekly sessions"]
