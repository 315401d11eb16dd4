"""The printable PDFs of guidance: an FAQ page and a visual guide, from their current content.

Rendering is cms.pdf's. A guide's pictures go in as data: URLs read from our storage; the pages name no static file.
Their rich text links into the site ("/help/..."), which means nothing in a downloaded file, so they render against
the site's public address (WAGTAILADMIN_BASE_URL) and every link in the PDF is a whole address. Both are tagged
PDF/UA (cms.pdf): the council is the author, the page's summary the subject.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import render_to_string
from wagtail.documents import get_document_model

from cms.models import PortalSettings
from cms.page_links import documents_linked
from cms.pdf import file_data_url, html_to_pdf
from faq.blocks import STEP_IMAGE_SPEC


def _links_base():
    """The address every link of a printable is read against: the site's public address."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def _render(html):
    return html_to_pdf(html, base_url=_links_base())


def _documents_listed(page):
    """Title and whole address of each document the page links to that still exists, in the page's order, each once:
    on paper a link is only its words, so the printable ends by saying which documents there are and where."""
    ids = documents_linked(page)
    found = get_document_model().objects.in_bulk(ids)
    return [{"title": found[pk].title, "address": urljoin(_links_base(), found[pk].url)} for pk in ids if pk in found]


def _printable_context(page, **context):
    """What every printable shows: the page, the council (its author) from the page's site's settings, and the
    documents the page links to (faq/includes/printable_documents.html lists them at its end)."""
    site = page.get_site()
    council = (PortalSettings.for_site(site) if site else PortalSettings()).council_name
    subject = page.search_description or page.intro or page.title
    return {"page": page, "author": council, "subject": subject, "documents": _documents_listed(page), **context}


def faq_pdf(faq):
    """The FAQ page's questions and answers as PDF bytes: the printable version editors can attach."""
    return _render(render_to_string("faq/faq_print.html", _printable_context(faq)))


def guide_pdf(guide):
    """The guide as PDF bytes: title, introduction, every numbered step with its picture, and the documents the
    steps link to."""
    steps = []
    for step in guide.guide_steps():
        image = step["image"]
        rendition = image.get_rendition(STEP_IMAGE_SPEC) if image else None
        steps.append({"step": step, "image_url": file_data_url(rendition.file) if rendition else ""})
    return _render(render_to_string("faq/visual_guide_print.html", _printable_context(guide, steps=steps)))
