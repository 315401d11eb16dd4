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
from tests.pdfs import (
    figures_alt_text,
    pdf_ua_problems,
    pdftotext,
    read_aloud_text,
    structure_text,
    structure_types,
    word_boxes,
)

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


def test_a_guide_step_heading_reads_its_number_a_full_stop_and_a_space_before_its_words(client, guides):  # noqa: F811
    """The number in its circle and the heading's words were tagged with nothing between them: a screen reader said
    "1Install an app". The full stop is drawn unseen, so the page looks as it did."""
    data = client.get(guides[0].url + "printable/").content

    assert "1. Install an app" in structure_text(data) and "2. Scan the code" in structure_text(data)
    assert "1. Install an app" in pdftotext(data)
    assert pdf_ua_problems(data) == []


def test_every_page_of_a_printable_after_the_first_names_the_page_at_its_top_as_an_artifact(home_page):
    """A loose page of a printout said nothing of what it was from. The running header is a margin box: an artifact,
    so a screen reader reads the title once, as the first page's heading."""
    answer = "<p>Professionals asked for advice by the SEND service.</p>" * 8
    page = published(
        FAQPageFactory(
            parent=home_page,
            title="Questions about uploads",
            slug="uploads",
            questions=[question(f"Question {n}?", answer) for n in range(12)],
        )
    )

    data = faq_pdf(page)

    pages = max(box["page"] for box in word_boxes(data))
    assert pages >= 2
    top_margin = 18 / 25.4 * 72
    headers = {
        number: " ".join(box["word"] for box in word_boxes(data) if box["page"] == number and box["y_max"] < top_margin)
        for number in range(1, pages + 1)
    }
    assert headers == {1: "", **dict.fromkeys(range(2, pages + 1), "Questions about uploads")}
    assert read_aloud_text(data).count("Questions about uploads") == 1
    assert pdf_ua_problems(data) == []
