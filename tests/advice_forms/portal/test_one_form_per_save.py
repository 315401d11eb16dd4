"""A step's save, by autosave or by the step's own POST, builds the step's form once: the save itself works out which
questions the page draws (to refuse a post that answers none of them) from the form it saves with, rather than the
view building the form a first time only to learn that. On a step of 250 questions a form costs milliseconds to
build, and autosave posts every 30 seconds while someone types."""

from unittest import mock

import pytest
from django.urls import reverse

from advice_forms.form_builder import SectionForm
from advice_forms.models import AdviceRequest
from tests.autosave import autosave
from tests.factories.advice_forms import AdviceRequestFactory, step_data

pytestmark = pytest.mark.django_db

HIDDEN = {"shown-at-render": "", "kept-at-render": "", "step-page": "a" * 32}


@pytest.fixture
def built():
    """Each step form built: the original runs, the mock counts."""
    with mock.patch.object(SectionForm, "__init__", autospec=True, side_effect=SectionForm.__init__) as init:
        yield init


@pytest.fixture
def advice_request(professional, small_form):
    return AdviceRequestFactory(account=professional, form_version=small_form)


def test_an_autosave_builds_the_steps_form_once(verified_client, advice_request, built):
    response = autosave(verified_client, advice_request, "about", {**step_data()["about"], **HIDDEN})

    assert response.status_code == 200 and response.json()["saved"] is True
    assert built.call_count == 1


def test_a_steps_own_post_builds_its_form_once(verified_client, advice_request, built):
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "about"})

    response = verified_client.post(step, {**step_data()["about"], **HIDDEN, "action": "later"})

    assert response.status_code == 302
    assert built.call_count == 1
    assert "about" in AdviceRequest.objects.get(pk=advice_request.pk).completed_sections


def test_an_autosave_that_answers_no_question_drawn_builds_one_form_and_saves_nothing(
    verified_client, advice_request, built
):
    response = autosave(verified_client, advice_request, "about", {"involvement2": "x", **HIDDEN})

    assert response.status_code == 400 and response.json()["saved"] is False
    assert built.call_count == 1
    assert AdviceRequest.objects.get(pk=advice_request.pk).answers == {}
