"""What the operations tests (logs, error reports) share: a request about a named child, and a wizard step whose
save fails with a careless message quoting what was typed."""

import pytest
from django.urls import reverse

from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, step_data

CHILD_NAME = "Robin Marchwood"
PARENT_EMAIL = "robin.parent@example.com"
ANSWER = "Stammers when anxious, most of all in assembly"


@pytest.fixture
def named_child_request(professional, small_form):
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    return AdviceRequestFactory(account=professional, form_version=small_form, child=child)


def step_url(advice_request, step="about"):
    return reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": step})


def step_post_data(**answers):
    """The small form's first step, valid, with ``answers`` typed over it."""
    return {**step_data()["about"], **answers, "action": "continue"}


@pytest.fixture
def failing_step_post(verified_client, named_child_request, monkeypatch):
    """POST the first step while its save raises an error quoting every value posted; returns the 500 response."""

    def fail(**kwargs):
        typed = ", ".join(repr(value) for key, value in kwargs["data"].items() if key != "csrfmiddlewaretoken")
        raise RuntimeError(f"could not save {typed}")

    monkeypatch.setattr("advice_forms.portal.wizard.draft_step_save", fail)
    verified_client.raise_request_exception = False

    def post(data, query=""):
        return verified_client.post(step_url(named_child_request) + query, data)

    return post
