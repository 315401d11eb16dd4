"""Logs an operator can parse: a request id on every line, one line per request, and nothing about a person.

``LOG_FORMAT=json`` (production's default) writes one JSON object a line through ``JsonFormatter`` (python-json-
logger); ``text`` (development's) writes plain lines. Either way ``RequestLogMiddleware`` gives each request an id
(the ``X-Request-ID`` header a trusted proxy sent, when it is well-formed, else a new one), echoes it in the response,
puts it on every line logged while the request runs (``RequestIdFilter``), and writes one line when the request ends:
method, path without its query string, status, duration, the signed-in user's id, the client's address (as
``cms.client_addresses.client_ip`` decides it) and the start of its user agent. A task queued during the request
carries the id to the worker's lines and to the line the cluster's monitor writes for its result, "Processed" or
"Failed" (``task_request_id_*``). A line never carries the request itself, its query string or its body. The path
is written as ``loggable_path`` gives it: an argument of its route that holds an emailed link's secret (an
invitation's, a confirmation's or a password reset's token, Django's ``uidb64``) is written as its name,
``/portal/invitation/[token]/``, and an email address in it as ``[email]`` (``/portal/x/[email]/``), in the request's
``path`` and its line's message alike, and wherever the path appears in any other line logged during the request
(Django's "Not Found", a traceback); gunicorn's access log reads the same value from the WSGI environ
(``LOG_PATH_ENVIRON_KEY``). An email address is replaced wherever it appears in a line. Any value the request carried
(an answer quoted in an exception's message) is replaced too, except inside the request's own path (logged in ``path``
anyway); of an address to go to next (``next``, ``back``), whatever follows its path counts (query, fragment, ";"
parameters, whether written or %-encoded), not the path itself.

This module imports nothing of Django's settings at import time: gunicorn's configuration names its classes.
"""

import contextvars
import logging
import re
import time
import uuid
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from django.core.signals import request_finished
from django.db import DatabaseError
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path, iri_to_uri
from pythonjsonlogger.json import JsonFormatter as _PythonJsonFormatter

from cms import metrics
from cms.client_addresses import address_in_setting, client_ip

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from a trusted proxy is kept only when it looks like one (a UUID, a load balancer's trace id).
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")  # fullmatch: "$" would pass a final "\n"
USER_AGENT_LENGTH = 200
_EMAIL_RE = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
EMAIL_REDACTED = "[email]"
# An address in a path is one segment of it: "/portal/x/[email]/", not "[email]/" for the whole path before the "@".
_PATH_EMAIL_RE = re.compile(r"[^\s@<>\"'(),;:/]+@[^\s@<>\"'(),;:/]+\.[A-Za-z]{2,}")
FILTERED = "[Filtered]"
# Posted values shorter than these are not worth hiding (a day, a month, "no") and would garble every text they
# occur in; long runs of digits (a phone or NHS number) are hidden like any text.
MIN_SCRUBBED_LENGTH = 3
MIN_SCRUBBED_DIGITS = 6
# Fields the portal's own forms post that are no one's answer.
UNSCRUBBED_FIELDS = {"csrfmiddlewaretoken", "action"}
# Fields holding an address on this site to go to next: its path is no one's answer, and hiding it would garble every
# path and file name it starts ("POST [Filtered]sign-in/", "advice_forms[Filtered]wizard.py"); what follows the path
# (``_address_values``) is hidden like any other value.
ADDRESS_FIELDS = {"next", "back"}
# Arguments of a route that hold the secret of a link sent by email (the portal's tokens; Django's and Wagtail's
# password reset, ``<uidb64>/<token>/``): whoever reads them in a log could open the link. Matched against the name.
_MASKED_ARGUMENT_RE = re.compile(r"token|uidb64|signature|secret", re.IGNORECASE)
# Where RequestLogMiddleware leaves the loggable path in the WSGI environ, for gunicorn's access log
# (``%({portal_log_path}e)s`` in settings/gunicorn.py).
LOG_PATH_ENVIRON_KEY = "PORTAL_LOG_PATH"
# Wagtail's route that serves every page (any path of word characters and "/"): a link run on into a next part
# ("/portal/verify/<token>/x/") resolves to it, so its path is searched for a link's route as if none matched.
CATCH_ALL_URL_NAME = "wagtail_serve"

_request_id = contextvars.ContextVar("portal_request_id", default=None)
# The id a worker had before it ran a task: a task run synchronously (tests) runs inside the request that queued it.
_id_before_task = contextvars.ContextVar("portal_id_before_task", default=None)
_request = contextvars.ContextVar("portal_request", default=None)
request_logger = logging.getLogger("cms.requests")
# Refused sign-ins and codes, one warning line each, for a SIEM watching for guessing, and each step of a sign-in
# passed, one info line (the audit log has them too).
security_logger = logging.getLogger("cms.security")


def current_request_id():
    """The id of the request this thread is serving, or None outside a request."""
    return _request_id.get()


def current_request():
    """The request this thread is serving, or None: for the error reporter's scrubbing (cms.error_reporting)."""
    return _request.get()


def request_values(request, *, parse_body: bool) -> list[str]:
    """Every value the request asked for or posted (query parameters, form answers, file names), longest first.

    With ``parse_body`` false the body is read only if a view has parsed it already (Django keeps it as ``_post``):
    a log line must not read a large upload that nothing else needed.
    """
    values = []
    try:
        query_dicts = [request.GET]
        if parse_body or hasattr(request, "_post"):
            query_dicts.append(request.POST)
            values.extend(upload.name for _field, uploads in request.FILES.lists() for upload in uploads)
        for query_dict in query_dicts:
            for key, items in query_dict.lists():
                if key in ADDRESS_FIELDS:
                    values.extend(value for item in items for value in _address_values(item))
                elif key not in UNSCRUBBED_FIELDS:
                    values.extend(items)
    except Exception:  # noqa: S110 - a body that cannot be parsed again leaves the email redaction in place
        pass
    kept = {str(value).strip() for value in values}
    return sorted((value for value in kept if _worth_hiding(value)), key=len, reverse=True)


# Where an address's path ends: its query, fragment or parameters, the mark written or %-encoded (once or more: a
# next quoted inside another, "/search/%3Fq%3DRobin").
_ADDRESS_TAIL_RE = re.compile(r"[?#;]|%(?:25)*(?:3f|23|3b)", re.IGNORECASE)
_MOST_DECODINGS = 3


def _address_values(value: str) -> list[str]:
    """The values worth hiding in an address field: when it is a path on this site, whatever follows the path (from
    the first "?", "#" or ";", written or %-encoded), as posted and as each decoding reads it, and each item of its
    query, fragment and parameters; else the whole value (someone typed it). The path itself names pages by id and
    step, never a person, and is kept."""
    if not value.startswith("/") or value.startswith("//"):
        return [value]
    values, form = [], value
    for _ in range(_MOST_DECODINGS + 1):
        tail = _ADDRESS_TAIL_RE.search(form)
        if tail is None:
            break
        values.append(form[tail.start() :])
        split = urlsplit(form)
        # Each item of the parameters, query and fragment, "q=Robin" or a bare "Robin" (parse_qs drops an item with
        # no "="), decoded.
        parts = (split.path.partition(";")[2], split.query, split.fragment)
        values.extend(unquote_plus(item.partition("=")[2] or item) for part in parts for item in re.split("[&;]", part))
        decoded = unquote(form)
        if decoded == form:
            break
        form = decoded
    return values


def _worth_hiding(value: str) -> bool:
    return len(value) >= (MIN_SCRUBBED_DIGITS if value.isdigit() else MIN_SCRUBBED_LENGTH)


def scrub_text(text: str, secrets=(), path: str = "", unmasked=()) -> str:
    """``text`` with each of ``unmasked`` (the request's path as it came, decoded or escaped) written as ``path`` (the
    path as logs write it, ``loggable_path``), then each of ``secrets`` (values a request carried) and every email
    address replaced.

    A secret found wholly inside an occurrence of ``path`` (the request's own path) is left: the path is logged
    in its own field, and a posted ``next=/portal/`` must not turn "POST /portal/sign-in/" into
    "POST [Filtered]sign-in/". The same value anywhere else in the text is replaced.
    """
    for raw in unmasked:
        text = text.replace(raw, path)
    present = sorted((secret for secret in secrets if secret in text), key=len, reverse=True)
    if present:
        kept = _spans(text, path) if len(path) > 1 else []
        pattern = re.compile("|".join(re.escape(secret) for secret in present))  # longest first wins

        def replace(match):
            start, end = match.span()
            inside_path = any(low <= start and end <= high for low, high in kept)
            return match.group(0) if inside_path else FILTERED

        text = pattern.sub(replace, text)
    return _EMAIL_RE.sub(EMAIL_REDACTED, text) if "@" in text else text


def _spans(text: str, part: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(part)
    while start != -1:
        spans.append((start, start + len(part)))
        start = text.find(part, start + 1)
    return spans


def loggable_path(request) -> str:
    """The request's path as every log line writes it: each argument of its route that holds a link's secret
    (``_MASKED_ARGUMENT_RE``) written as ``[name]``, each email address as ``[email]``, the rest as it came, control
    characters escaped (``_printable``). A path that matches no route (a 404) is written as it came, escaped, but for
    a link's route run on into more characters (``_route_of``), whose secret is masked all the same. Worked out once
    per request."""
    logged = getattr(request, "_portal_loggable_path", None)
    if logged is None:
        logged = _printable(_masked_path(request))
        if "@" in logged:
            # Segment by segment first; then as every other text is scrubbed, for what spans a "/" ("a@b/c.org").
            logged = _EMAIL_RE.sub(EMAIL_REDACTED, _PATH_EMAIL_RE.sub(EMAIL_REDACTED, logged))
        request._portal_loggable_path = logged
    return logged


def _secret_arguments(match) -> list[tuple[str, str]]:
    """The arguments of a resolved route that hold a link's secret (``_MASKED_ARGUMENT_RE``), as (name, value)."""
    return [
        (name, value)
        for name, value in (match.kwargs.items() if match is not None else ())
        if isinstance(value, str) and value and _MASKED_ARGUMENT_RE.search(name)
    ]


def _masked_path(request) -> str:
    path, info = request.path, request.path_info
    match = getattr(request, "resolver_match", None)
    masked = _secret_arguments(match)
    if not masked and (match is None or match.url_name == CATCH_ALL_URL_NAME):
        masked = _secret_arguments(_route_of(request))
    if not masked:
        return path
    for name, value in masked:
        if "/" in value:
            info = info.replace(value, f"[{name}]")
        else:
            info = "/".join(f"[{name}]" if segment == value else segment for segment in info.split("/"))
    return path[: len(path) - len(request.path_info)] + info


_MOST_PARTS = 8


def _route_of(request):
    """The route with a link's secret that the path matches, for a request no such route answered: one a middleware
    answered before Django resolved it (a redirect to sign in, or to the address with its slash: a link whose last
    "/" a mail program dropped), or one not found because a mail program ran the link on into the next characters
    ("/portal/invitation/<token>/)", whose token still works once they are taken off). Tried: the path, with its
    slash, then each shorter path ending in "/" of two parts or more. None when no such route matches."""
    urlconf = getattr(request, "urlconf", None)
    info = request.path_info
    candidates = [info, f"{info}/"] if not info.endswith("/") else [info]
    parts = info.rstrip("/").split("/")
    # No route with a secret has more parts than _MOST_PARTS: a path of thousands of "/" is not tried each time.
    candidates += ["/".join(parts[:end]) + "/" for end in range(min(len(parts) - 1, _MOST_PARTS), 2, -1)]
    for candidate in candidates:
        try:
            match = resolve(candidate, urlconf)
        except Resolver404:
            continue
        except Exception:  # a broken URL configuration is not the log line's to report
            return None
        if _secret_arguments(match):
            return match
    return None


def path_forms(request) -> tuple[str, tuple[str, ...]]:
    """The request's loggable path, and the forms of its path as it came (decoded, escaped as in a URL, and as
    Django's own warnings escape it) that a line must not carry when they differ from it."""
    logged = loggable_path(request)
    if logged == request.path:
        return logged, ()
    path = request.path
    forms = {path, escape_uri_path(path), iri_to_uri(path), path.encode("unicode_escape").decode("ascii")}
    forms.discard(logged)
    return logged, tuple(sorted(forms, key=len, reverse=True))


def _current_secrets():
    request = _request.get()
    if request is None:
        return (), "", ()
    return request_values(request, parse_body=False), *path_forms(request)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request), for both formats."""

    def filter(self, record):
        record.request_id = _request_id.get() or "-"
        return True


class WarningWithoutTraceback(logging.Filter):
    """Makes a record a one-line warning: for a request naming a host the portal does not answer to, which scanners
    send all day and Django logs as an error with its traceback (django.security.DisallowedHost). The request's own
    line still says 400."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


class JsonFormatter(_PythonJsonFormatter):
    """One JSON object a line with the named fields only.

    A record's other attributes are dropped: Django's request logger attaches the request, whose text holds the
    query string, and a library's extra may hold anything. Email addresses are redacted from the message and any
    traceback, since a library may log a username, and so is any value the current request carried (an exception
    message quoting an answer).
    """

    # The fields a record carries as attributes (the filter's request id, RequestLogMiddleware's and
    # sign_in_refused_log's extra).
    RECORD_FIELDS = (
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "user_id",
        "account_id",
        "client_ip",
        "user_agent",
    )
    FIELDS = ("time", "level", "logger", "message", *RECORD_FIELDS, "exc_info")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record):
        """The named fields read straight from the record. python-json-logger's own path merges every attribute of
        the record and then this formatter drops most of them: that was about two thirds of a request line's cost."""
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        attributes = record.__dict__
        for key in self.RECORD_FIELDS:
            data[key] = attributes.get(key)
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exc_info"] = record.exc_text
        return self.serialize_log_record(self.process_log_record(data))

    def process_log_record(self, log_data):
        kept = {key: log_data[key] for key in self.FIELDS if log_data.get(key) is not None}
        secrets = _current_secrets()
        for key in ("message", "exc_info"):
            if isinstance(kept.get(key), str):
                kept[key] = scrub_text(kept[key], *secrets)
        return kept


class TextFormatter(logging.Formatter):
    """Development's plain lines, with the request id; scrubbed as in JSON."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        super().__init__(*args, **kwargs)

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return scrub_text(super().format(record), *_current_secrets())


def _incoming_request_id(request) -> str:
    """The proxy's ``X-Request-ID``, when the request came from one of PORTAL_TRUSTED_PROXIES and the id is
    well-formed; else a new id. A client's own header is never believed: it could tie its lines to anyone's."""
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    address = request.META.get("REMOTE_ADDR")
    if _REQUEST_ID_RE.fullmatch(value) and address_in_setting(address, "PORTAL_TRUSTED_PROXIES"):
        return value
    return uuid.uuid4().hex


def _client_address(request):
    """The client's address as the audit log sees it (``cms.client_addresses.client_ip``): a trusted
    proxy's X-Forwarded-For, never one a client sent straight to the app server."""
    return client_ip(request)


def _printable(value: str) -> str:
    """``value`` with every character that is not printable (a line break, a tab, an escape, a Unicode line
    separator) written %-encoded as in a URL: text a client sent (``%0d%0a`` in a path, a User-Agent) cannot start a
    line of its own in the text format, and the line still shows what was sent."""
    if value.isprintable():
        return value
    return "".join(char if char.isprintable() else quote(char, safe="") for char in value)


def _user_agent(request) -> str | None:
    """The start of the client's User-Agent, control characters escaped (``_printable``), email addresses redacted."""
    value = _printable(request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH].strip())
    return (scrub_text(value) if "@" in value else value) or None


def _user_id(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:
        # The session or the user could not be read (the database is down): the request's line is written without.
        return None


class RequestLogMiddleware:
    """Outermost middleware: the request id, the one line per request, and the request metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_request_id(request)
        # Both stay set until the response is closed (request_finished): Django logs a 4xx or 5xx response after
        # the middleware has returned it, and that line should carry the id too.
        _request_id.set(request_id)
        _request.set(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            duration = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            metrics.request_observe(
                method=request.method, status=status, view=match.view_name if match else "", seconds=duration
            )
            path = request.META[LOG_PATH_ENVIRON_KEY] = loggable_path(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                status,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(duration * 1000, 1),
                    "user_id": _user_id(request),
                    "client_ip": _client_address(request),
                    "user_agent": _user_agent(request),
                },
            )


def _sign_in_extra(request, account_id) -> dict:
    return {
        "account_id": account_id,
        "client_ip": _client_address(request) if request is not None else None,
        "user_agent": _user_agent(request) if request is not None else None,
    }


def sign_in_refused_log(message: str, *, request, account_id=None) -> None:
    """One warning line (logger ``cms.security``) for a refused sign-in or code: the client's address, its user
    agent and the account's id when the address typed is an account's; never what was typed."""
    security_logger.warning(message, extra=_sign_in_extra(request, account_id))


def sign_in_accepted_log(message: str, *, request, account_id) -> None:
    """One info line (logger ``cms.security``) for a step of a sign-in passed (the password, the two-factor code), as
    ``sign_in_refused_log`` writes one for each refused: the account's id, the client's address and its user agent;
    never the address or anything typed."""
    security_logger.info(message, extra=_sign_in_extra(request, account_id))


def task_request_id_attach(sender=None, task=None, **kwargs):
    """django-q2's ``pre_enqueue``: a task queued during a request carries that request's id (an id, nothing else;
    a retry carries the same one)."""
    request_id = _request_id.get()
    if request_id and task is not None:
        task["request_id"] = request_id


def task_request_id_start(sender=None, task=None, **kwargs):
    """django-q2's ``pre_execute``: the worker's lines for this task carry the id of the request that queued it."""
    _id_before_task.set(_request_id.get())
    _request_id.set((task or {}).get("request_id"))


def task_request_id_result(sender=None, task=None, **kwargs):
    """django-q2's ``post_execute``, sent in the cluster's monitor process (not the worker's) just before it logs the
    task's result ("Processed ...", "Failed ... - <the error>"): that line carries the id of the request that queued
    the task. The id stays until the next result; the monitor logs nothing else between two but a result it could not
    save."""
    _request_id.set((task or {}).get("request_id"))


def task_request_id_end(sender=None, task=None, **kwargs):
    """django-q2's ``post_execute_in_worker``: the worker's next lines no longer carry the task's request id."""
    _request_id.set(_id_before_task.get())
    _id_before_task.set(None)


def _request_ended(**kwargs):
    _request.set(None)
    _request_id.set(None)


request_finished.connect(_request_ended, dispatch_uid="cms.logs.request_ended")
