"""Every PDF cms.pdf makes is tagged PDF/UA-1: a structure tree of headings, lists, tables with header cells and
figures with alt text; the metadata a reader shows; running headers and page numbers as artifacts, printed but not
read aloud."""

import io

from pypdf import PdfReader

from cms import pdf
from tests.pdfs import figures_alt_text, pdf_ua_problems, pdftotext, read_aloud_text, structure_types

DOT = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def _document(body, style=""):
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signing in to the portal</title>'
        '<meta name="author" content="Kestrelford Borough Council"><meta name="description" content="How to sign in">'
        f"<style>{style}</style></head><body>{body}</body></html>"
    )


def test_headings_lists_tables_and_pictures_are_tagged_with_header_cells_and_alt_text():
    data = pdf.html_to_pdf(
        _document(
            "<h1>Signing in</h1><h2>Before you start</h2><ul><li>Your email address</li><li>Your phone</li></ul>"
            '<table><tr><th scope="col">Step</th><th scope="col">What to do</th></tr>'
            "<tr><td>1</td><td>Enter your password</td></tr></table>"
            f'<img src="{DOT}" alt="The sign-in screen" style="width:1cm">'
        )
    )

    assert pdf_ua_problems(data) == []
    types = structure_types(data)
    assert {"H1", "H2", "L", "LI", "Table", "TR", "TH", "TD", "Figure"} <= set(types)
    assert types.count("TH") == 2
    assert figures_alt_text(data) == ["The sign-in screen"]
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/MarkInfo"]["/Marked"].value is True
    assert (reader.metadata["/Title"], reader.metadata["/Author"], reader.metadata["/Subject"]) == (
        "Signing in to the portal",
        "Kestrelford Borough Council",
        "How to sign in",
    )
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


def test_running_headers_and_page_numbers_are_printed_as_artifacts_not_read_aloud():
    style = (
        "@page { @top-left { content: string(title); } @bottom-right { content: 'Page ' counter(page) ' of ' "
        "counter(pages); } } h1 { string-set: title content(); }"
    )
    data = pdf.html_to_pdf(_document("<h1>Running title</h1>" + "<p>A paragraph of advice.</p>" * 50, style))

    assert pdf_ua_problems(data) == []
    printed, read = pdftotext(data), read_aloud_text(data)
    assert "Page 1 of 2" in printed and "Page 2 of 2" in printed and printed.count("Running title") == 3, printed
    assert "Page" not in read and read.count("Running title") == 1
    assert read.count("A paragraph of advice.") == 50
