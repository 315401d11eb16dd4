"""WeasyPrint renders real PDFs, fetching only our own static files."""

from io import BytesIO

import pytest
from django.template import engines
from pypdf import PdfReader

from advice_forms import pdf

TEMPLATE = """{% extends "advice_forms/pdf/base.html" %}
{% block content %}<h1>Advice for {{ title }}</h1><p>{{ text }}</p>{{ extra|safe }}{% endblock %}"""


def _render(context):
    html = engines["django"].from_string(TEMPLATE).render(context)
    return pdf.html_to_pdf(html)


def _text(pdf_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf_bytes)).pages)


def test_a_template_renders_to_a_real_pdf_with_escaped_user_text():
    pdf_bytes = _render({"title": "Section A", "text": "<b>not bold</b> & kept"})

    assert pdf_bytes.startswith(b"%PDF-")
    text = _text(pdf_bytes)
    assert "Advice for Section A" in text
    assert "<b>not bold</b> & kept" in text


def test_preview_is_marked_on_every_page():
    long_text = "A paragraph of advice. " * 400
    html = engines["django"].from_string(TEMPLATE).render({"title": "X", "text": long_text, "preview": True})

    reader = PdfReader(BytesIO(pdf.html_to_pdf(html)))

    assert len(reader.pages) >= 2
    assert all("PREVIEW" in page.extract_text() for page in reader.pages)


def test_the_fetcher_serves_our_static_stylesheet():
    fetcher = pdf.url_fetcher()

    response = fetcher.fetch(pdf.PDF_BASE_URL + "static/advice_forms/pdf.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret",
        "https://example.org/static/advice_forms/pdf.css",
        pdf.PDF_BASE_URL + "static/../../settings/base.py",
        pdf.PDF_BASE_URL + "media/private.pdf",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError):
        pdf.url_fetcher().fetch(url)


def test_a_template_naming_an_outside_resource_still_renders_without_fetching_it(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda self, *a, **k: opened.append(a))

    pdf_bytes = _render({"title": "X", "text": "Y", "extra": '<img src="http://127.0.0.1:9/x.png">'})

    assert pdf_bytes.startswith(b"%PDF-")
    assert opened == []
