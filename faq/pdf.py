"""The printable PDF of a visual guide, rendered by WeasyPrint from the guide's current steps.

WeasyPrint is imported here alone, and lazily (importing it costs about a second). Images go in as data:
URLs read from our own storage, and the fetcher refuses every other address, so a PDF never reaches out.
"""

import base64
import mimetypes

from django.http import HttpResponse
from django.template.loader import render_to_string

from faq.blocks import STEP_IMAGE_SPEC


def _data_url(rendition):
    with rendition.file.open("rb") as handle:
        data = handle.read()
    mime = mimetypes.guess_type(rendition.file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _render(html):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()


def faq_pdf(faq):
    """The FAQ page's questions and answers as PDF bytes: the printable version editors can attach."""
    return _render(render_to_string("faq/faq_print.html", {"page": faq}))


def guide_pdf(guide):
    """The guide as PDF bytes: title, introduction and every numbered step with its picture."""
    steps = []
    for step in guide.guide_steps():
        image = step["image"]
        rendition = image.get_rendition(STEP_IMAGE_SPEC) if image else None
        steps.append({"step": step, "image_url": _data_url(rendition) if rendition else ""})
    return _render(render_to_string("faq/visual_guide_print.html", {"page": guide, "steps": steps}))


def guide_pdf_response(guide):
    response = HttpResponse(guide_pdf(guide), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{guide.slug}.pdf"'
    return response
