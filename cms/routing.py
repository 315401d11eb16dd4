"""Wagtail's routing of a page's address, kept between requests in the shared page cache.

Wagtail finds the page for an address by reading the site for the host name, then walking down the tree a level at a
time, each level a query for the child and another for its own type: five queries for a page two levels below the
home page, on every render the page cache does not answer (a signed-in professional reading guidance, anyone after a
message was flashed). What the walk finds depends on the site's host names and root, and on the pages' slugs, places
and publication: each change of those empties the page cache at once, for every app server (cms/apps.py). So, when
every app server shares the page cache (Redis, ``PORTAL_PAGE_CACHE_URL``), the site and the page's id and type that an
address led to are kept there, and a later request for the same address reads the page by its id (one query) and asks
the page to route the rest of the way itself (none left: the address was the page's own), as the walk's last step did.
A page cache in each process's own memory is emptied only in the process that made the change, so there the walk runs
every time, as it does for anything but a GET or HEAD, and for an address a page's own routes answer (its printable).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve


def _key(request, components) -> str:
    hostname = split_domain_port(request._get_raw_host())[0]
    return f"page-route:{hostname}:{request.get_port()}:{'/'.join(components)}"


def _from_kept(request, kept) -> bool:
    """Give the request the kept site and route, as Wagtail keeps them on the request; False when the page is gone."""
    site, content_type_id, page_id = kept
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=page_id).first() if model is not None else None
    if page is None:
        return False
    request._wagtail_site = site
    try:
        request._wagtail_route_for_request = page.route(request, [])
    except Http404:
        request._wagtail_route_for_request = None
    return True


def route_kept(request, path):
    """Set the request's site and route from the page cache, or work them out and keep them there."""
    if not settings.PORTAL_PAGE_CACHE_URL or request.method not in ("GET", "HEAD"):
        return
    components = [component for component in path.split("/") if component]
    key = _key(request, components)
    cache = caches["pagecache"]
    kept = cache.get(key)
    if kept is not None and _from_kept(request, kept):
        return
    route = Page.route_for_request(request, path)
    site = Site.find_for_request(request)
    if route is None or site is None:
        return
    page = route.page
    if page.url_path == site.root_page.url_path + "".join(f"{component}/" for component in components):
        cache.set(key, (site, page.content_type_id, page.pk))


def serve(request, path):
    """Wagtail's serve view, with the site and the route from the page cache when it kept them."""
    route_kept(request, path)
    return wagtail_serve(request, path)
