"""Site-wide views: liveness, readiness, metrics, search, image renditions kept on local disk, and error pages that
say what happened and what to do next."""

import logging
import sys
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.static import serve
from wagtail import hooks

from cms import metrics as portal_metrics
from cms.client_addresses import address_in_setting, client_ip
from cms.postgresql_backend import connection_failed
from cms.readiness import check_database, readiness_recent
from cms.search import guidance_search, search_terms
from cms.site_settings import site_settings_last_read

logger = logging.getLogger(__name__)
SEARCH_EMPTY = "Enter a word to search for"
SEARCH_NEEDS_WORDS = "Enter a word to search for, using letters or numbers"
SEARCH_MAX_CHARACTERS = 200
# How long a client is told to wait (Retry-After) when the database cannot be reached: "a few minutes", a failover's or
# a restart's time.
DATABASE_RETRY_AFTER_SECONDS = 120


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        check_database()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def readyz(request):
    """200 when every service this app server needs is ready, else 503 naming each check that failed; with how many
    seconds ago the checks ran (an answer may be reused, or the last one given while a run is going), in the body only:
    an ``Age`` header is a cache's (RFC 9111), and this answer is never cached."""
    ready, results, age = readiness_recent()
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results, "checked_seconds_ago": age},
        status=200 if ready else 503,
    )
    # Each failed check is logged as a warning already; Django's "Service Unavailable" error line (and the error
    # report it would raise) for every probe of a load balancer would say nothing more.
    response._has_been_logged = True
    return response


@never_cache
def metrics(request):
    """Prometheus metrics, for the addresses in PORTAL_METRICS_ALLOWED_IPS only; anyone else gets a 404."""
    if not address_in_setting(client_ip(request), "PORTAL_METRICS_ALLOWED_IPS"):
        raise Http404
    return HttpResponse(portal_metrics.exposition(), content_type=portal_metrics.CONTENT_TYPE)


def search(request):
    """Search over the guidance: title, snippet and section for each result, and advice when none match."""
    typed = request.GET.get("q", "").strip()
    query = typed[:SEARCH_MAX_CHARACTERS]
    results = None
    has_words = bool(search_terms(query))
    search_error = None
    if "q" in request.GET and not has_words:
        # Sent empty, only spaces or only symbols, from either search box; the page reached by a link asks nothing.
        search_error = SEARCH_NEEDS_WORDS if query else SEARCH_EMPTY
    if has_words:
        results = guidance_search(query=query, page_number=request.GET.get("page", 1), user=request.user)
    # The page the advice for a search with no results names (faq registers its FAQ page), if an app offers one.
    faq_page = next(filter(None, (hook() for hook in hooks.get_hooks("search_advice_page"))), None)
    response = render(
        request,
        "cms/search.html",
        {
            "query": query,
            "has_words": has_words,
            "search_error": search_error,
            "shortened": len(typed) > SEARCH_MAX_CHARACTERS,
            "max_characters": SEARCH_MAX_CHARACTERS,
            "results": results,
            "faq_page": faq_page,
        },
    )
    if request.user.is_authenticated:
        # The results may name pages private to this person: no browser or shared cache keeps them for anyone else.
        add_never_cache_headers(response)
    return response


def image_rendition(request, path):
    """An image rendition for a public page, kept on local disk (MEDIA_ROOT/images): the pictures of guidance pages.

    Only that folder is served: originals, documents and private files under MEDIA_ROOT never are. Browsers keep a
    picture an hour, then ask again (Last-Modified), so a replaced screenshot shows within the hour. Where media is on
    an S3-compatible store the renditions have public URLs of their own and this view is not routed (cms.urls).
    """
    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "images")
    patch_cache_control(response, public=True, max_age=60 * 60)
    return response


def _render_error(request, template_name, status, *, with_site_context=True, context=None):
    # An error page must render even when the database is the thing that failed, so the context
    # processors that read site settings are allowed to fail quietly (see cms/templatetags).
    # Drawn without the request, the page shows the contacts kept for the site its host leads to (cms.site_settings).
    context = context or {}
    if not with_site_context:
        context = {**context, "request_path": request.path, "kept_portal_settings": site_settings_last_read(request)}
        return HttpResponse(render_to_string(template_name, context), status=status)
    try:
        body = render_to_string(template_name, {**context, "request_path": request.path}, request=request)
    except Exception:
        logger.exception("Error page %s could not render with the site's context", template_name)
        body = render_to_string(
            template_name, {**context, "minimal": True, "kept_portal_settings": site_settings_last_read(request)}
        )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _render_error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _render_error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _render_error(request, "404.html", 404)


def server_error(request):
    """A 503 saying to try again in a few minutes when the database could not be reached (or failed mid-request); any
    other error, a query refused by a database that answers (a bug, a constraint) included, a 500. The 500 says the
    problem has been reported only when it has been: with error reporting on (SENTRY_DSN).

    When the database failed, the page asks it nothing: its site settings (help contacts) and the navigation (the
    signed-in user) would each reach for it again. It shows the settings as last read (cms.site_settings). Django
    calls this handler while it handles the error, so the error is the one being handled."""
    if _database_failed(request, sys.exc_info()[1]):
        response = _render_error(request, "503.html", 503, with_site_context=False)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return _render_error(request, "500.html", 500, context={"error_reported": bool(settings.SENTRY_DSN)})


def _database_failed(request, error) -> bool:
    """The request's connection to the database failed to open (cms.postgresql_backend), or the error is, or was
    raised from or while handling, an OperationalError: the database went away mid-request, or SQLite said "database
    is locked". Asked again, it would fail again, or wait as long."""
    if connection_failed(request):
        return True
    seen, waiting = set(), [error]
    while waiting:
        error = waiting.pop()
        if error is None or id(error) in seen:
            continue
        if isinstance(error, OperationalError):
            return True
        seen.add(id(error))
        waiting.extend((error.__cause__, error.__context__))
    return False


def method_not_allowed(request):
    return _render_error(request, "405.html", 405)


class MethodNotAllowedPageMiddleware:
    """Django answers a method a view does not take (a GET to a form's POST address) with an empty 405: this gives it
    the site's error page, with the Allow header kept. Below the CSP middleware, so the page gets its policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = method_not_allowed(request)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


def csrf_failure(request, reason=""):
    """The site's page for a post refused by the CSRF check, or the view's own when it has one: a view's
    ``csrf_failure`` attribute, called with the request and the view's arguments, may give a page that keeps what was
    typed (faq.views.feedback's comment); None from it means this page."""
    match = getattr(request, "resolver_match", None)
    own_page = getattr(match.func, "csrf_failure", None) if match else None
    response = own_page(request, **match.kwargs) if own_page else None
    return response or _render_error(request, "403_csrf.html", 403)
