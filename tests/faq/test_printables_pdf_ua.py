"""The guidance printables (a visual guide, an FAQ page) are tagged PDF/UA-1: headings and lists in a structure tree,
the guide's pictures with their alt text, the council as author, the page numbers artifacts."""

import pytest
from pypdf import PdfReader

from faq.pdf import faq_pdf
from tests.conftest import COUNCIL
from tests.factories.cms import published
from tests.factories.faq import FAQPageFactory, question
from tests.faq.test_faq_page import faq  # noqa: F401
from tests.faq.test_visual_guide import guides  # noqa: F401
from tests.pdfs import figures_alt_text, pdf_ua_problems, pdftotext, read_aloud_text, structure_types

pytestmark = pytest.mark.django_db


def _info(data):
    import io

    reader = PdfReader(io.BytesIO(data))
    return reader.metadata, reader.trailer["/Root"]["/Lang"]


def test_the_printable_guide_is_pdf_ua_with_every_picture_keeping_its_alt_text(client, guides):  # noqa: F811
    data = client.get(guides[0].url + "printable/").content

    assert pdf_ua_problems(data) == []
    assert figures_alt_text(data) == ["An app store", "A QR code on the screen"]
    assert {"H1", "H2", "L", "LI", "Figure"} <= set(structure_types(data))
    info, lang = _info(data)
    assert (info["/Title"], info["/Author"], lang) == ("Signing in", COUNCIL, "en")
    assert "Page 1 of 1" in pdftotext(data) and "Page 1 of 1" not in read_aloud_text(data)


def test_the_printable_faq_is_pdf_ua_with_its_questions_as_headings(faq):  # noqa: F811
    data = faq_pdf(faq)

    assert pdf_ua_problems(data) == []
    types = structure_types(data)
    assert types.count("H2") == 2 and types.count("H3") == 4
    info, lang = _info(data)
    assert (info["/Title"], info["/Author"], info["/Subject"], lang) == (
        "Questions for professionals",
        COUNCIL,
        faq.search_description or faq.intro or faq.title,
        "en",
    )
    assert "Page 1 of 1" not in read_aloud_text(data)


def test_questions_without_a_group_heading_are_the_next_heading_level_down_from_the_title(home_page):
    page = published(
        FAQPageFactory(
            parent=home_page,
            title="Short questions",
            slug="short",
            questions=[question("Who can use the portal?", "<p>Professionals asked for advice.</p>")],
        )
    )

    data = faq_pdf(page)

    assert pdf_ua_problems(data) == []
    assert [kind for kind in structure_types(data) if kind.startswith("H")] == ["H1", "H2"]
