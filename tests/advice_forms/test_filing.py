import datetime

from advice_forms.filing import child_record_folder, file_private_pdf
from advice_forms.models import ChildRecord


def test_pdfs_are_filed_privately_in_the_childs_folder_under_a_generated_name(db):
    child = ChildRecord.objects.create(first_name="Test", last_name="Child", date_of_birth=datetime.date(2015, 1, 2))

    filed = file_private_pdf(child=child, data=b"%PDF-1.7 test", title="ERSA (NOV26)", original_filename="my file.pdf")

    assert filed.folder == child_record_folder(child)
    assert filed.is_public is False
    assert filed.name == "ERSA (NOV26)"
    assert filed.original_filename == "my file.pdf"
    assert "my file" not in filed.file.name
    with filed.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 test"
    assert child_record_folder(child) == filed.folder  # one folder per child, made once


def test_private_files_live_under_the_media_root_never_beside_it(db, settings):
    from filer import settings as filer_settings

    location = filer_settings.FILER_PRIVATEMEDIA_STORAGE.location

    assert location.startswith(settings.MEDIA_ROOT)
