"""Structured logs: with LOG_FORMAT=json every line a request writes is one JSON object with the request's id,
method, path without its query string, status, duration and user id, and nothing about a person."""

import contextvars
import io
import json
import logging.config
from urllib.parse import unquote, unquote_plus

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client
from django_q import tasks as q_tasks

from cms.logs import JsonFormatter, RequestLogMiddleware, TextFormatter, request_values, scrub_text
from cms.services import task_enqueue
from settings.base import logging_config
from tests.cms.conftest import ANSWER, CHILD_NAME, PARENT_EMAIL, step_post_data, step_url
from tests.factories.accounts import PASSWORD
from tests.otp import current_code

pytestmark = pytest.mark.django_db
DIAGNOSIS = "Dravet syndrome"
ANSWER_WITH_NAME = f"{CHILD_NAME} stammers when anxious; {DIAGNOSIS} diagnosed in 2022; seen weekly since September."
TYPED_PASSWORD = "Kestrel-typed-wrong-9"


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


def _wrong_code(device):
    return f"{(int(current_code(device)) + 1) % 10**device.digits:0{device.digits}d}"


def test_every_line_from_sign_in_to_a_wizard_post_is_json_without_personal_data(
    client, professional, named_child_request, json_logs
):
    """Signs in (a wrong password and a wrong code first), then saves a step naming a made-up child and diagnosis:
    no line holds the child's name, the diagnosis, an address or anything typed at sign-in."""
    device = professional.totpdevice_set.get()
    wrong_code = _wrong_code(device)
    client.post("/portal/sign-in/", {"username": professional.email, "password": TYPED_PASSWORD})
    client.post("/portal/sign-in/", {"username": professional.email, "password": PASSWORD})
    client.post("/portal/sign-in/code/", {"code": wrong_code})
    assert client.post("/portal/sign-in/code/", {"code": current_code(device)}).url == "/portal/"
    step = step_url(named_child_request)
    data = step_post_data(involvement=ANSWER_WITH_NAME, contact=PARENT_EMAIL)

    response = client.post(f"{step}?child={CHILD_NAME}&email={PARENT_EMAIL}", data, HTTP_USER_AGENT="Firefox/140.0")
    missing = client.get(f"/portal/requests/999999/?email={PARENT_EMAIL}&name={CHILD_NAME}")
    lines = json_logs()

    assert response.status_code == 302 and missing.status_code == 404
    records = _parsed(lines)
    request_lines = [record for record in records if record["logger"] == "cms.requests"]
    assert [(r["method"], r["path"], r["status"]) for r in request_lines][-2:] == [
        ("POST", step, 302),
        ("GET", "/portal/requests/999999/", 404),
    ]
    post_line = request_lines[-2]
    assert post_line["request_id"] == response["X-Request-ID"]
    assert post_line["user_id"] == professional.pk
    assert post_line["client_ip"] == "127.0.0.1" and post_line["user_agent"] == "Firefox/140.0"
    assert isinstance(post_line["duration_ms"], float)
    assert post_line["level"] == "INFO" and post_line["time"].endswith("Z")
    security = [
        (r["level"], r["message"], r.get("account_id"), r["client_ip"])
        for r in records
        if r["logger"] == "cms.security"
    ]
    assert security == [
        ("WARNING", "Sign-in refused: wrong address or password", professional.pk, "127.0.0.1"),
        ("INFO", "Sign-in: password accepted", professional.pk, "127.0.0.1"),
        ("WARNING", "Sign-in refused: wrong authenticator code", professional.pk, "127.0.0.1"),
        ("INFO", "Sign-in: two-factor code accepted (authenticator app)", professional.pk, "127.0.0.1"),
    ]
    # Django's "Not Found" warning is a line of its own, with the request's id, and without the request object.
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == missing["X-Request-ID"]
    text = "\n".join(lines)
    typed = (CHILD_NAME, "Robin", "Marchwood", DIAGNOSIS, "Dravet", PARENT_EMAIL, professional.email, "stammers")
    for personal in (*typed, "child=", TYPED_PASSWORD, PASSWORD, wrong_code):
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


def test_a_request_id_from_the_load_balancer_is_kept_and_echoed(json_logs, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    response = Client(HTTP_X_REQUEST_ID="lb-7f3a9c", REMOTE_ADDR="10.0.0.4").get("/healthz")
    (line,) = [r for r in _parsed(json_logs()) if r["logger"] == "cms.requests"]

    assert response["X-Request-ID"] == "lb-7f3a9c" == line["request_id"]
    assert "user_id" not in line  # nobody signed in


def test_a_request_id_sent_by_a_client_is_not_believed(json_logs, settings):
    """Without a trusted proxy in front, anyone could tie their requests' lines to someone else's id."""
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    response = Client(HTTP_X_REQUEST_ID="lb-7f3a9c", REMOTE_ADDR="203.0.113.20").get("/healthz")
    (line,) = [r for r in _parsed(json_logs()) if r["logger"] == "cms.requests"]

    assert response["X-Request-ID"] == line["request_id"] != "lb-7f3a9c"
    assert len(line["request_id"]) == 32


@pytest.mark.parametrize(
    "sent",
    ["<script>alert(1)</script>", "abc1234", "a" * 65, 'abc12345" INFO forged', "abc12345\nforged line", "abc12345\n"],
)
def test_a_request_id_that_does_not_look_like_one_is_replaced(client, settings, sent):
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]

    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)

    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_the_request_line_names_the_clients_real_address_and_the_start_of_its_user_agent(json_logs, settings):
    agent = "Mozilla/5.0 (X11; Linux x86_64) " + "x" * 300
    Client(REMOTE_ADDR="203.0.113.20", HTTP_X_FORWARDED_FOR="198.51.100.7", HTTP_USER_AGENT=agent).get("/healthz")
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    Client(REMOTE_ADDR="10.0.0.4", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.9").get("/healthz")
    Client(HTTP_USER_AGENT="curl/8.5\n{forged} by jo@example.com").get("/healthz")

    direct, proxied, odd = [r for r in _parsed(json_logs()) if r["logger"] == "cms.requests"]

    # A client's own X-Forwarded-For is ignored; a trusted proxy's right-most address is the client.
    assert direct["client_ip"] == "203.0.113.20" and direct["user_agent"] == agent[:200]
    assert proxied["client_ip"] == "192.0.2.9" and "user_agent" not in proxied
    assert odd["user_agent"] == "curl/8.5%0A{forged} by [email]"


@pytest.mark.parametrize("formatter", [TextFormatter, JsonFormatter])
def test_a_line_break_in_the_path_cannot_forge_a_line(client, home_page, caplog, formatter):
    """``%0d%0a`` in a URL is a line break in the decoded path: escaped, every record stays one line."""
    caplog.handler.setFormatter(formatter())
    caplog.set_level(logging.INFO)
    forged = "2026-01-01 00:00:00,000 ERROR cms.security [-] Sign-in refused for admin"

    client.get("/portal/nowhere%0d%0a" + forged.replace(" ", "%20") + "%e2%80%a8/")
    client.get("/portal/invitation/abc%0d%0a" + forged.replace(" ", "%20") + "/")

    lines = caplog.text.splitlines()
    assert len(lines) == len(caplog.records)  # one line a record, nothing split on \r, \n or U+2028
    assert not [line for line in lines if line.startswith(forged)]
    paths = [record.path for record in caplog.records if record.name == "cms.requests"]
    assert paths == ["/portal/nowhere%0D%0A" + forged + "%E2%80%A8/", "/portal/invitation/[token]/"]
    assert "Not Found: /portal/nowhere%0D%0A2026-01-01" in caplog.text


def test_a_value_posted_is_not_filtered_out_of_the_requests_own_path(client, json_logs):
    """A posted or asked-for ``next`` that the path starts with garbled the message ("POST [Filtered]login/ 429")."""
    client.get("/portal/sign-in/?next=/portal/")
    client.post("/admin/login/", {"username": "nobody@example.org", "password": TYPED_PASSWORD, "next": "/admin/"})
    client.get("/portal/sign-in/?q=sign-in")  # any value that is a piece of the path

    messages = [r["message"] for r in _parsed(json_logs()) if r["logger"] == "cms.requests"]

    assert messages == ["GET /portal/sign-in/ 200", "POST /admin/login/ 200", "GET /portal/sign-in/ 200"]


def test_a_value_is_still_filtered_everywhere_but_inside_the_path():
    text = "could not go back to /portal/ from POST /portal/sign-in/ for Robin Marchwood"

    scrubbed = scrub_text(text, ["Robin Marchwood", "/portal/"], "/portal/sign-in/")

    assert scrubbed == "could not go back to [Filtered] from POST /portal/sign-in/ for [Filtered]"
    assert scrub_text("/portal/ and /portal/", ["/portal/"], "/") == "[Filtered] and [Filtered]"


def test_an_address_to_go_to_next_hides_its_query_values_not_its_path(rf):
    values = request_values(rf.get("/portal/sign-in/", {"next": f"/search/?q={CHILD_NAME}"}), parse_body=False)
    elsewhere = request_values(rf.get("/portal/sign-in/", {"next": "https://portal.example.net/x/"}), parse_body=False)

    assert values == [f"?q={CHILD_NAME}", CHILD_NAME]  # as a line may quote it, and decoded
    assert elsewhere == ["https://portal.example.net/x/"]  # not an address on this site: someone typed it


@pytest.mark.parametrize(
    "address",
    [
        f"/search/?q={CHILD_NAME}",
        f"/search/?{CHILD_NAME}",  # a query of one bare item: no "=", so no value to parse_qs
        f"/portal/requests/12/#{CHILD_NAME}",
        f"/search/;q={CHILD_NAME}",
        "/search/%3Fq%3DRobin%20Marchwood",  # a next quoted inside another
        "/search/%253Fq%253DRobin%2520Marchwood",  # and again
        "/search/%3fq=Robin+Marchwood",
        f"/\\portal.example.net/?q={CHILD_NAME}",  # "/\\" is another host to a browser: someone typed it
    ],
)
def test_a_line_quoting_an_address_to_go_to_next_keeps_no_name_after_its_path(rf, address):
    values = request_values(rf.post("/portal/sign-in/", {"next": address, "back": address}), parse_body=True)

    for quoted in (address, unquote(address), unquote(unquote(address)), unquote_plus(address)):
        line = scrub_text(f"POST /portal/sign-in/ could not go to {quoted}", values, "/portal/sign-in/")
        assert "Marchwood" not in line and "Robin" not in line, line
        assert line.startswith("POST /portal/sign-in/ could not go to ")


@pytest.mark.parametrize(
    "address", ["/portal/", "/portal/requests/12/step/school/", "/admin/snippets/advice_forms/childrecord/edit/7/"]
)
def test_the_path_of_an_address_to_go_to_next_is_no_ones_answer_and_is_kept(rf, address):
    """The rule kept: an address's path names pages by id and step, never a person, and hiding it would garble every
    path it starts; only what follows it (query, fragment, ";") is hidden."""
    values = request_values(rf.post("/portal/sign-in/", {"next": address}), parse_body=True)

    assert values == []
    assert scrub_text(f"went on to {address}", values, "/portal/sign-in/") == f"went on to {address}"


def log_a_line(number):
    """A task for the test below: one line from the worker."""
    logging.getLogger("tests.task").info("task %s ran", number)


def test_a_task_queued_during_a_request_logs_with_that_requests_id(json_logs, monkeypatch, rf):
    """The worker is another process, where nothing of the request is set: the task is run in a fresh context."""
    run_in_worker = q_tasks._sync
    monkeypatch.setattr(q_tasks, "_sync", lambda pack: contextvars.Context().run(run_in_worker, pack))

    def view(request):
        task_enqueue("tests.cms.test_logs.log_a_line", 7, task_name="log-a-line")
        logging.getLogger("tests.view").info("the view goes on")
        return HttpResponse("ok")

    response = contextvars.copy_context().run(RequestLogMiddleware(view), rf.get("/somewhere/"))
    contextvars.Context().run(log_a_line, 8)  # a task queued by no request

    records = {r["message"]: r["request_id"] for r in _parsed(json_logs())}
    request_id = response["X-Request-ID"]
    assert records["task 7 ran"] == records["the view goes on"] == records["GET /somewhere/ 200"] == request_id
    assert records["task 8 ran"] == "-"


def fail_a_task(number):
    """A task for the test below: fails, as an email the mail server refuses does."""
    raise RuntimeError(f"task {number} failed")


def test_the_monitors_line_for_a_tasks_result_carries_the_id_of_the_request_that_queued_it(json_logs, monkeypatch, rf):
    """django-q2's cluster runs a task in a worker process and logs its result ("Processed", "Failed" with the error)
    from its monitor process: each a process of its own, where nothing of the request is set. Those lines said "-",
    so a failed email could not be traced to the request that sent it."""
    from multiprocessing import Queue, Value

    from django_q.monitor import monitor
    from django_q.signing import SignedPackage
    from django_q.worker import worker

    packs = []
    monkeypatch.setattr(q_tasks, "_sync", packs.append)  # queued, as to Redis; run below

    def view(request):
        task_enqueue("tests.cms.test_logs.log_a_line", 7, task_name="log-a-line")
        task_enqueue("tests.cms.test_logs.fail_a_task", 9, task_name="fail-a-task")
        return HttpResponse("ok")

    response = contextvars.copy_context().run(RequestLogMiddleware(view), rf.get("/somewhere/"))
    task_queue, result_queue = Queue(), Queue()
    for pack in packs:
        task = SignedPackage.loads(pack)
        task.pop("sync")  # as the cluster runs it: a failure is recorded, not raised
        task_queue.put(task)
    task_queue.put("STOP")
    contextvars.Context().run(worker, task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    contextvars.Context().run(monitor, result_queue)

    records = _parsed(json_logs())
    request_id = response["X-Request-ID"]
    (processed,) = [r for r in records if r["message"].startswith("Processed ")]
    (failed,) = [r for r in records if r["message"].startswith("Failed ")]
    assert "log-a-line" in processed["message"] and processed["request_id"] == request_id
    assert "task 9 failed" in failed["message"] and failed["level"] == "ERROR" and failed["request_id"] == request_id
    assert [r["request_id"] for r in records if r["message"] == "task 7 ran"] == [request_id]


def test_a_task_run_inside_the_request_leaves_the_requests_id_in_place(json_logs, rf):
    def view(request):
        task_enqueue("tests.cms.test_logs.log_a_line", 7, task_name="log-a-line")
        return HttpResponse("ok")

    response = contextvars.copy_context().run(RequestLogMiddleware(view), rf.get("/somewhere/"))

    records = {r["message"]: r["request_id"] for r in _parsed(json_logs())}
    assert records["task 7 ran"] == records["GET /somewhere/ 200"] == response["X-Request-ID"]


def test_a_refused_sign_in_is_one_warning_line_without_what_was_typed(client, professional, json_logs):
    client.post("/portal/sign-in/", {"username": "nobody@oakfield-primary.example.org", "password": TYPED_PASSWORD})

    (line,) = [r for r in _parsed(json_logs()) if r["logger"] == "cms.security"]

    assert line["level"] == "WARNING" and line["message"] == "Sign-in refused: wrong address or password"
    assert line["client_ip"] == "127.0.0.1" and "account_id" not in line  # no such account
    assert "nobody" not in json.dumps(line) and TYPED_PASSWORD not in json.dumps(line)


def test_a_staff_sign_in_writes_an_info_line_for_the_password_and_one_for_the_code(client, superuser, json_logs):
    client.post("/admin/login/", {"username": superuser.email, "password": PASSWORD})
    client.post("/admin/2fa/auth", {"otp_token": current_code(superuser.totpdevice_set.get())})

    lines = [r for r in _parsed(json_logs()) if r["logger"] == "cms.security"]
    assert [(r["level"], r["message"], r["account_id"]) for r in lines] == [
        ("INFO", "Sign-in: password accepted", superuser.pk),
        ("INFO", "Sign-in: two-factor code accepted (authenticator app)", superuser.pk),
    ]
    assert superuser.email not in json.dumps(lines)


def test_an_email_address_in_a_path_is_masked_in_the_path_as_in_the_message(client, home_page, json_logs):
    """The message said "GET [email]/ 404" (the whole path before the "@" taken for the address) while ``path`` kept
    the address; gunicorn's access log reads the same path."""
    response = client.get(f"/portal/accounts/{PARENT_EMAIL}/")

    records = _parsed(json_logs())
    (line,) = [r for r in records if r["logger"] == "cms.requests"]
    assert response.status_code == 404
    assert line["path"] == "/portal/accounts/[email]/"
    assert line["message"] == "GET /portal/accounts/[email]/ 404"
    assert "robin.parent" not in json.dumps(records)
    assert [r["message"] for r in records if r["logger"] == "django.request"] == [
        "Not Found: /portal/accounts/[email]/"
    ]


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
