"""What search engines may read and where it is: /robots.txt and /sitemap.xml.

robots.txt lets them read the public guidance and keeps them out of the portal, the staff admin, the sign-in
pages, documents, search results and the feedback form. The sitemap is Wagtail's (``wagtail.contrib.sitemaps``):
the live pages of the request's site that have no view restriction (Wagtail's ``public()``, so nothing private or
behind sign-in, nor under such a page). Neither is a Wagtail page, so the page cache never keeps them
(``cms.cache.request_is_cacheable``) and a publish shows at once. Every address in them is a whole one on the
site's public address (WAGTAILADMIN_BASE_URL), not the Site record's host name, which may be ``localhost``.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

ROBOTS_DISALLOW = ("/portal/", settings.PORTAL_ADMIN_PATH_PREFIX, "/_util/", "/documents/", "/search/", "/feedback/")


def public_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, each page on the site's public address."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = public_url(urlsplit(url["location"]).path)
        return urls


def sitemap_xml(request):
    return wagtail_sitemap(request, sitemaps={"guidance": PublicSitemap})


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        f"Sitemap: {public_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
