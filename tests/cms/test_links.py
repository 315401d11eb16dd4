"""One policy for links in uploaded files (cms/links.py): a PDF's link and an Office file's hyperlink to the same
target are let through or refused alike, so the two checks cannot drift."""

import pytest

from cms.document_checks import document_problem
from cms.pdf_checks import pdf_bytes_problem
from tests.office_files import docx
from tests.pdfs import link_to

TARGETS = {
    "https://www.example.org/": True,
    "mailto:send@example.org?subject=Advice": True,
    "tel:+442079460000": True,
    "#page=2": True,
    "mailto:send@example.org?attach=//host/x": False,
    "file:///C:/minutes.docx": False,
    r"\\host\share\minutes.docx": False,
    "%66ile://host/x": False,
    "search-ms:query=x": False,
    "javascript:alert(1)": False,
    "minutes.docx": False,
    "gopher://host/": False,
}


@pytest.mark.parametrize(("target", "accepted"), TARGETS.items(), ids=list(TARGETS))
def test_a_pdf_link_and_an_office_hyperlink_to_the_same_target_are_judged_alike(target, accepted):
    in_a_pdf = pdf_bytes_problem(link_to(b"(" + target.replace("\\", "\\\\").encode() + b")"))
    in_word = document_problem("docx", docx(document_rels=[("hyperlink", target.replace("&", "&amp;"), "External")]))

    assert (in_a_pdf is None, in_word is None) == (accepted, accepted)
