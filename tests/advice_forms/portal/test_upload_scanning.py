"""A professional's upload is scanned by a real clamd (tests.clamd) before anything is stored."""

import pytest
from filer.models import File

from advice_forms.models import Document
from cms.pdf_checks import UploadProblem
from tests.advice_forms.portal.test_documents import _stored_files, _upload, coordinator, ersa  # noqa: F401
from tests.clamd import free_port
from tests.factories.advice_forms import pdf_bytes


def _refused_with(upload, message):
    files_before, stored_before = File.objects.count(), _stored_files()
    response = upload()
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(message) == 2, "beside the field and in the error summary"
    assert "govuk-file-upload--error" in page
    assert Document.objects.count() == 0
    assert File.objects.count() == files_before
    assert _stored_files() == stored_before


def test_a_flagged_upload_is_refused_and_nothing_is_stored(verified_client, ersa, clamd, settings):  # noqa: F811
    settings.CLAMD_ADDRESS = clamd.address

    _refused_with(lambda: _upload(verified_client, ersa, clamd.flagged["flagged.pdf"]), UploadProblem.VIRUS)

    assert _upload(verified_client, ersa, pdf_bytes(pages=2)).status_code == 302
    assert Document.objects.count() == 1


def test_scanning_is_off_without_an_address(verified_client, ersa, clamd, settings):  # noqa: F811
    settings.CLAMD_ADDRESS = ""

    assert _upload(verified_client, ersa, clamd.flagged["flagged.pdf"]).status_code == 302


@pytest.mark.parametrize("socket_kind", ["tcp", "unix"])
def test_uploads_are_refused_while_clamd_does_not_answer(verified_client, ersa, settings, tmp_path, socket_kind):  # noqa: F811
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}" if socket_kind == "tcp" else str(tmp_path / "no-clamd.sock")

    _refused_with(lambda: _upload(verified_client, ersa, pdf_bytes(pages=2)), UploadProblem.SCAN_UNAVAILABLE)


def test_failing_open_is_an_explicit_setting(verified_client, ersa, settings):  # noqa: F811
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    settings.CLAMD_FAIL_OPEN = True

    assert _upload(verified_client, ersa, pdf_bytes(pages=2)).status_code == 302
    assert Document.objects.count() == 1
