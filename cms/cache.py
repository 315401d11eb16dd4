"""The page cache: wagtail-cache keeps rendered guidance pages, and these rules keep it safe.

wagtail-cache (settings ``WAGTAIL_CACHE_*``) serves a kept copy of a page without touching the database.
Only anonymous GET/HEAD requests for Wagtail pages, from browsers without a session, are served from it
or stored in it; the portal, the admin and anything a signed-in person sees never are (a shared page cache also
keeps guidance pages' navigation, public titles and addresses, for every render: cms/navigation.py). A publish, an
unpublish, a move or deletion of a page, a change to the site settings, a redirect, a page's privacy, a site or a
topic empties it at once, and again when the change is committed (cms/apps.py).

A hit is answered high in the middleware stack (settings.MIDDLEWARE: just below UpdateCacheMiddleware), before
the session is read or the user loaded, so it costs little more than reading the kept copy (from the process
itself when cms.redis_cache.PageCacheRedis kept it there, else one Redis round trip). That is safe
because nobody is signed in without a session cookie, and a request carrying one is never served from the
cache (``request_is_cacheable``). The middleware below the cache does not run on a hit: the kept copy carries
the headers it added when the page was stored (Content-Security-Policy, X-Frame-Options), and a kept redirect is
not asked of the redirects middleware again, which is why a redirect's change empties the cache. A 404 is never
kept (``response_is_cacheable``). The middleware above it still runs on a hit: the request log line and metrics,
the security headers, and the token swap below (which finds no placeholder in a kept page and does nothing).

CSRF: a kept page must never carry one visitor's CSRF token to the next, and making a token for every hit was a
quarter of a hit's cost. So the pages the cache keeps carry no token at all: the guidance pages' "Was this page
useful?" buttons open the feedback page, which is never cached and has its own form (faq.views). A form that may be
rendered on a cacheable template for a browser with a session writes ``{% csrf_token_placeholder %}`` instead of
``{% csrf_token %}``; CsrfTokenPlaceholderMiddleware swaps in that browser's own token on the way out, after the
cache would have stored the page with the placeholder. A page whose HTML holds a real token is never stored.

Browsers and shared caches (a council's proxy) ask again every time. wagtail-cache gives every page it serves or
stores ``Cache-Control: max-age`` (the page cache's own timeout, PORTAL_PAGE_CACHE_SECONDS) and an ``Expires``, so a
browser would go on showing its own copy for up to ten minutes after an approver published a correction or
unpublished a page (say, one that showed someone's details by mistake), though the page cache itself has emptied at
once. It reads its timeout from that same header before storing, and stores nothing marked ``no-cache``, so the
headers cannot be changed below it: BrowserRevalidationMiddleware, above it, sends ``no-cache`` (and max-age=0, no
``Expires``) on the pages the cache serves or stores, and the kept copy is unchanged. A repeat visit stays cheap: a
page the cache may store is given an ETag before it is stored (PageCacheETagMiddleware, just below the cache, so a
hit hashes nothing) and the printable keeps its Last-Modified; a browser that sends them back for an unchanged page
gets a 304 with no body, answered from the kept copy.

The same middleware puts back the ``Vary: Cookie`` that wagtail-cache takes off those responses (one kept copy serves
every browser without a session): a browser's copy belongs to the cookies it was fetched with, so one that signs in
never shows its signed-out copy (no "Sign out" link: on a shared school computer, the next person would not find how
to sign out), and a request with a session is never answered from the cache, nor with a 304. It goes back after the
page cache learned its key, so the page cache's single copy is unchanged.

CSP nonces: a kept page would repeat its nonce to every visitor. Templates of cacheable pages have no inline
script (GOV.UK Frontend starts from cms/init.js), so they never ask for a nonce and their policy has none;
a response whose Content-Security-Policy carries a nonce is never stored.
"""

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe
from wagtailcache.cache import Status, clear_cache
from wagtailcache.settings import wagtailcache_settings

CSRF_TOKEN_PLACEHOLDER = "__portal_csrf_token__"  # noqa: S105 - a marker, not a secret
_PLACEHOLDER_BYTES = CSRF_TOKEN_PLACEHOLDER.encode()
_REAL_TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="(?!' + re.escape(_PLACEHOLDER_BYTES) + rb")")
NEVER_CACHED_PREFIXES = ("/admin/", "/portal/", "/documents/", "/search/", "/feedback/")
# Browsers carrying these cookies may see something of their own (a session, a flash message).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def request_is_cacheable(request, is_cacheable):
    """wagtail-cache hook: only anonymous, session-less GETs of Wagtail pages may use the cache.

    It runs before AuthenticationMiddleware: the session cookie's absence is what makes a request anonymous.
    """
    if not is_cacheable:
        return False
    if request.path_info.startswith(NEVER_CACHED_PREFIXES):
        return False
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return False
    if not _one_copy_per_page(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


def _one_copy_per_page(request) -> bool:
    """Whether the cache's key for this request names the page alone. wagtail-cache keys a copy by the address as
    asked, so every query string and every port written into the Host header kept another copy of the same page (a
    penetration test's 50 requests to 50 ports made 104 entries, each a whole page in the page cache's Redis). Kept:
    an address with no query string but the tracking parameters wagtail-cache leaves out of its key
    (``WAGTAIL_CACHE_IGNORE_QS``: a newsletter's links), with no port in the Host header or the server's own (one
    more copy at most). Anything else (a page of a listing, a made-up parameter or port) is answered fresh."""
    ignored = wagtailcache_settings.WAGTAIL_CACHE_IGNORE_QS or ()
    if any(not any(re.match(pattern, name) for pattern in ignored) for name in request.GET):
        return False
    try:
        _domain, port = split_domain_port(request.get_host())
    except DisallowedHost:
        return False
    return port in ("", str(request.get_port()))


def response_is_cacheable(response, is_cacheable):
    """wagtail-cache hook: a page that carries a real CSRF token or a CSP nonce belongs to one response alone.

    wagtail-cache keeps 404s too (it has no setting against it): a page published while its address was being
    answered "Page not found" would stay not found until the kept copy ran out. A 404 is never kept.
    """
    if not is_cacheable or response.status_code == 404:
        return False
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return False
    if response.streaming:
        return is_cacheable
    if response.get("Content-Type", "").startswith("text/html") and _REAL_TOKEN_RE.search(response.content):
        return False
    return is_cacheable


class BrowserRevalidationMiddleware:
    """On the pages the cache serves or stores: ``no-cache`` for browsers and shared caches instead of wagtail-cache's
    max-age, ``Vary: Cookie`` back, and a 304 for a browser whose copy is still the page's (the module's docstring).

    Sits above wagtail-cache's UpdateCacheMiddleware, which has learned the page's cache key and stored the page by
    then: browsers and shared caches ask again every time, the page cache keeps its copy for its timeout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get(wagtailcache_settings.WAGTAIL_CACHE_HEADER) not in (Status.HIT.value, Status.MISS.value):
            return response
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, no_cache=True, max_age=0)
        response.headers.pop("Expires", None)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        last_modified = response.get("Last-Modified")
        not_modified = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified and parse_http_date_safe(last_modified),
            response=response,
        )
        if not_modified is not response:
            not_modified[wagtailcache_settings.WAGTAIL_CACHE_HEADER] = response[
                wagtailcache_settings.WAGTAIL_CACHE_HEADER
            ]
        return not_modified


class PageCacheETagMiddleware:
    """Gives a page the cache may store an ETag (a hash of its content) before it is stored, so the kept copy carries
    it and a hit hashes nothing. Sits just below wagtail-cache's FetchFromCacheMiddleware: it sees only the responses
    rendered afresh, after every middleware below has finished them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "_wagtailcache_update", False)
            and request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("ETag")
            and _may_be_stored(response)
        ):
            set_response_etag(response)
        return response


def _may_be_stored(response) -> bool:
    """Whether the page cache would store ``response``, as wagtail-cache and ``response_is_cacheable`` decide: not
    marked ``private`` or ``no-cache``, and no CSP nonce or real CSRF token in it. A page it will not store is sent
    to one browser alone, so hashing it for an ETag is wasted."""
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-cache" in cache_control:
        return False
    return response_is_cacheable(response, True)


class CsrfTokenPlaceholderMiddleware:
    """Puts the requesting browser's CSRF token where a cacheable page has the placeholder.

    Sits below CsrfViewMiddleware (so the token's cookie is set) and above wagtail-cache's
    UpdateCacheMiddleware (so the cache stores the page before the token goes in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or _PLACEHOLDER_BYTES not in response.content
        ):
            return response
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
        # This copy now belongs to one browser: shared caches must not keep it.
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
        response.headers.pop("Expires", None)
        # The kept copy's ETag names the page with the placeholder, not this one.
        response.headers.pop("ETag", None)
        return response


def page_cache_clear(**kwargs):
    """Empty the page cache now and again once the transaction commits (a publish may change any page's links).

    The second emptying drops any copy of the old page that a request stored before the change committed.
    """
    clear_cache()
    transaction.on_commit(clear_cache)
