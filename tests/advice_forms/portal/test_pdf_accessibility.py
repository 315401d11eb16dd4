"""Every casework PDF (the PREVIEW, a submission's final copy, the outcomes report) is tagged PDF/UA-1: a structure
tree, the PDF/UA identification, language, title shown as the window title, author and subject, tables with header
cells; the running header (with a submission's reference and version), page numbers and the PREVIEW mark are
artifacts, never read with the content; a question stays on the page of its answer."""

import io
import re

import pytest
from pypdf import PdfReader

from advice_forms.pdf import advice_pdf
from advice_forms.services.submissions import submission_pdf_render
from tests.advice_forms.admin.conftest import records_caseworker  # noqa: F401
from tests.advice_forms.admin.test_records import record  # noqa: F401
from tests.advice_forms.portal.test_submitted_pdfs import advice_request, submitted  # noqa: F401
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import column, definition, question, section
from tests.pdfs import font_sizes, pdf_ua_problems, pdftotext, read_aloud_text, structure_blocks, structure_types

pytestmark = pytest.mark.django_db


def _info(data):
    reader = PdfReader(io.BytesIO(data))
    return reader.metadata, len(reader.pages)


def _missing_list(text):
    """The words of the preview's missing-answers box, as pdftotext reads them."""
    flat = " ".join(text.split())
    after = flat.split("You cannot submit until they are put right:", 1)[1]
    return after.split(" About your involvement What", 1)[0].strip()  # up to the section's heading


def test_the_preview_is_pdf_ua_and_its_missing_list_reads_without_watermark_letters(
    verified_client,
    advice_request,  # noqa: F811
):
    response = verified_client.get(f"/portal/requests/{advice_request.pk}/preview.pdf")
    data = response.content

    assert response.status_code == 200 and pdf_ua_problems(data) == []
    assert _missing_list(pdftotext(data)) == (
        "• About your involvement: What is your involvement with the child? (not answered yet); When did you last "
        "see the child? (not answered yet); Does the child have a diagnosis? (not answered yet) • Outcomes: Outcomes "
        "(not answered yet)"
    )
    info, pages = _info(data)
    assert (info["/Title"], info["/Author"]) == (
        "Speech and language advice (V1), draft, not sent",
        "Oakfield Primary SENCO",
    )
    assert "preview" in info["/Subject"] and "not submitted" in info["/Subject"]
    # PREVIEW is printed once a page, in the running header (an artifact), and never read as content.
    assert pdftotext(data).count("PREVIEW") == pages
    # So is the running header's "Draft, not sent", after the form's and the child's names.
    assert pdftotext(data).count("Draft, not sent") == pages and "Draft, not sent" not in read_aloud_text(data)
    assert not re.search(r"\bP\s*R\s*E\s*V\s*I\s*E\s*W\b", read_aloud_text(data))
    # The mark across the page is a picture of outlines, drawn as an artifact (pdf_ua_problems checks every picture).
    assert all(page["/Resources"]["/XObject"] for page in PdfReader(io.BytesIO(data)).pages)


def test_the_submitted_pdf_is_pdf_ua_with_header_cells_and_the_reference_in_the_running_header(
    submitted,  # noqa: F811
):
    data = submitted.pdf.file.read()

    assert pdf_ua_problems(data) == []
    types = structure_types(data)
    assert {"H1", "H2", "H3", "Table", "TH", "TD"} <= set(types) and "LI" not in types  # questions are headings
    header = f"Speech and language advice (V1) · reference {submitted.reference} · version 1"
    info, pages = _info(data)
    assert pdftotext(data, "-layout").count(header) == pages
    assert header not in read_aloud_text(data) and "Page 1 of" not in read_aloud_text(data)
    assert info["/Author"] == "Oakfield Primary SENCO"
    assert (
        info["/Subject"] == f"Advice submitted for an EHC needs assessment, reference {submitted.reference}, version 1"
    )
    assert submission_pdf_render(submitted) == data  # tagging keeps the final copy the same, byte for byte


def test_the_outcomes_report_is_pdf_ua(client, records_caseworker, record):  # noqa: F811
    advice_request_, _, _ = record
    admin = verified_login(client, records_caseworker)

    data = admin.get(f"/admin/casework/child-records/{advice_request_.child.pk}/outcomes/report.pdf").content

    assert pdf_ua_problems(data) == []
    assert {"H1", "H2", "H3", "H4", "P"} <= set(structure_types(data)) and "LI" not in structure_types(data)
    info, _ = _info(data)
    assert info["/Title"] == f"Outcomes report: child record {advice_request_.child.pk}"
    assert "Page 1 of 1" not in read_aloud_text(data)


def test_a_question_is_never_left_at_the_foot_of_a_page_without_its_answer(professional):
    # Answers of many lengths, so that the page breaks fall at many places in the list.
    count = 40
    version = definition(
        [
            section(
                "About the child",
                [question("long_text", f"Question {n:02d}", key=f"q{n:02d}", required=False) for n in range(count)],
                key="about",
            )
        ]
    )
    answers = {"about": {f"q{n:02d}": f"Answer{n:02d} " + "words " * (10 + (n * 37) % 90) for n in range(count)}}

    pages = pdftotext(advice_pdf(version=version, answers=answers, preview=False)).split("\f")

    assert len(pages) > 4
    for page in pages:
        for label in re.findall(r"^Question (\d\d)$", page, re.MULTILINE):
            assert f"Answer{label}" in page, f"Question {label} is on a page without the start of its answer"


def test_each_question_is_a_heading_read_before_its_answer_not_an_item_of_a_list(db):
    """A <dl> of questions and answers was tagged as one list whose every question and every answer was an item ("list,
    28 items"): a screen reader read them as alternating items, with no way to move from question to question. Each
    question is a heading under its section's, its answer after it; on paper it is still a bold label the size of the
    answer, and the bookmarks still list the sections alone."""
    columns = [column("Subject", key="subject"), column("Attainment", key="attainment")]
    questions = [
        question("short_text", "Your name", key="name"),
        question("long_text", "What does the child hope for?", key="hopes"),
        question("table", "Attainment by subject", key="attainment", columns=columns),
        question("short_text", "Anything else?", key="else", required=False),
    ]
    version = definition([section("About the child", questions, key="about")])
    table = [{"subject": "English", "attainment": "Age 9"}]
    answers = {"about": {"name": "Sam Smith", "hopes": "To be a vet.\nAnd to read.", "attainment": table}}

    data = advice_pdf(version=version, answers=answers, preview=False, account_name="Oakfield Primary SENCO")

    assert structure_blocks(data)[2:] == [
        ("H2", "About the child"),
        ("H3", "Your name"),
        ("Div", "Sam Smith"),
        ("H3", "What does the child hope for?"),
        ("Div", "To be a vet.And to read."),
        ("H3", "Attainment by subject"),
        ("Div", "SubjectAttainmentEnglishAge 9"),
        ("H3", "Anything else?"),
        ("Div", "Not answered"),
    ]
    assert "L" not in structure_types(data) and pdf_ua_problems(data) == []
    sizes = font_sizes(data)
    assert sizes["Your name"] == sizes["Sam Smith"] < sizes["About the child"]
    outline = PdfReader(io.BytesIO(data)).outline
    assert [outline[0].title, [item.title for item in outline[1]]] == ["Test advice (V1)", ["About the child"]]
