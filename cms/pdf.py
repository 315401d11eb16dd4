"""PDF rendering, the one module that imports WeasyPrint: HTML or a template in, PDF bytes out, and the response that
sends them.

WeasyPrint is imported lazily (importing it costs about a second) and always runs with a URL fetcher that reads only
our own static files and data: URLs: no network, no file paths, nothing named by user input. User text reaches a PDF
only through Django templates, which escape it. Pictures from storage go in as data: URLs (``file_data_url``).

Every PDF is tagged to PDF/UA-1 (``PDF_VARIANT``): a structure tree of headings, paragraphs, lists, tables and
figures (alt text from ``alt``), MarkInfo, the PDF/UA identification in XMP, ``/Lang`` from ``<html lang>``, the
``<title>`` shown as the window title, author and subject from ``<meta name="author">`` and
``<meta name="description">``. WeasyPrint 70 leaves the text of ``@page`` margin boxes (running headers, page
numbers) as marked content outside the structure tree; ``_margin_boxes_as_artifacts`` marks it as pagination
artifacts, which assistive technology skips. A template's decoration that is not content goes in as a background
(drawn as an artifact), never as text.

Every PDF draws its text in one stack of fonts (``PDF_FONT_FAMILY``), given as a default that a template's own
``font-family`` would override; templates set sizes, not families.
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

# Every PDF the portal makes is PDF/UA-1 (tagged, with its identification in the XMP metadata).
PDF_VARIANT = "pdf/ua-1"

# The fonts of every PDF, first that has the character wins: Liberation Sans (Arial's metrics) for Latin, Greek and
# Cyrillic (Welsh, Polish, Romanian...); then Arabic script (Arabic, Urdu, Persian names; one font, so a word's letters
# join) and Chinese (simplified forms; fontconfig alone picks the Japanese ones). Emoji are not named: fontconfig falls
# back to Noto Color Emoji for them (WeasyPrint draws its PNG glyphs, in colour), and naming it here would draw every
# digit and "#" with its emoji glyphs. Debian packages: fonts-liberation, fonts-noto-core, fonts-noto-cjk,
# fonts-noto-color-emoji. A missing font is skipped and the PDF still renders; a character no font has shows as an
# empty box, and WeasyPrint logs ".notdef glyph rendered".
PDF_FONT_FAMILY = '"Liberation Sans", Arial, "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif'

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
    the site's public address, so its links work from a downloaded file (faq.pdf). The fetcher is the same either
    way: it opens our static files and data: URLs, nothing else."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher())
    return document.write_pdf(
        stylesheets=[_fonts_stylesheet()], pdf_variant=PDF_VARIANT, finisher=_margin_boxes_as_artifacts
    )


@functools.cache
def _fonts_stylesheet():
    """PDF_FONT_FAMILY for the document and the page, whose margin boxes (running headers, page numbers) inherit from
    the page, not the body. A user stylesheet: below the template's own rules in the cascade."""
    from weasyprint import CSS

    return CSS(string=f"html {{ font-family: {PDF_FONT_FAMILY} }} @page {{ font-family: {PDF_FONT_FAMILY} }}")


def _object(pdf, reference):
    return pdf.objects[int(reference.split()[0])]


def _tagged_numbers(pdf, root):
    """The object numbers of every structure element reachable from the structure tree's root."""
    found, pending = set(), [root]
    while pending:
        element = pending.pop()
        for kid in element.get("K", ()):
            if isinstance(kid, bytes) and kid.endswith(b" R"):
                number = int(kid.split()[0])
                if number not in found:
                    found.add(number)
                    pending.append(pdf.objects[number])
    return found


def _margin_boxes_as_artifacts(document, pdf):
    """WeasyPrint's finisher: the marked content no structure element holds (what WeasyPrint 70 draws for ``@page``
    margin boxes: running headers and page numbers) becomes a pagination artifact, and the parent tree forgets it.
    Without this a PDF/UA checker finds content that is neither tagged nor an artifact (upstream:
    https://github.com/Kozea/WeasyPrint/issues/1836)."""
    import pydyf

    root_reference = pdf.catalog.get("StructTreeRoot")
    if root_reference is None:
        return
    root = _object(pdf, root_reference)
    tagged = _tagged_numbers(pdf, root)
    nums = _object(pdf, root["ParentTree"])["Nums"]
    # Nums pairs each page's number with the array of its structure elements by MCID (then annotations' keys).
    by_page = {nums[index]: nums[index + 1] for index in range(0, len(nums), 2) if isinstance(nums[index + 1], list)}
    for page_number, page_reference in enumerate(pdf.page_references):
        elements = by_page.get(page_number, [])
        loose = {mcid for mcid, reference in enumerate(elements) if int(reference.split()[0]) not in tagged}
        if not loose:
            continue
        for mcid in loose:
            elements[mcid] = b"null"
        content = _object(pdf, _object(pdf, page_reference)["Contents"]).stream
        for index, item in enumerate(content):
            if isinstance(item, pydyf.Dictionary) and item.get("MCID") in loose and content[index + 1] == b"BDC":
                content[index - 1] = "/Artifact"
                content[index] = pydyf.Dictionary({"Type": "/Pagination"})


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
