"""GOV.UK Notify as the outbox's transport: only Notify's HTTP endpoint is intercepted (``responses``); the
client, its signed token and the outbox's retries all run for real."""

import json
import uuid

import jwt
import pytest
import requests
import responses

from advice_forms.services.requests import advice_request_share
from cms.models import EmailNotification
from cms.services import email_notifications_requeue
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import ChildRecordFactory, one_section_form

pytestmark = pytest.mark.django_db

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"
SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
TEMPLATE_ID = str(uuid.uuid4())


@pytest.fixture(autouse=True)
def _notify(settings):
    settings.EMAIL_BACKEND = "cms.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"


def _accepted():
    return responses.Response(responses.POST, NOTIFY_URL, status=201, json={"id": str(uuid.uuid4())})


@pytest.fixture
def share(caseworker, django_capture_on_commit_callbacks):
    return lambda: _share(caseworker, django_capture_on_commit_callbacks)


def _share(caseworker, django_capture_on_commit_callbacks):
    """Share a request about a named child: its inbox message is emailed through the outbox after commit."""
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    account = ProfessionalFactory(email="senco@oakfield.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        advice_request_share(
            child=child,
            form_version=one_section_form(),
            account=account,
            shared_by=caseworker,
            message="Ariadne's reading age is 6",
        )
    return EmailNotification.objects.get(to=account.email)


@responses.activate
def test_an_outbox_email_goes_to_notify_with_one_template_and_no_personal_data(share):
    responses.add(_accepted())

    notification = share()

    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.SENT
    assert len(responses.calls) == 1
    call = responses.calls[0].request
    sent = json.loads(call.body)
    assert sent == {
        "email_address": "senco@oakfield.example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": notification.subject, "body": notification.body},
    }
    body = call.body.decode() if isinstance(call.body, bytes) else call.body
    for personal in ("Ariadne", "Quill", "reading age"):
        assert personal not in body
    assert SECRET not in body and SECRET not in str(call.headers)
    token = call.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID


@pytest.mark.parametrize(
    "failure",
    [
        responses.Response(responses.POST, NOTIFY_URL, status=500, json={"errors": [{"error": "Exception"}]}),
        responses.Response(responses.POST, NOTIFY_URL, status=503, json={"errors": [{"error": "Unavailable"}]}),
        responses.Response(responses.POST, NOTIFY_URL, body=requests.exceptions.ReadTimeout("Notify is slow")),
    ],
    ids=["500", "503", "timeout"],
)
@responses.activate
def test_a_failed_send_stays_pending_and_the_sweep_sends_it_once(share, failure):
    responses.add(failure)
    responses.add(_accepted())

    notification = share()

    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.PENDING
    assert len(responses.calls) == 1

    assert email_notifications_requeue(older_than_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.SENT
    assert len(responses.calls) == 2

    assert email_notifications_requeue(older_than_seconds=0) == 0
    assert len(responses.calls) == 2
