"""The production shape scales out: two gunicorn app servers (A, B) and two django-q2 workers, as real
processes on loopback, sharing the test's PostgreSQL database and Redis, with production settings.

- a staff session signed in (password, then TOTP) on A continues on B;
- a task queued through A runs once, on one of the two workers, even when its form is posted twice;
- a worker killed mid-task loses nothing: the email outbox row stays pending and the next run sends it once;
- a professional signed in on A saves a wizard step on A, reads it back on B, and submits on B.

Outgoing email goes to a real SMTP server this test runs on loopback (what leaves the machine in production).
Skipped, with one line saying so, unless DATABASE_URL is PostgreSQL and REDIS_URL is set (CI's second run).
"""

import http.client
import os
import re
import socketserver
import threading
import uuid
from email import message_from_bytes
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_q.models import Success

from bench.topology import Topology
from cms.models import EmailNotification
from tests.clamd import free_port
from tests.factories.accounts import OrganisationFactory, ProfessionalFactory, SuperuserFactory, TOTPDeviceFactory
from tests.factories.advice_forms import AdviceRequestFactory, small_form_version, step_data
from tests.otp import current_code
from tests.waiting import wait_for

SKIP_REASON = "Scale-out test skipped: it needs DATABASE_URL on PostgreSQL and REDIS_URL (see README)"
_on_postgres_and_redis = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")) and bool(
    os.environ.get("REDIS_URL")
)
pytestmark = [
    pytest.mark.skipif(not _on_postgres_and_redis, reason=SKIP_REASON),
    pytest.mark.django_db(transaction=True),
]
WAIT_SECONDS = 30
PASSWORD = "scale-out-test-password-long"
TASK = "cms.tasks.email_notification_send"


def _wait_for(condition, what, timeout=WAIT_SECONDS, topology=None):
    result = wait_for(condition, seconds=timeout, interval=0.1)
    if not result:
        raise AssertionError(f"Waited {timeout} s for {what}\n{topology.logs() if topology else ''}")
    return result


class SMTPServer(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on loopback: records every message it accepts; can hold new connections
    before its greeting, to keep a sending worker busy mid-task."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages = []
        self.held = 0
        self.release = threading.Event()
        self.release.set()
        self.lock = threading.Lock()

    @property
    def port(self):
        return self.server_address[1]

    def hold(self):
        self.release.clear()

    def delivered(self, subject_contains=""):
        with self.lock:
            return [m for m in self.messages if subject_contains in m["Subject"]]


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server
        if not server.release.is_set():
            with server.lock:
                server.held += 1
            server.release.wait(WAIT_SECONDS)
        try:
            self.reply("220 loopback SMTP ready")
            while line := self.rfile.readline():
                command = line.decode(errors="replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 loopback")
                elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                    self.reply("250 OK")
                elif command == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    data = []
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    with server.lock:
                        server.messages.append(message_from_bytes(b"".join(data)))
                    self.reply("250 OK queued")
                elif command == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")
        except OSError:
            return  # the worker went away mid-conversation


class Browser:
    """Cookies and forms over plain http.client: one person's browser, pointed at either app server."""

    def __init__(self):
        self.cookies = {}

    def request(self, base_url, method, path, form=None):
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT_SECONDS)
        headers = {"Host": f"{parts.hostname}:{parts.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = base_url
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), text

    def get(self, base_url, path):
        return self.request(base_url, "GET", path)

    def post_form(self, base_url, path, fields, page_text):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text).group(1)
        return self.request(base_url, "POST", path, {"csrfmiddlewaretoken": token, **fields})


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def topology(transactional_db, smtp_server, tmp_path):
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    shape = Topology(
        database_url=database_url,
        redis_url=os.environ["REDIS_URL"],
        ports=(free_port(), free_port()),
        workers=2,
        gunicorn_workers=1,
        log_dir=tmp_path / "logs",
        extra_env={
            # Its own queue in the shared Redis, so nothing else's tasks reach these workers.
            "Q_CLUSTER_NAME": f"scale-out-{uuid.uuid4().hex[:8]}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": smtp_server.port,
            "EMAIL_TIMEOUT": WAIT_SECONDS,
            # Static files are not what this test is about: skip collectstatic (its manifest takes ~40 s).
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "GUNICORN_ACCESS_LOG": "",
        },
    )
    shape.start()
    yield shape
    shape.stop()


def _able_to_sign_in_on_the_shape(user):
    """The app servers run production settings, whose hashers do not include the tests' fast MD5: give ``user`` a
    PBKDF2 password, and a phone."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    TOTPDeviceFactory(user=user, name="Phone")
    return user


def _password_step(browser, base_url, path, user):
    """Post ``user``'s email and password to the sign-in page at ``path``; return the status and the redirect."""
    status, _, page = browser.get(base_url, path)
    assert status == 200
    status, location, _ = browser.post_form(base_url, path, {"username": user.email, "password": PASSWORD}, page)
    return status, location


def _code_step(browser, base_url, location, path, field, user):
    """Open the code page at ``location`` and post the authenticator's current code to ``path`` as ``field``."""
    status, _, page = browser.get(base_url, location)
    status, location, _ = browser.post_form(base_url, path, {field: current_code(user.totpdevice_set.get())}, page)
    return status, location


@pytest.fixture
def staff(home_page):
    return _able_to_sign_in_on_the_shape(SuperuserFactory())


def _sign_in(browser, base_url, user):
    status, location = _password_step(browser, base_url, "/admin/login/", user)
    assert status == 302, "password refused"
    status, location, _ = browser.get(base_url, "/admin/")
    assert status == 302 and location.startswith("/admin/2fa/auth")
    status, _ = _code_step(browser, base_url, location, "/admin/2fa/auth", "otp_token", user)
    assert status == 302, "code refused"


def _send_test_email(browser, base_url, page=None):
    if page is None:
        status, _, page = browser.get(base_url, "/admin/send-test-email/")
        assert status == 200
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    status, location, _ = browser.post_form(base_url, "/admin/send-test-email/", {"token": token}, page)
    assert (status, location) == (302, "/admin/send-test-email/")
    return token, page


def test_a_session_made_on_one_app_server_continues_on_the_other(topology, staff):
    a, b = topology.urls
    browser = Browser()

    _sign_in(browser, a, staff)
    status, _, page = browser.get(b, "/admin/")

    assert status == 200
    assert "Dashboard" in page
    # The same request without the session cookie is sent to sign in: the cookie carried the session.
    assert Browser().get(b, "/admin/")[1].startswith("/admin/login/")


def test_a_task_queued_through_one_app_server_runs_once_on_one_worker(topology, staff, smtp_server):
    a, b = topology.urls
    browser = Browser()
    _sign_in(browser, a, staff)

    token, page = _send_test_email(browser, a)
    _send_test_email(browser, b, page)  # the same form posted again, on the other server: a double click

    key = f"admin-test-email:{token}"
    _wait_for(
        lambda: EmailNotification.objects.filter(key=key, state=EmailNotification.State.SENT).exists(),
        "the test email to be sent",
        topology=topology,
    )
    _wait_for(lambda: Success.objects.filter(func=TASK).exists(), "the task result")
    assert EmailNotification.objects.filter(key=key).count() == 1
    [message] = smtp_server.delivered("Test email")
    assert message["To"] == staff.email
    [result] = Success.objects.filter(func=TASK)
    assert result.result is True


def test_a_worker_killed_mid_task_loses_and_duplicates_nothing(topology, staff, smtp_server):
    a, b = topology.urls
    browser = Browser()
    _sign_in(browser, a, staff)
    # Only the first worker runs, so it is the one that takes the task.
    topology.stop_worker(1)
    smtp_server.hold()

    token, _ = _send_test_email(browser, b)
    notification = EmailNotification.objects.get(key=f"admin-test-email:{token}")
    _wait_for(lambda: smtp_server.held, "the worker to start sending", topology=topology)
    topology.stop_worker(0, kill=True)
    smtp_server.release.set()

    notification.refresh_from_db()
    assert notification.state == EmailNotification.State.PENDING
    assert smtp_server.delivered() == []

    # The other worker comes back, and the minute's sweep queues the pending email again.
    topology.start_worker(1)
    topology.wait_ready()
    topology.manage("shell", "-c", "from cms.tasks import email_notifications_requeue as r; r(older_than_seconds=0)")

    _wait_for(
        lambda: EmailNotification.objects.filter(pk=notification.pk, state=EmailNotification.State.SENT).exists(),
        "the pending email to be sent by the other worker",
        topology=topology,
    )
    # The task run again (a duplicate delivery from the broker, a second sweep) finds it sent and sends nothing.
    topology.manage("shell", "-c", f"from django_q.tasks import async_task; async_task('{TASK}', {notification.pk})")
    results = _wait_for(
        lambda: (
            list(Success.objects.filter(func=TASK).order_by("started").values_list("result", flat=True))[1:]
            and list(Success.objects.filter(func=TASK).order_by("started").values_list("result", flat=True))
        ),
        "the repeated task's result",
        topology=topology,
    )
    assert results == [True, False]
    assert len(smtp_server.delivered("Test email")) == 1


@pytest.fixture
def professional_account(home_page):
    organisation = OrganisationFactory(name="Oakfield Primary School", email_domains="oakfield-primary.example.org")
    return _able_to_sign_in_on_the_shape(
        ProfessionalFactory(organisation=organisation, email="senco@oakfield-primary.example.org")
    )


def _professional_sign_in(browser, base_url, user):
    """The portal's own two steps: email and password, then the authenticator code."""
    status, location = _password_step(browser, base_url, "/portal/sign-in/", user)
    assert status == 302 and location.startswith("/portal/sign-in/code/"), "password refused"
    status, location = _code_step(browser, base_url, location, "/portal/sign-in/code/", "code", user)
    assert (status, location) == (302, "/portal/"), "code refused"


def test_a_draft_saved_on_one_app_server_reads_back_on_the_other(topology, professional_account):
    from advice_forms.models import NeedType, RequestState, Submission, Team

    # A transactional test starts from an emptied database: put back the two taxonomy terms the outcome uses.
    Team.objects.get_or_create(code="SLT", defaults={"name": "Speech and Language Therapy"})
    NeedType.objects.get_or_create(code="Comms", defaults={"name": "Communication"})
    advice_request = AdviceRequestFactory(account=professional_account, form_version=small_form_version())
    a, b = topology.urls
    browser = Browser()
    _professional_sign_in(browser, a, professional_account)
    steps = f"/portal/requests/{advice_request.pk}/steps"
    data = step_data()

    # The first step saved through A...
    status, _, page = browser.get(a, f"{steps}/about/")
    assert status == 200
    status, location, _ = browser.post_form(a, f"{steps}/about/", {**data["about"], "action": "continue"}, page)
    assert status == 302 and location.endswith(f"{steps}/health/")

    # ...reads back on B, with the same session cookie: the step page shows every saved value.
    status, _, page = browser.get(b, f"{steps}/about/")
    assert status == 200
    assert "I have seen the child weekly for speech therapy since September." in page
    assert re.search(r'name="last_seen-year"[^>]*value="2026"', page)
    assert re.search(r'value="yes"[^>]*checked', page)

    # The rest of the form on B, then submit on B: the draft from A is part of what is submitted.
    for key in ("health", "outcomes", "other"):
        status, _, page = browser.get(b, f"{steps}/{key}/")
        status, location, _ = browser.post_form(b, f"{steps}/{key}/", {**data[key], "action": "continue"}, page)
        assert status == 302, f"step {key} refused"
    check_answers = f"/portal/requests/{advice_request.pk}/check-answers/"
    status, _, page = browser.get(b, check_answers)
    assert status == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)
    status, location, _ = browser.post_form(
        b, f"/portal/requests/{advice_request.pk}/submit/", {"idempotency_key": key}, page
    )
    assert (status, location) == (302, f"/portal/requests/{advice_request.pk}/submissions/1/")

    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.SUBMITTED
    [submission] = Submission.objects.filter(request=advice_request)
    assert submission.answers["about"]["involvement"] == data["about"]["involvement"]
    # Without the cookie, B sends the visitor to sign in: the session, not the server, carried the draft.
    assert Browser().get(b, f"{steps}/about/")[1].startswith("/portal/sign-in/")
