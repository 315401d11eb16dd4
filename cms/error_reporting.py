"""Error reporting to Sentry (sentry-sdk with its Django integration), on only when SENTRY_DSN is set.

A report says where the code failed, never about whom. sentry-sdk is told to collect nothing personal
(``send_default_pii`` off, which sentry-sdk 2.75 wants left unset rather than set to False; no request bodies;
no local variables), and ``scrub_event`` then removes from each event
what could still carry something: the request's cookies, query string, body and every header but a few technical
ones, the data of breadcrumbs, and any text in which a value the request posted or asked for appears (an answer
quoted in an exception message, a child's name in a log line; of an address to go to next, what follows its path,
as cms.logs.request_values says), or an email address. The request's path, wherever it appears (the
event's URL, a log line's message), is written as its log lines write it, an emailed link's token masked. Each
event is tagged with the request id of the log lines (cms.logs), so an operator finds the request's lines from the
report.
"""

from django.conf import settings

from cms.logs import current_request, current_request_id, path_forms, request_values, scrub_text

# Headers that say nothing about who sent the request.
KEPT_HEADERS = {"accept", "content-length", "content-type", "host", "x-request-id"}


def sentry_init(*, dsn: str, environment: str, release: str = "", transport=None) -> None:
    """Start reporting errors to ``dsn``; ``transport`` replaces sentry-sdk's HTTP one (tests keep events in memory)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        transport=transport,
    )


def sentry_init_from_settings() -> bool:
    """Start reporting when SENTRY_DSN is set (CmsConfig.ready); True when it did."""
    if not settings.SENTRY_DSN:
        return False
    sentry_init(dsn=settings.SENTRY_DSN, environment=settings.SENTRY_ENVIRONMENT, release=settings.SENTRY_RELEASE)
    return True


def _scrub(value, secrets):
    if isinstance(value, str):
        return scrub_text(value, *secrets)
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item, secrets) for item in value]
    return value


def scrub_event(event, hint=None):
    """sentry-sdk's ``before_send``: the event without anything that could identify a person or hold an answer."""
    request_data = event.get("request")
    if isinstance(request_data, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request_data.pop(key, None)
        headers = request_data.get("headers") or {}
        request_data["headers"] = {name: v for name, v in headers.items() if name.lower() in KEPT_HEADERS}
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        crumb.pop("data", None)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    request = current_request()
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    secrets = (request_values(request, parse_body=True), *path_forms(request)) if request is not None else ()
    return _scrub(event, secrets)
