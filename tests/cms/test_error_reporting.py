"""Error reporting: sentry-sdk with its Django integration, on only when SENTRY_DSN is set, and nothing about a
person in what it sends. Events are kept in memory by a transport of sentry-sdk's own Transport API, so nothing
leaves the machine."""

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from cms import error_reporting
from tests.cms.conftest import ANSWER, CHILD_NAME, PARENT_EMAIL, step_post_data

pytestmark = pytest.mark.django_db


class MemoryTransport(Transport):
    """Keeps every envelope sentry-sdk would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [item.payload.json for envelope in self.envelopes for item in envelope.items if item.type == "event"]

    def sent_text(self):
        return b"".join(envelope.serialize() for envelope in self.envelopes).decode()


@pytest.fixture
def reported():
    transport = MemoryTransport()
    error_reporting.sentry_init(
        dsn="https://public@sentry.example.org/1", environment="staging", release="portal@1.2.3", transport=transport
    )
    yield transport
    sentry_sdk.get_global_scope().set_client(None)  # reporting off again for the tests that follow


def test_a_wizard_post_that_fails_reports_no_name_and_no_answer(failing_step_post, reported):
    data = step_post_data(involvement=ANSWER, child=CHILD_NAME)

    response = failing_step_post(data, query=f"?email={PARENT_EMAIL}&name={CHILD_NAME}")

    assert response.status_code == 500
    (event,) = [event for event in reported.events() if event.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["environment"] == "staging" and event["release"] == "portal@1.2.3"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert event["transaction"] == "/portal/requests/{pk}/steps/{step}/"
    assert set(event["request"]) <= {"method", "url", "headers"}
    assert {name.lower() for name in event["request"]["headers"]} <= error_reporting.KEPT_HEADERS
    sent = reported.sent_text()
    for personal in (CHILD_NAME, "Robin", "Marchwood", ANSWER, "Stammers", PARENT_EMAIL, "sessionid", "csrftoken"):
        assert personal not in sent, personal
    assert "'[Filtered]'" in event["exception"]["values"][-1]["value"]


def test_an_address_to_go_back_to_garbles_no_path_of_the_report(failing_step_post, reported):
    """A ``next`` of /portal/ made every "/portal/" of the report "[Filtered]": file names, the transaction."""
    response = failing_step_post(step_post_data(involvement=ANSWER), query="?next=/portal/")

    assert response.status_code == 500
    (event,) = [event for event in reported.events() if event.get("exception")]
    assert event["transaction"] == "/portal/requests/{pk}/steps/{step}/"
    files = [frame["filename"] for frame in event["exception"]["values"][-1]["stacktrace"]["frames"]]
    assert "advice_forms/portal/wizard.py" in files
    assert "'[Filtered]'" in event["exception"]["values"][-1]["value"]
    for personal in (CHILD_NAME, "Marchwood", ANSWER):
        assert personal not in reported.sent_text()


def test_frames_carry_no_local_variables_and_breadcrumbs_no_data(reported):
    def answer_in_a_local(answer):
        sentry_sdk.add_breadcrumb(category="query", message="UPDATE draft", data={"db.params": [answer]})
        raise ValueError("bad step")

    try:
        answer_in_a_local(ANSWER)
    except ValueError:
        sentry_sdk.capture_exception()

    (event,) = reported.events()
    assert ANSWER not in reported.sent_text()
    assert all("vars" not in frame for frame in event["exception"]["values"][0]["stacktrace"]["frames"])
    assert all("data" not in crumb for crumb in event["breadcrumbs"]["values"])


def test_sentry_is_told_to_send_nothing_personal(reported):
    client = sentry_sdk.get_client()

    assert client.is_active() and not client.should_send_default_pii()
    assert client.options["include_local_variables"] is False
    assert client.options["max_request_body_size"] == "never"


def test_reporting_is_off_without_a_dsn(settings):
    settings.SENTRY_DSN = ""

    assert error_reporting.sentry_init_from_settings() is False
    assert not sentry_sdk.get_client().is_active()
