"""Structured logs: with LOG_FORMAT=json every line a request writes is one JSON object with the request's id,
method, path without its query string, status, duration and user id, and nothing about a person."""

import io
import json
import logging.config

import pytest
from django.conf import settings as django_settings
from django.test import Client

from cms.logs import JsonFormatter
from settings.base import logging_config
from tests.cms.conftest import ANSWER, CHILD_NAME, PARENT_EMAIL, step_post_data, step_url

pytestmark = pytest.mark.django_db
ANSWER_WITH_NAME = f"{CHILD_NAME} stammers when anxious; seen weekly since September."


@pytest.fixture
def json_logs():
    """The portal's own logging configuration in JSON, its console writing to a buffer; put back afterwards."""
    config = logging_config("json", "INFO")
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield lambda: [line for line in stream.getvalue().splitlines() if line.strip()]
    logging.config.dictConfig(django_settings.LOGGING)


def _parsed(lines):
    records = [json.loads(line) for line in lines]  # fails on any line that is not one JSON object
    assert all(isinstance(record, dict) for record in records)
    return records


def test_every_line_of_a_wizard_post_is_json_without_personal_data(
    verified_client, professional, named_child_request, json_logs
):
    step = step_url(named_child_request)
    data = step_post_data(involvement=ANSWER_WITH_NAME, contact=PARENT_EMAIL)

    response = verified_client.post(f"{step}?child={CHILD_NAME}&email={PARENT_EMAIL}", data)
    missing = verified_client.get(f"/portal/requests/999999/?email={PARENT_EMAIL}&name={CHILD_NAME}")
    lines = json_logs()

    assert response.status_code == 302 and missing.status_code == 404
    records = _parsed(lines)
    request_lines = [record for record in records if record["logger"] == "cms.requests"]
    assert [(r["method"], r["path"], r["status"]) for r in request_lines] == [
        ("POST", step, 302),
        ("GET", "/portal/requests/999999/", 404),
    ]
    post_line = request_lines[0]
    assert post_line["request_id"] == response["X-Request-ID"]
    assert post_line["user_id"] == professional.pk
    assert isinstance(post_line["duration_ms"], float)
    assert post_line["level"] == "INFO" and post_line["time"].endswith("Z")
    # Django's "Not Found" warning is a line of its own, with the request's id, and without the request object.
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == missing["X-Request-ID"]
    text = "\n".join(lines)
    for personal in (CHILD_NAME, "Robin", "Marchwood", PARENT_EMAIL, professional.email, "stammers", "child="):
        assert personal not in text


def test_an_error_quoting_an_answer_is_logged_without_it(failing_step_post, json_logs):
    response = failing_step_post(step_post_data(involvement=ANSWER))
    records = _parsed(json_logs())

    assert response.status_code == 500
    (error,) = [record for record in records if record["level"] == "ERROR"]
    assert error["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: could not save '[Filtered]'" in error["exc_info"]
    assert "Marchwood" not in json.dumps(records) and "Stammers" not in json.dumps(records)


def test_an_email_a_library_logs_is_redacted(json_logs):
    logging.getLogger("axes").warning("AXES: Locked out %s after repeated failures.", PARENT_EMAIL)

    (record,) = _parsed(json_logs())

    assert record["message"] == "AXES: Locked out [email] after repeated failures."


def test_a_request_id_from_the_load_balancer_is_kept_and_echoed(json_logs):
    response = Client(HTTP_X_REQUEST_ID="lb-7f3a9c").get("/healthz")
    (line,) = [r for r in _parsed(json_logs()) if r["logger"] == "cms.requests"]

    assert response["X-Request-ID"] == "lb-7f3a9c" == line["request_id"]
    assert "user_id" not in line  # nobody signed in


def test_a_request_for_another_host_is_one_warning_line_not_an_error_with_a_traceback(json_logs, settings):
    """Scanners ask for addresses the portal does not answer to all day: the request's own line says 400 with the
    host, and nothing at ERROR wakes whoever watches the error logs."""
    settings.ALLOWED_HOSTS = ["portal.example.org"]

    response = Client(HTTP_HOST="scanner.example.net").get("/")

    records = _parsed(json_logs())
    assert response.status_code == 400
    assert not [r for r in records if r["level"] in ("ERROR", "CRITICAL")], records
    (line,) = [r for r in records if r["logger"] == "django.security.DisallowedHost"]
    assert line["level"] == "WARNING" and "scanner.example.net" in line["message"] and "traceback" not in line
    assert [r["status"] for r in records if r["logger"] == "cms.requests"] == [400]


def test_a_request_id_that_does_not_look_like_one_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_text_stays_the_development_default_and_json_is_productions(settings):
    from settings import base

    assert base.LOG_FORMAT == "text"
    assert logging_config("text", "INFO")["formatters"]["portal"]["()"] == "cms.logs.TextFormatter"
    with pytest.raises(Exception, match="LOG_FORMAT must be one of json, text"):
        logging_config("xml", "INFO")


def test_production_logs_json_and_tags_its_errors_production():
    from tests.cms.test_settings import PRODUCTION_ENV, _manage

    code = (
        "import warnings; from django.conf import settings; print(settings.LOG_FORMAT, settings.SENTRY_ENVIRONMENT);"
        "warnings.warn('a library warns')"
    )
    result = _manage(["shell", "-c", code], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["json", "production"]
    warning = json.loads(result.stderr.strip().splitlines()[-1])
    assert warning["logger"] == "py.warnings" and "a library warns" in warning["message"]


def test_gunicorn_logs_json_without_its_own_access_log_under_production_settings(monkeypatch):
    import importlib

    from django.utils.module_loading import import_string

    import settings.gunicorn as config

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "settings.production")
    for name in ("LOG_FORMAT", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    production = importlib.reload(config)

    assert production.accesslog is None
    assert production.logconfig_dict["loggers"]["gunicorn.access"]["handlers"] == []
    assert import_string(production.logconfig_dict["formatters"]["json"]["()"]) is JsonFormatter

    monkeypatch.setenv("LOG_FORMAT", "text")
    text = importlib.reload(config)
    assert (text.log_format, text.accesslog) == ("text", "-")
