"""The printable PDFs of guidance: an FAQ page and a visual guide, from their current content.

Rendering is cms.pdf's. A guide's pictures go in as data: URLs read from our storage; the pages name no static file.
Their rich text links into the site ("/help/..."), which means nothing in a downloaded file, so they render against
the site's public address (WAGTAILADMIN_BASE_URL) and every link in the PDF is a whole address. On paper a link is only
its words, so each link to a page or another site prints its whole address after them, and the documents linked are
listed at the end. Both are tagged PDF/UA (cms.pdf): the council is the author, the page's summary the subject.
"""

import html
import re
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, strip_tags
from wagtail.documents import get_document_model

from cms.models import PortalSettings
from cms.page_links import documents_linked
from cms.pdf import file_data_url, html_to_pdf
from faq.blocks import STEP_IMAGE_SPEC

# The widest picture a guide prints in a column, half the page (85 mm, 321 px at 96 dpi): a phone's screen (360 to 390
# px) prints at about nine tenths of its own size there, and none at less than four fifths.
COLUMN_PICTURE_WIDTH = 400


def _links_base():
    """The address every link of a printable is read against: the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def _documents_listed(page):
    """Title and whole address of each document the page links to that still exists, in the page's order, each once:
    on paper a link is only its words, so the printable ends by saying which documents there are and where."""
    ids = documents_linked(page)
    found = get_document_model().objects.in_bulk(ids)
    return [{"title": found[pk].title, "address": urljoin(_links_base(), found[pk].url)} for pk in ids if pk in found]


# A link and its words (links do not nest): the opening tag, its href, its words.
_LINK = re.compile(r'(<a\b[^>]*?\shref="([^"]*)"[^>]*>)(.*?)</a>', re.IGNORECASE | re.DOTALL)


# How far after a link (tags left out) its address may already be written by hand: "the law (https://...)".
_AFTER_LINK = 200


def _bare(address):
    """A web address as people write it: no "https://" and no closing "/" ("www.gov.uk" for https://www.gov.uk/).
    A "www." stays: gov.uk is not www.gov.uk's written form."""
    return re.sub(r"^https?://", "", address.strip(), flags=re.IGNORECASE).rstrip("/")


def _written_out(address):
    """Finds ``address`` written out in text, bracketed or not, with or without its scheme or closing "/": whole,
    not part of a longer address."""
    return re.compile(
        rf"(?<![\w.@/:-])(?:https?://)?{re.escape(_bare(address))}/?(?=[)\]]|[.,;:!?]?(?:\s|$))", re.IGNORECASE
    )


def _with_addresses(printable_html, documents):
    """``printable_html`` with the whole address of each link to a page or another site in brackets after its words,
    as GOV.UK's print styles do: on paper a link is only its words. Left alone: a link to a document (the printable
    names its documents, with their addresses, at its end), a link whose words are its address (an email address, a
    web address written out, with or without its "https://" or closing "/"), a link its address is already written
    right after, and a link within the page."""
    listed = {document["address"] for document in documents}

    def addressed(link):
        href = html.unescape(link[2])
        address = urljoin(_links_base(), href)
        words = html.unescape(strip_tags(link[3])).strip()
        if href.startswith("#") or urlsplit(address).scheme not in ("http", "https") or address in listed:
            return link[0]
        if words == href or _bare(words) == _bare(address):
            return link[0]
        after = html.unescape(strip_tags(link.string[link.end() : link.end() + _AFTER_LINK]))
        if _written_out(address).search(after):
            return link[0]
        return f"{link[0]} ({escape(address)})"

    return _LINK.sub(addressed, printable_html)


def _printable_pdf(template, page, **context):
    """The printable of ``page`` from ``template`` as PDF bytes. Every printable shows the page; the service it is
    from and the council (its author), from the page's site's settings; the page's own whole address; and the
    documents the page links to (faq/includes/printable_documents.html lists them at its end)."""
    site = page.get_site()
    portal = PortalSettings.for_site(site) if site else PortalSettings()
    documents = _documents_listed(page)
    context = {
        "page": page,
        "author": portal.council_name,
        "service": portal.service_name,
        "address": urljoin(_links_base(), page.url) if page.url else "",
        "subject": page.search_description or page.intro or page.title,
        "documents": documents,
        **context,
    }
    return html_to_pdf(_with_addresses(render_to_string(template, context), documents), base_url=_links_base())


def faq_pdf(faq):
    """The FAQ page's questions and answers as PDF bytes: the printable version editors can attach."""
    return _printable_pdf("faq/faq_print.html", faq)


def guide_pdf(guide):
    """The guide as PDF bytes: title, introduction, every numbered step with its picture, and the documents the
    steps link to. Steps come in runs: a run of steps whose pictures are tall and narrow (a phone's screen) prints
    in two columns."""
    runs = []
    for number, step in enumerate(guide.guide_steps(), start=1):
        image = step["image"]
        rendition = image.get_rendition(STEP_IMAGE_SPEC) if image else None
        tall = bool(rendition) and rendition.width < rendition.height and rendition.width <= COLUMN_PICTURE_WIDTH
        item = {"step": step, "number": number, "image_url": file_data_url(rendition.file) if rendition else ""}
        if not runs or runs[-1]["tall"] != tall:
            runs.append({"tall": tall, "start": number, "steps": []})
        runs[-1]["steps"].append(item)
    return _printable_pdf("faq/visual_guide_print.html", guide, runs=runs)
