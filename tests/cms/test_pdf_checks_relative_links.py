"""Relative links in uploaded PDFs (cms/pdf_checks.py): a desktop reader opens one beside the file, on the user's
computer or network drive, unless the file's catalog gives a web address (/URI /Base) it resolves against."""

import pytest

from cms.pdf_checks import UploadProblem, pdf_bytes_problem
from tests.pdfs import link_to, link_under_base, raw_pdf

P = UploadProblem
WEB_BASE = b"(https://www.example.org/guidance/)"

# Links with no scheme in some form of them (decoded, "%23" is "#" and "%3A" a colon), and /Base values that are
# no web address, under which a relative link is no web link.
RELATIVE_TARGETS = {
    "windows-path-up-two-folders": rb"(..\\..\\x.exe)",
    "relative-path": b"(guidance/speech.pdf)",
    "relative-with-a-colon-after-a-slash": b"(guidance/10:30.pdf)",
    "percent-encoded-colon-after-a-slash": b"(guidance/10%3A30.pdf)",
    "percent-encoded-fragment": rb"(%23..\\x.exe)",
    "web-scheme-only-when-decoded": b"(https%3A//www.example.org/)",
}
BASES_NOT_ON_THE_WEB = {
    "no-base-in-the-uri-dictionary": b"null",
    "relative-base": b"(share/)",
    "email-base": b"(mailto:slt@example.org)",
    "doi-base": b"(doi:10.1000/)",
    "base-web-only-when-decoded": b"(https%3A//www.example.org/)",
}
REFUSED = [(case, link_to(target)) for case, target in RELATIVE_TARGETS.items()] + [
    (case, link_under_base(b"(x.exe)", base)) for case, base in BASES_NOT_ON_THE_WEB.items()
]


@pytest.mark.parametrize(("case", "data"), REFUSED, ids=[case for case, _ in REFUSED])
def test_a_relative_link_without_a_web_base_is_refused(case, data):
    assert pdf_bytes_problem(data) == P.RELATIVE_LINK


ACCEPTED = [
    ("under-https-base", link_under_base(b"(speech.pdf)", WEB_BASE)),
    ("under-http-base", link_under_base(b"(speech.pdf)", b"(http://www.example.org/)")),
    ("under-uppercase-https-base", link_under_base(b"(speech.pdf)", b"(HTTPS://WWW.EXAMPLE.ORG/)")),
    ("windows-path-up-under-https-base", link_under_base(rb"(..\\..\\x.exe)", WEB_BASE)),
    ("percent-encoded-colon-after-a-slash-under-https-base", link_under_base(b"(guidance/10%3A30.pdf)", WEB_BASE)),
    ("fragment", link_to(b"(#section-2)")),
    ("empty", link_to(b"()")),
]


@pytest.mark.parametrize(("case", "data"), ACCEPTED, ids=[case for case, _ in ACCEPTED])
def test_a_relative_link_under_a_web_base_a_fragment_and_an_empty_link_are_accepted(case, data):
    assert pdf_bytes_problem(data) is None


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (b"(guidance%3Aspeech.pdf)", P.UNCHECKED_LINK.format(scheme="guidance:")),
        (b"(10%3A30.pdf)", P.UNCHECKED_LINK_UNNAMED),
        (b"(ms-msdt%3A/id)", P.FILE_LINK),
    ],
)
def test_a_percent_encoded_colon_before_any_slash_is_refused_as_its_scheme_with_or_without_a_web_base(target, message):
    """Decoded, such a link names a scheme, which no /Base changes: it is refused for that scheme, in the same words
    whether the file has a web /Base or not."""
    assert pdf_bytes_problem(link_to(target)) == message
    assert pdf_bytes_problem(link_under_base(target, WEB_BASE)) == message


def test_the_base_must_be_in_the_catalog_the_trailer_names():
    """pypdf settles on another object marked /Catalog when the trailer's /Root is not marked; a reader may use the
    trailer's. A web /Base in only one of them does not make relative links web links."""
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /A << /S /URI /URI (x.exe) >> >>"
    pages = b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>"
    both = raw_pdf(
        b"<< /Pages 2 0 R /URI << /Base %b >> >>" % WEB_BASE,
        pages,
        page,
        link,
        b"<< /Type /Catalog /Pages 2 0 R /URI << /Base %b >> >>" % WEB_BASE,
    )
    marked_only = raw_pdf(
        b"<< /Pages 2 0 R >>", pages, page, link, b"<< /Type /Catalog /Pages 2 0 R /URI << /Base %b >> >>" % WEB_BASE
    )

    assert pdf_bytes_problem(both) is None
    assert pdf_bytes_problem(marked_only) == P.RELATIVE_LINK


def test_a_relative_link_is_refused_in_words_that_say_what_to_do():
    assert pdf_bytes_problem(link_to(b"(report.pdf)")) == (
        "The selected file contains a link that is not a full web address, so a PDF reader may open it as a file on "
        "a computer or network drive. Make the link a full web address (starting https://) or remove it (or print "
        "the file to PDF), and upload it again"
    )


def test_the_relative_link_files_carry_what_they_claim():
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(dict(REFUSED)["windows-path-up-two-folders"]))
    assert reader.pages[0]["/Annots"][0].get_object()["/A"]["/URI"] == "..\\..\\x.exe"
    assert "/URI" not in reader.trailer["/Root"]
    under_base = PdfReader(io.BytesIO(dict(ACCEPTED)["windows-path-up-under-https-base"]))
    assert under_base.trailer["/Root"]["/URI"]["/Base"] == "https://www.example.org/guidance/"
