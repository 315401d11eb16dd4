"""The links sent by email (confirm an address, accept an invitation, reset a password, the admin's password reset)
carry their secret in the path: no log line, error report or access log line holds it, in either log format, while
every other path is logged as it came."""

import json
import logging
from types import SimpleNamespace

import pytest
import sentry_sdk
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.log import configure_logging
from gunicorn.config import Config
from gunicorn.glogging import Logger

import settings.gunicorn as gunicorn_config
from cms import error_reporting, logs
from cms.logs import JsonFormatter, RequestLogMiddleware, TextFormatter
from portal_pages.models import AccountState
from portal_pages.tokens import account_token_make
from settings.base import logging_config
from tests.cms.test_error_reporting import MemoryTransport
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def _emailed_links():
    """(URL, its secret parts, the path the log should show) for every kind of emailed link, each still unused."""
    invited = ProfessionalFactory(account_state=AccountState.INVITED)
    pending = ProfessionalFactory(account_state=AccountState.PENDING_VERIFICATION)
    active = ProfessionalFactory(account_state=AccountState.ACTIVE)
    staff = StaffUserFactory()
    invite = account_token_make(user=invited, purpose="invite")
    verify = account_token_make(user=pending, purpose="verify")
    reset = account_token_make(user=active, purpose="reset")
    uid, staff_token = urlsafe_base64_encode(force_bytes(staff.pk)), default_token_generator.make_token(staff)
    return [
        (f"/portal/invitation/{invite}/", [invite], "/portal/invitation/[token]/"),
        (f"/portal/verify/{verify}/", [verify], "/portal/verify/[token]/"),
        (f"/portal/password-reset/{reset}/", [reset], "/portal/password-reset/[token]/"),
        (
            f"/admin/password_reset/confirm/{uid}/{staff_token}/",
            [f"{uid}/{staff_token}", staff_token],
            "/admin/password_reset/confirm/[uidb64]/[token]/",
        ),
        # A link whose last "/" a mail program dropped: answered by a redirect before Django resolves it.
        (f"/portal/invitation/{invite}", [invite], "/portal/invitation/[token]"),
        # A link already used, or mistyped: refused with a 400, which Django logs as a warning of its own.
        (f"/portal/password-reset/{reset}x/", [reset], "/portal/password-reset/[token]/"),
        # A link a mail program ran on into the next characters: not found (or redirected to an address with a "/"
        # more), yet its token still works once they are taken off.
        (f"/portal/password-reset/{reset}/)", [reset], "/portal/password-reset/[token]/)"),
        (f"/portal/invitation/{invite}/x", [invite], "/portal/invitation/[token]/x"),
        (f"/portal/verify/{verify}/x/", [verify], "/portal/verify/[token]/x/"),
        (
            f"/admin/password_reset/confirm/{uid}/{staff_token}/.",
            [f"{uid}/{staff_token}", staff_token],
            "/admin/password_reset/confirm/[uidb64]/[token]/.",
        ),
    ]


@pytest.mark.parametrize("log_format", FORMATTERS)
def test_no_line_logged_for_an_emailed_link_holds_its_token(client, home_page, caplog, log_format):
    caplog.handler.setFormatter(FORMATTERS[log_format]())
    caplog.set_level(logging.DEBUG)
    links = _emailed_links()

    for url, _secrets, _logged in links:
        client.get(url, HTTP_REFERER=f"https://portal.example.org{url}")
    client.get("/portal/sign-in/")
    client.get("/no/such/page/")

    text = caplog.text
    for url, secrets, _logged in links:
        for secret in secrets:
            assert secret not in text, (url, text)
    request_lines = [record for record in caplog.records if record.name == "cms.requests"]
    assert [record.path for record in request_lines] == [logged for _url, _secrets, logged in links] + [
        "/portal/sign-in/",
        "/no/such/page/",
    ]
    if log_format == "json":
        for line in text.splitlines():
            json.loads(line)  # each record is still one JSON object
    assert "/portal/invitation/[token]/ 200" in text and "Bad Request: /portal/password-reset/[token]/" in text
    assert "GET /no/such/page/ 404" in text and "Not Found: /no/such/page/" in text


def test_an_error_on_an_emailed_link_is_logged_and_reported_without_its_token(home_page, caplog, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("portal_pages.views.accounts._link_account", fail)
    transport = MemoryTransport()
    error_reporting.sentry_init(dsn="https://public@sentry.example.org/1", environment="test", transport=transport)
    caplog.handler.setFormatter(JsonFormatter())
    invited = ProfessionalFactory(account_state=AccountState.INVITED)
    token = account_token_make(user=invited, purpose="invite")
    try:
        response = Client(raise_request_exception=False).get(f"/portal/invitation/{token}/")
    finally:
        sentry_sdk.get_global_scope().set_client(None)

    assert response.status_code == 500
    assert "Internal Server Error: /portal/invitation/[token]/" in caplog.text
    assert token not in caplog.text
    assert [event["transaction"] for event in transport.events()] == ["/portal/invitation/{token}/"]
    assert token not in transport.sent_text()


def test_gunicorns_access_log_writes_the_masked_path_and_no_referrer(client, home_page):
    invited = ProfessionalFactory(account_state=AccountState.INVITED)
    token = account_token_make(user=invited, purpose="invite")
    config = Config()
    config.set("access_log_format", gunicorn_config.access_log_format)
    logger = Logger(config)
    response = client.get(f"/portal/invitation/{token}/?from=email", HTTP_REFERER=f"https://x.example/{token}/")
    environ = {**response.wsgi_request.META, "RAW_URI": f"/portal/invitation/{token}/?from=email"}
    served = SimpleNamespace(status="200 OK", headers=[], sent=120)
    atoms = logger.atoms(served, SimpleNamespace(headers=[]), environ, SimpleNamespace(seconds=0, microseconds=5))

    line = config.access_log_format % logger.atoms_wrapper_class(atoms)

    assert '"GET /portal/invitation/[token]/ HTTP/1.1" 200 120' in line
    assert token not in line and "from=email" not in line


def test_an_error_report_writes_the_path_of_an_emailed_link_masked(home_page, rf):
    token = account_token_make(user=ProfessionalFactory(account_state=AccountState.INVITED), purpose="invite")
    path = f"/portal/invitation/{token}/"
    reported = []

    def view(request):
        event = {
            "request": {"url": f"https://portal.example.org{path}", "method": "GET"},
            "logentry": {"message": f"Internal Server Error: {path}"},
            "breadcrumbs": {"values": [{"message": f"GET {path}"}]},
        }
        reported.append(error_reporting.scrub_event(event))
        return HttpResponse("ok")

    RequestLogMiddleware(view)(rf.get(path))

    (event,) = reported
    assert event["request"]["url"] == "https://portal.example.org/portal/invitation/[token]/"
    assert event["logentry"]["message"] == "Internal Server Error: /portal/invitation/[token]/"
    assert token not in json.dumps(event)


@pytest.mark.parametrize("debug", [True, False])
def test_no_handler_of_djangos_own_writes_an_emailed_links_token(
    home_page, settings, capsys, mailoutbox, monkeypatch, debug
):
    """Django's default handlers (a console in DEBUG, error emails to ADMINS otherwise) wrote the path as it came, and
    an error email the whole request: every django.* line goes through the portal's handler alone."""
    settings.DEBUG, settings.ADMINS = debug, [("Operations", "ops@example.org")]
    invited = ProfessionalFactory(account_state=AccountState.INVITED)
    token = account_token_make(user=invited, purpose="invite")
    configure_logging(settings.LOGGING_CONFIG, logging_config("text", "INFO"))
    try:
        capsys.readouterr()
        Client().get(f"/portal/password-reset/{token}/")  # refused: a 400
        monkeypatch.setattr("portal_pages.views.accounts._link_account", _fail)
        Client(raise_request_exception=False).get(f"/portal/invitation/{token}/")  # a 500
        printed = capsys.readouterr().err
    finally:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    assert "Bad Request: /portal/password-reset/[token]/" in printed
    assert "Internal Server Error: /portal/invitation/[token]/" in printed
    assert token not in printed
    assert mailoutbox == []


def _fail(*args, **kwargs):
    raise RuntimeError("the database went away")


def test_runservers_own_request_line_writes_nothing(home_page, settings, capsys):
    """Development's runserver logs a refused request (a 400 for a used link, a 404) as a warning of its own logger,
    with the path as it came. That logger is off, but a logger with no handler anywhere falls back to Python's
    last-resort handler, which printed the line, token and all, to the console."""
    invited = ProfessionalFactory(account_state=AccountState.INVITED)
    token = account_token_make(user=invited, purpose="invite")
    configure_logging(settings.LOGGING_CONFIG, logging_config("text", "INFO"))
    try:
        capsys.readouterr()
        logging.getLogger("django.server").warning('"%s" %s %s', f"GET /portal/invitation/{token}/ HTTP/1.1", 400, 7)
        printed = capsys.readouterr().err
    finally:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    assert token not in printed


def test_a_path_of_thousands_of_parts_is_tried_against_the_routes_a_few_times_not_once_a_part(rf, monkeypatch):
    """Looking for a link run on into more characters tried every shorter path: a 404 with thousands of "/" made
    thousands of URL look-ups for one log line."""
    tried = []
    real_resolve = logs.resolve
    monkeypatch.setattr(logs, "resolve", lambda path, urlconf=None: tried.append(path) or real_resolve(path, urlconf))
    request = rf.get("/portal/" + "a/" * 3000)

    assert logs.loggable_path(request).startswith("/portal/a/a/")
    assert len(tried) <= 10
