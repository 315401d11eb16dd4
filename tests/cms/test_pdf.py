"""WeasyPrint renders real PDFs, fetching only our own static files; PDF responses carry a safe file name."""

import base64
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files import File
from django.template import engines
from pypdf import PdfReader

from cms import pdf
from tests.child_env import child_env

ROOT = Path(__file__).resolve().parent.parent.parent

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


def test_a_document_without_a_base_url_keeps_its_links_as_written_and_still_fetches_nothing(monkeypatch):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open", lambda self, *a, **k: opened.append(a))
    html = '<p><a href="/help/faqs/">FAQs</a></p><img src="http://127.0.0.1:9/x.png"><img src="/media/x.png">'

    reader = PdfReader(BytesIO(pdf.html_to_pdf(html, base_url=None)))

    links = [annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0]["/Annots"]]
    assert links == ["/help/faqs/"]
    assert opened == []


def test_a_stored_picture_goes_in_as_a_data_url(tmp_path):
    picture = tmp_path / "step.gif"
    picture.write_bytes(base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"))
    url = pdf.file_data_url(File(picture.open("rb"), name=str(picture)))

    data = pdf.html_to_pdf(f'<p>Step one</p><img src="{url}" alt="A dot" style="width:2cm">')

    assert url.startswith("data:image/gif;base64,")
    reader = PdfReader(BytesIO(data))
    assert "Step one" in reader.pages[0].extract_text()
    assert reader.pages[0].images


def test_a_pdf_response_shows_inline_or_downloads_under_a_safe_name():
    shown = pdf.pdf_response(b"%PDF-1.7", filename="signing-in.pdf")
    downloaded = pdf.pdf_response(b"%PDF-1.7", filename="ADV-0001.pdf", attachment=True)

    assert shown["Content-Type"] == "application/pdf"
    assert shown.content == b"%PDF-1.7"
    assert shown["Content-Disposition"] == 'inline; filename="signing-in.pdf"'
    assert downloaded["Content-Disposition"] == 'attachment; filename="ADV-0001.pdf"'


@pytest.mark.parametrize(
    ("filename", "header"),
    [
        ('../../etc/a"b\r\nSet-Cookie: x.pdf', 'inline; filename="a\\"bSet-Cookie: x.pdf"'),
        ("C:\\Users\\senco\\report.pdf", 'inline; filename="report.pdf"'),
        ("Évaluation.pdf", "inline; filename*=utf-8''%C3%89valuation.pdf"),
        ("/\n", 'inline; filename="document.pdf"'),
    ],
)
def test_a_pdf_response_name_cannot_break_the_header(filename, header):
    assert pdf.pdf_response(b"%PDF-1.7", filename=filename)["Content-Disposition"] == header


def test_importing_the_module_leaves_weasyprint_unloaded_until_a_pdf_is_rendered():
    code = (
        "import sys, django; django.setup(); import cms.pdf; print('weasyprint' in sys.modules); "
        "cms.pdf.html_to_pdf('<p>x</p>'); print('weasyprint' in sys.modules)"
    )
    env = child_env(DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "settings.test"))

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["False", "True"]
