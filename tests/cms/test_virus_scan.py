"""Virus scanning through a real clamd (tests.clamd): the INSTREAM client, and staff's guidance uploads."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from cms.pdf_checks import UploadProblem
from cms.virus_scan import ScanUnavailable, VirusFound, clamd_command, clamd_scan, upload_virus_problem
from tests.clamd import free_port
from tests.factories.advice_forms import pdf_bytes


def test_clamd_finds_the_signed_file_over_tcp_and_a_unix_socket_and_passes_others(clamd):
    for address in (clamd.address, clamd.socket_path, f"unix://{clamd.socket_path}", f"tcp://{clamd.address}"):
        with pytest.raises(VirusFound) as found:
            clamd_scan(clamd.flagged["flagged.pdf"], address=address, timeout=10)
        assert found.value.signature.startswith("flagged.pdf")
        clamd_scan(pdf_bytes(pages=2), address=address, timeout=10)  # clean: returns
    assert clamd_command("PING", address=clamd.address, timeout=5) == "PONG"


def test_a_file_larger_than_one_chunk_is_streamed_whole(clamd):
    # The signature is an MD5 of the whole file, so a match proves every chunk arrived in order.
    big = clamd.flagged["flagged.pdf"]
    padded = big + b"%" + b"x" * (200 * 1024)
    clamd_scan(padded, address=clamd.address, timeout=10)
    with pytest.raises(VirusFound):
        clamd_scan(big, address=clamd.address, timeout=10)


def test_a_clamd_that_does_not_answer_is_unavailable():
    with pytest.raises(ScanUnavailable):
        clamd_scan(b"%PDF-1.4", address=f"127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(ScanUnavailable):
        clamd_scan(b"%PDF-1.4", address="/nonexistent/clamd.sock", timeout=2)


def _add_document(client, data, name):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Guidance leaflet",
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def _add_image(client, data, name):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Step picture",
            "file": SimpleUploadedFile(name, data, content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_staff_guidance_documents_and_images_are_scanned(verified_admin_client, clamd, settings):
    settings.CLAMD_ADDRESS = clamd.address

    refused_pdf = _add_document(verified_admin_client, clamd.flagged["flagged.pdf"], "leaflet.pdf")
    refused_png = _add_image(verified_admin_client, clamd.flagged["flagged.png"], "step.png")

    for response in (refused_pdf, refused_png):
        assert response.status_code == 200
        assert html.escape(UploadProblem.VIRUS) in response.content.decode()
    assert not Document.objects.exists() and not Image.objects.exists()

    assert _add_document(verified_admin_client, pdf_bytes(pages=2), "leaflet.pdf").status_code == 302
    assert _add_document(verified_admin_client, b"school,phase\nOakfield,Primary\n", "schools.csv").status_code == 302
    assert _add_image(verified_admin_client, _png(), "step.png").status_code == 302
    assert Document.objects.count() == 2 and Image.objects.count() == 1


def test_staff_uploads_are_refused_while_clamd_does_not_answer(verified_admin_client, settings):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"

    response = _add_document(verified_admin_client, pdf_bytes(pages=1), "leaflet.pdf")

    assert response.status_code == 200
    assert html.escape(UploadProblem.SCAN_UNAVAILABLE) in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_stored_unscanned_is_logged(settings, caplog):
    settings.CLAMD_ADDRESS = ""

    with caplog.at_level("INFO", logger="cms.virus_scan"):
        assert upload_virus_problem(pdf_bytes(pages=1)) is None

    assert [r.getMessage() for r in caplog.records] == [
        "Upload stored unscanned: virus scanning is off (CLAMD_ADDRESS)"
    ]
