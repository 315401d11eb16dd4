"""What the operations tests share: a request about a named child, a wizard step whose save fails with a careless
message quoting what was typed (logs, error reports), and tasks waiting in the queue (metrics, readiness)."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from cms.selectors import task_broker
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, step_data

CHILD_NAME = "Robin Marchwood"
PARENT_EMAIL = "robin.parent@example.com"
ANSWER = "Stammers when anxious, most of all in assembly"


@pytest.fixture
def content_editor_client(client, role_groups, content_editor):
    """A limited staff role: Wagtail's page explorer, images, documents and page reports, none of our casework."""
    return verified_login(client, content_editor)


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


@pytest.fixture
def queue_task():
    """Put a task in the portal's queue as if it had been waiting ``age_seconds``, on whichever broker is configured
    (the database's, or Redis when REDIS_URL is set); the queue is emptied afterwards."""
    broker = task_broker()

    def queue(name, age_seconds=0):
        queued_at = timezone.now() - timedelta(seconds=age_seconds)
        task = {"id": uuid.uuid4().hex, "name": name, "func": "math.floor", "args": (1,), "kwargs": {}}
        broker.enqueue(SignedPackage.dumps({**task, "started": queued_at}))
        if Conf.ORM:
            OrmQ.objects.filter(pk=OrmQ.objects.latest("pk").pk).update(lock=queued_at)

    yield queue
    broker.purge_queue()
