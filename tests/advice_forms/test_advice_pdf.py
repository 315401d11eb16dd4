import logging
import os
import shutil
import subprocess
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from advice_forms.form_builder import FormBuilder
from advice_forms.models import FormDefinitionVersion, FormKind
from advice_forms.pdf import advice_pdf
from advice_forms.services.submissions import submission_pdf_render
from tests.factories.advice_forms import (
    AdviceRequestFactory,
    ChildRecordFactory,
    column,
    definition,
    question,
    section,
    small_form_version,
    submission_make,
)
from tests.pdfs import font_sizes, pdftotext, structure_blocks, structure_types, word_boxes


def _text(data):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_preview_of_the_demo_ersa_names_missing_sections_and_says_preview(db, home_page):
    call_command("load_demo_content", stdout=StringIO())
    version = FormDefinitionVersion.objects.filter(kind=FormKind.ERSA).latest("published_at")
    builder = FormBuilder(version)
    first = builder.visible_sections({})[0]

    data = advice_pdf(version=version, answers={}, preview=True, child_name="A B", account_name="Oak SENCO")

    text = _text(data)
    assert "PREVIEW" in text
    assert "These answers are missing or need correcting" in text
    assert first.title in text
    assert builder.missing_required({})[0].field_label.split()[0] in text


def test_a_long_file_name_wraps_inside_the_page_of_the_pdf(db):
    """pdftotext reads only what is on the page: a name that ran off its edge would come out cut."""
    name = "Annual_review_of_the_individual_support_plan_for_the_spring_term_with_the_speech_and_language_" * 2 + ".pdf"
    version = definition([section("Evidence", [question("file", "Support plan", key="plan")], key="evidence")])
    answers = {"evidence": {"plan": {"document": 1, "name": name, "size": 2048}}}

    printed = pdftotext(advice_pdf(version=version, answers=answers, preview=False))

    assert f"{name} (2 KB)" in printed.replace("\n", "")


def test_the_preview_keeps_the_capitals_of_a_reason(db):
    """The missing list writes each reason in brackets after its question, beginning in lower case; the rest keeps its
    capitals ("EHC"), which lower-casing the whole reason took away."""
    plans = question("number", "Number of EHC plans", key="plans")
    version = definition([section("Plans", [plans], key="plans")])
    typed = {"plans": {"plans": ["lots"]}}  # a step saved with errors: what was typed, kept

    printed = " ".join(pdftotext(advice_pdf(version=version, answers={}, raw_steps=typed, preview=True)).split())

    assert "Number of EHC plans (number of EHC plans must be a whole number, like 12)" in printed


def test_a_designers_h5_and_h6_print_at_the_size_of_an_h4(db):
    """Under a guidance block's heading (h3 in the PDF) a designer's h3, h4 and h5 come out as h4, h5 and h6
    (cms.rich_text.headings_under); the print styles gave h5 and h6 no size, so they printed smaller than body text."""
    body = "<h3>Who to ask</h3><p>Ask.</p><h4>If there is none</h4><p>Head.</p><h5>At a weekend</h5><p>Wait.</p>"
    guidance = question("guidance", "", heading="Before you start", body=body)
    version = definition([section("Views", [guidance], key="views")])

    data = advice_pdf(version=version, answers={}, preview=False)

    assert [kind for kind in structure_types(data) if kind[0] == "H"] == ["H1", "H2", "H3", "H4", "H5", "H6"]
    sizes = font_sizes(data)
    assert sizes["Who to ask"] == sizes["If there is none"] == sizes["At a weekend"]
    assert sizes["Before you start"] > sizes["Who to ask"]


# The fonts a PDF draws beyond Latin with (cms.pdf PDF_FONT_FAMILY), with the Debian package of each.
PDF_FONT_PACKAGES = {
    "Noto Naskh Arabic": "fonts-noto-core",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Color Emoji": "fonts-noto-color-emoji",
}


def _require_pdf_fonts():
    """Skipped on a machine without the fonts, failed in CI (CI=true), which installs them (.ci/run)."""
    fc_list = shutil.which("fc-list")
    listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout if fc_list else ""
    missing = sorted({package for family, package in PDF_FONT_PACKAGES.items() if family not in listed})
    if missing:
        message = f"PDF fonts are not installed (Debian: {' '.join(missing)})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: CI must check that a PDF draws every character")
        pytest.skip(message)


def _font_families(data):
    """The families of the fonts a PDF embeds ("ABCDEF+Noto-Color-Emoji" is Noto Color Emoji), bold and all."""
    families = set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            name = font.get_object()["/BaseFont"].split("+", 1)[-1].replace("-", " ")
            families.add(name.removesuffix(" Bold"))
    return families


def test_an_answer_with_emoji_and_names_in_other_scripts_prints_every_character(db, caplog):
    """A child's words are the record: "To be a vet 🐾" printed an empty box for the paw prints. Every character is
    drawn, the emoji in colour, Arabic and Urdu names in one font (so their letters join), Chinese in its own forms."""
    _require_pdf_fonts()
    words = "To be a vet 🐾 and read her own books ❤️"
    names = ["Llŷr ap Gwŷn", "Łucja Żółć", "Ștefan Țurcan", "محمد الحسن", "عائشہ خان", "王小明"]
    views = question("long_text", "What does the child hope for?", key="hopes")
    family = question("long_text", "Who is in the family?", key="family", required=False)
    version = definition([section("Views", [views, family], key="views")])
    answers = {"views": {"hopes": words, "family": ", ".join(names)}}

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = advice_pdf(version=version, answers=answers, preview=False, child_name="عائشہ خان")

    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []
    # pdftotext wraps right-to-left words in embedding marks; the words themselves must come out whole.
    printed = " ".join(pdftotext(data).translate({0x202A: None, 0x202B: None, 0x202C: None}).split())
    for text in [words, *names]:
        assert text in printed
    assert _font_families(data) == {"Liberation Sans", *PDF_FONT_PACKAGES}


def test_the_tables_of_a_question_of_rows_share_one_label_column(db):
    """Each outcome prints as a small table of labels and answers. Sized on its own, a table with a long outcome
    squeezed its labels ("Written by" broke over two lines) and its answers started further left than the next
    table's. The label column is one fixed width: every table's answers start at one x, and no label wraps on A4."""
    outcomes = question("record_outcomes", "Outcomes you suggest", key="outcomes")
    version = definition([section("Outcomes", [outcomes], key="outcomes")])
    long_words = "Rowan will follow a three-step written plan for a lesson task without adult prompting " * 6
    rows = [
        {
            "type": "Communication",
            "team": "Speech and Language Therapy",
            "outcome": long_words,
            "provision": "A language group",
            "timescale": "By July",
            "written_by": "Speech and Language Therapy Service",
        },
        {
            "type": "Cognition",
            "team": "Schools",
            "outcome": "Reads a plan",
            "provision": "Visual task plans",
            "timescale": "By July",
            "written_by": "Kestrel Vale Academy SENCO",
        },
    ]

    words = word_boxes(advice_pdf(version=version, answers={}, preview=False, records={"outcomes": rows}))

    written = [index for index, word in enumerate(words) if word["word"] == "Written"]
    assert len(written) == 2
    for index in written:
        label, by = words[index], words[index + 1]
        assert by["word"] == "by" and by["y_min"] == label["y_min"]  # "Written by" on one line
    answers_x = {words[index + 2]["x_min"] for index in written}  # the first word of each "Written by" answer
    timescales_x = {words[i + 1]["x_min"] for i, word in enumerate(words) if word["word"] == "Timescale"}
    assert len(answers_x) == 1 and answers_x == timescales_x


def _text_right_edges(data):
    """Each piece of text drawn on each page, with the page's width and the x of the piece's right end."""
    pieces = []
    for page in PdfReader(BytesIO(data)).pages:
        width = float(page.mediabox.width)

        def visit(shown, matrix, text_matrix, font, size, width=width):
            if shown.strip():
                left = matrix[4] + text_matrix[4] * matrix[0]
                pieces.append((shown.strip(), width, left))

        page.extract_text(visitor_text=visit)
    return pieces


def test_a_long_word_in_a_table_answer_wraps_inside_its_cell_and_every_column_stays_on_the_page(db):
    """A table's cell took the width of its longest word, so an email address pushed the last columns off the page:
    cut at its edge, or gone from the PDF altogether."""
    email = "specialist.teacher.learning.support@kestrelfordlearningsupportservice.example.org"
    longer = "x" * 150 + "@example.org"
    columns = [
        column("Subject", key="subject"),
        column("Attainment", key="attainment"),
        column("Assessed by", key="by"),
        column("Date assessed", key="on"),
    ]
    version = definition(
        [section("Attainment", [question("table", "Attainment by subject", key="attainment", columns=columns)])]
    )
    for word in (email, longer):
        answers = {
            "attainment": {"attainment": [{"subject": "English", "attainment": "Age 9", "by": word, "on": "May"}]}
        }

        data = advice_pdf(version=version, answers=answers, preview=False)

        printed = "".join(pdftotext(data).split())
        assert "SubjectAttainmentAssessedbyDateassessed" in printed
        assert word[-20:] in printed and "May" in printed
        for shown, width, left in _text_right_edges(data):
            assert left < width - 18 * 72 / 25.4, shown


def _running_headers(data):
    """The running header's text on each page (the text drawn above the top margin)."""
    headers = []
    for page in PdfReader(BytesIO(data)).pages:
        top = float(page.mediabox.height) - 22 * 72 / 25.4
        found = []

        def visit(shown, matrix, text_matrix, font, size, found=found, top=top):
            if shown.strip() and matrix[5] + text_matrix[5] * matrix[3] > top:
                found.append(shown.strip())

        page.extract_text(visitor_text=visit)
        headers.append(" ".join(found))
    return headers


def test_a_previews_running_header_names_the_child_and_the_form_and_says_draft(db):
    """Loose pages of a preview could not be matched to a child or a request: the header gave only the form's name."""
    version = small_form_version()

    data = advice_pdf(version=version, answers={}, preview=True, child_name="Robin M.", account_name="Oak SENCO")

    assert [" ".join(header.split()) for header in _running_headers(data)][0].startswith(
        f"{version.title} ({version.version_label}) · Robin M. · Draft, not sent"
    )
    assert PdfReader(BytesIO(data)).metadata["/Title"] == f"{version.title} ({version.version_label}), draft, not sent"


def test_a_submitted_pdfs_title_names_its_reference_and_version_not_the_child(professional):
    """Every advice PDF had the same window title, the form's name: it names the reference and the version."""
    version = small_form_version()
    child = ChildRecordFactory(first_name="Robin", last_name="Marchwood")
    submission = submission_make(AdviceRequestFactory(account=professional, form_version=version, child=child), {})

    title = PdfReader(BytesIO(submission_pdf_render(submission))).metadata["/Title"]

    assert title == f"{version.title} {submission.reference}, version {submission.number}"
    assert "Robin" not in title


def test_a_long_email_address_in_a_contacts_row_wraps_inside_the_page(db):
    """A row's table (label, then its answer) took its answer cell's longest word as the cell's least width: an email
    address of 200 characters (the form takes 254) ran off the page's edge."""
    email = "a" * 64 + "@" + "b" * 60 + ".kestrelfordlearningsupportservice.example.org"
    contacts = question("professional_contacts", "Contacts", key="contacts", required=False)
    version = definition([section("People", [contacts], key="people")])
    answers = {"people": {"contacts": [{"name": "A Therapist", "email": email}]}}

    data = advice_pdf(version=version, answers=answers, preview=False)

    assert email[-40:] in "".join(pdftotext(data).split())
    for shown, width, left in _text_right_edges(data):
        assert left < width - 18 * 72 / 25.4, shown


ROW_LABELS = ("Type", "Team", "Outcome", "Provision", "Timescale", "Written")


def _outcome_rows(provisions):
    """The outcomes a record_outcomes question shows, one a provision: words that name none of ROW_LABELS."""
    return [
        {
            "type": "Communication",
            "team": "Speech and Language Therapy",
            "outcome": f"Number {n}: Rowan will follow a three-step plan for a lesson task",
            "provision": provision,
            "timescale": "By July",
            "written_by": "Kestrel Vale Academy SENCO",
        }
        for n, provision in enumerate(provisions, start=1)
    ]


def _outcome_table_pages(provisions):
    """The words of the advice PDF of a form asking only for outcomes, and the page of each label in the left column,
    outcome by outcome: [{"Type": 1, "Team": 1, ...}, ...]."""
    outcomes = question("record_outcomes", "Outcomes you suggest", key="outcomes")
    version = definition([section("Outcomes", [outcomes], key="outcomes")])
    records = {"outcomes": _outcome_rows(provisions)}
    words = word_boxes(advice_pdf(version=version, answers={}, preview=False, records=records))
    found = []
    for word in words:
        if word["word"] in ROW_LABELS and word["x_min"] < 80:  # the label column, not a word of an answer
            if word["word"] == "Type":
                found.append({})
            found[-1].setdefault(word["word"], word["page"])
    return words, found


def test_an_outcomes_table_in_the_advice_pdf_is_kept_on_one_page_where_it_fits(db):
    """Each outcome's table split row by row at a page's foot: its Type and Team at the bottom of one page, its Outcome
    and Provision at the top of the next, read as another outcome's."""
    provisions = [
        "A language group twice a week, run by staff the therapist has trained. " * (1 + n % 5) for n in range(12)
    ]

    _, tables = _outcome_table_pages(provisions)

    assert len(tables) == 12 and max(max(labels.values()) for labels in tables) > 1  # the outcomes need two pages
    for labels in tables:
        assert set(labels) == set(ROW_LABELS) and len(set(labels.values())) == 1, labels


def test_an_outcomes_table_longer_than_a_page_still_breaks_and_keeps_every_word(db):
    long = "A language group twice a week, run by staff the therapist has trained. " * 150 + "Last words."

    words, tables = _outcome_table_pages(["A card on his desk", long, "Visual task plans"])

    short, longer, last = tables
    assert set(short.values()) == {1} and longer["Timescale"] > longer["Type"]
    assert " ".join(word["word"] for word in words).count("Last words.") == 1
    assert len(set(last.values())) == 1


def test_a_table_answer_starts_under_its_question_without_an_empty_line(db):
    """The template's own line break before a table answer printed as an empty line between the question and its
    table (and was tagged as an empty Div); an answer's typed line breaks are still kept, in its cells too."""
    columns = [column("Subject", key="subject"), column("Attainment", key="attainment")]
    table = question("table", "Attainment by subject", key="attainment", columns=columns)
    version = definition([section("Attainment", [table], key="attainment")])
    answers = {"attainment": {"attainment": [{"subject": "English", "attainment": "Age 9\nReads well"}]}}

    data = advice_pdf(version=version, answers=answers, preview=False)

    words = word_boxes(data)
    question_foot = next(word["y_max"] for word in words if word["word"] == "subject")
    header_top = next(word["y_min"] for word in words if word["word"] == "Subject")
    assert header_top - question_foot < 15  # table margin and cell padding (about 13 pt), not a line more (15 pt)
    age, reads = (next(word for word in words if word["word"] == text) for text in ("Age", "Reads"))
    assert reads["y_min"] > age["y_max"] and reads["x_min"] == age["x_min"]  # "Reads well" on a line of its own
    assert ("Div", "") not in structure_blocks(data, depth=2)
