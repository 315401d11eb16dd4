"""PDF rendering, the one module that imports WeasyPrint: HTML or a template in, PDF bytes out, and the response that
sends them.

WeasyPrint is imported lazily (importing it costs about a second) and always runs with a URL fetcher that reads only
our own static files and data: URLs: no network, no file paths, nothing named by user input. User text reaches a PDF
only through Django templates, which escape it. Pictures from storage go in as data: URLs (``file_data_url``).
"""

import base64
import functools
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# Relative URLs in PDF templates resolve against this made-up origin; the fetcher maps it to static files.
PDF_BASE_URL = "https://pdf.portal.invalid/"


class PdfResourceRefused(ValueError):
    """A PDF template asked for something other than one of our static files."""


def _static_path(url):
    """The local path of a static file named by url, or None when url is not one of ours."""
    parts = urlsplit(url)
    origin = urlsplit(PDF_BASE_URL)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        return None
    if not parts.path.startswith(settings.STATIC_URL):
        return None
    name = unquote(parts.path[len(settings.STATIC_URL) :])
    if not name or ".." in name.split("/"):
        return None
    found = finders.find(name)
    if found:
        return found
    try:
        return staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None
    except NotImplementedError:
        return None


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves our static files and data: URLs; refuses everything else without opening it."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise PdfResourceRefused(f"PDF resource refused: {url[:80]}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticOnlyURLFetcher


def url_fetcher():
    """The fetcher every rendering uses: our static files under PDF_BASE_URL, and data: URLs."""
    return _fetcher_class()(timeout=2, allowed_protocols={"https", "data"})


def html_to_pdf(html: str, *, base_url: str | None = PDF_BASE_URL) -> bytes:
    """PDF bytes of an HTML document. Relative URLs resolve against ``base_url``, so ``{% static %}`` stylesheets and
    images load; a document that names no static file but links into the site (a guidance page's rich text) passes
    ``base_url=None``, which leaves its links as written. The fetcher is the same either way."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, *, base_url: str | None = PDF_BASE_URL) -> bytes:
    """PDF bytes of a Django template rendered with context (see ``html_to_pdf`` for ``base_url``)."""
    return html_to_pdf(render_to_string(template_name, context), base_url=base_url)


def file_data_url(file, *, default_type: str = "image/png") -> str:
    """A stored file (a Django File, e.g. an image rendition's) as a data: URL, the way a picture from storage goes
    into a PDF: the fetcher never reads media."""
    with file.open("rb") as handle:
        data = handle.read()
    mime = mimetypes.guess_type(file.name)[0] or default_type
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def pdf_response(data: bytes, *, filename: str, attachment: bool = False) -> HttpResponse:
    """PDF bytes as an HTTP response, shown in the browser or (``attachment``) downloaded under ``filename``.

    The name loses any path and control characters and is quoted by Django, so it cannot break the header. Caching is
    the caller's to set: a guide is public, a child's PDF is not.
    """
    name = "".join(ch for ch in filename.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(attachment, name or "document.pdf")
    return response
