"""The upload checks, piece by piece: the size limit counts every chunk of a file and names the field it stopped,
the parser marks each file whose name it had to clean, and pdf_problem leaves the file where it found it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory

from advice_forms.uploads import MaxSizeUploadHandler, safe_filename
from cms.pdf_checks import UploadProblem, pdf_problem
from cms.upload_names import NameCheckingMultiPartParser, has_unsafe_name
from tests.factories.advice_forms import pdf_bytes
from tests.multipart import CONTENT_TYPE, multipart_body


def _parsed(*names):
    """The files a real multipart body with one PDF of each name (in the field "file") parses to, as forms get them."""
    body = multipart_body({}, [("file", name.encode(), pdf_bytes(), "application/pdf") for name in names])
    request = RequestFactory().post("/", data=body, content_type=CONTENT_TYPE)
    parser = NameCheckingMultiPartParser(request.META, request, request.upload_handlers, encoding="utf-8")
    return parser.parse()[1].getlist("file")


def _handler(request, limit=10):
    handler = MaxSizeUploadHandler(request, limit=limit)
    handler.new_file(field_name="file", file_name="report.pdf", content_type="application/pdf", content_length=None)
    return handler


def test_the_size_limit_counts_every_chunk_of_a_file_and_notes_its_field():
    request = RequestFactory().post("/")
    handler = _handler(request)

    assert handler.receive_data_chunk(b"x" * 6, 0) == b"x" * 6
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 6, 6)
    assert request.portal_oversized_uploads == {"file"}
    assert request.portal_oversized_names == {"file": "report.pdf"}


def test_the_size_limit_adds_to_the_fields_already_stopped_and_starts_again_for_each_file():
    request = RequestFactory().post("/")
    request.portal_oversized_uploads = {"first"}
    handler = _handler(request)
    handler.receive_data_chunk(b"x" * 10, 0)

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x", 10)
    assert request.portal_oversized_uploads == {"first", "file"}
    handler.new_file(field_name="second", file_name="b.pdf", content_type="application/pdf", content_length=None)
    assert handler.receive_data_chunk(b"x" * 10, 0) == b"x" * 10


def test_without_a_limit_given_the_setting_decides(settings):
    settings.PORTAL_MAX_UPLOAD_MB = 1
    assert MaxSizeUploadHandler(RequestFactory().post("/")).limit == 1024 * 1024


def test_the_parser_marks_each_file_whose_name_it_cleaned():
    safe, with_path = _parsed("report.pdf", "../../etc/report.pdf")

    assert (safe.name, has_unsafe_name(safe)) == ("report.pdf", False)
    assert (with_path.name, has_unsafe_name(with_path)) == ("report.pdf", True)


# Names Django would store with the character silently dropped: a right-to-left override that makes the name read
# "reportexe.pdf", an isolate, a mark, a zero-width space, a joiner, a byte order mark, a C1 control, a line separator,
# and an override written as an HTML entity (Django's parser unescapes it).
INVISIBLE = {
    "right-to-left-override": "report\u202efdp.exe",
    "isolate": "report\u2066x\u2069.pdf",
    "right-to-left-mark": "report\u200f.pdf",
    "zero-width-space": "re\u200bport.pdf",
    "zero-width-joiner": "re\u200dport.pdf",
    "byte-order-mark": "\ufeffreport.pdf",
    "c1-control": "report\x85.pdf",
    "line-separator": "report\u2028.pdf",
    "override-as-html-entity": "report&#8238;fdp.exe",
}


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=list(INVISIBLE))
def test_the_parser_marks_a_file_whose_name_has_an_invisible_character(name):
    (uploaded,) = _parsed(name)
    assert has_unsafe_name(uploaded)


def test_the_parser_leaves_names_in_any_script_with_spaces_of_any_width_alone():
    """macOS names a screenshot with a narrow no-break space before "PM"; accents, other scripts and emoji are seen."""
    names = ("Screenshot 2025-03-04 at 2.15.07\u202fPM.pdf", "St Ælfric's review.pdf", "تقرير.pdf", "📄 plan.pdf")
    uploaded = _parsed(*names)
    assert len(uploaded) == len(names)
    assert not any(has_unsafe_name(f) for f in uploaded)


def test_pdf_problem_tells_a_one_byte_file_from_an_empty_one_and_leaves_the_file_at_its_start():
    assert pdf_problem(SimpleUploadedFile("a.pdf", b"")) == UploadProblem.EMPTY
    assert pdf_problem(SimpleUploadedFile("a.pdf", b"x")) == UploadProblem.NOT_REAL_PDF
    uploaded = SimpleUploadedFile("a.pdf", pdf_bytes())
    assert pdf_problem(uploaded) is None
    assert uploaded.tell() == 0


def test_a_long_file_name_is_kept_whole_or_cut_at_its_end_keeping_its_beginning_and_pdf():
    long_name = "Annual review of the individual support plan " * 5 + "spring.pdf"  # 240 characters
    assert safe_filename(long_name) == long_name
    longer = "Kestrel Primary " + "x" * 300 + ".pdf"
    kept = safe_filename(longer)
    assert kept.startswith("Kestrel Primary xxx") and kept.endswith("x.pdf") and len(kept) == 255


def test_a_file_named_pdf_that_is_not_one_is_called_not_a_real_pdf_and_another_must_be_a_pdf():
    """A text file renamed notes.pdf is a PDF by its name: "must be a PDF" would puzzle; say it is not a real one."""
    text = b"Dear SENCO,\nthis is plain text.\n"
    assert pdf_problem(SimpleUploadedFile("notes.PDF", text)) == (
        "The selected file is not a real PDF, or it is damaged. Save it as a PDF again and upload it"
    )
    assert pdf_problem(SimpleUploadedFile("notes.txt", text)) == "The selected file must be a PDF"
