"""Images staff upload to Wagtail keep a size limit of the portal's (PORTAL_MAX_GUIDANCE_IMAGE_MB) and refuse a
larger file beside the field in the words of guidance documents and professionals' uploads, not Wagtail's."""

from wagtail.images.models import Image

from tests.cms.uploads import beside_the_file_field, png, root_collection

MB = 1024 * 1024


def test_an_image_over_10mb_is_refused_beside_the_field_and_nothing_is_stored(content_editor_client):
    over = content_editor_client.post(
        "/admin/images/add/", {"title": "Step", "file": png(10 * MB + 1), "collection": root_collection()}
    )
    page = over.content.decode()

    assert over.status_code == 200
    assert "The selected file must be 10MB or smaller" in beside_the_file_field(page)
    assert "Files must be 10MB or smaller" in page  # the hint says so before
    assert "too big" not in page and "Maximum filesize" not in page  # Wagtail's words, with "10.0 MB"
    assert not Image.objects.exists()
    exactly = content_editor_client.post(
        "/admin/images/add/", {"title": "Step", "file": png(10 * MB), "collection": root_collection()}
    )
    assert exactly.status_code == 302


def test_the_image_limit_is_a_setting_kept_by_the_multiple_uploader_and_the_chooser(content_editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * MB
    several = content_editor_client.post(
        "/admin/images/multiple/add/", {"files[]": png(6 * MB), "collection": root_collection()}
    )
    chosen = content_editor_client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "Step",
            "image-chooser-upload-file": png(6 * MB),
            "image-chooser-upload-collection": root_collection(),
        },
    )
    page = content_editor_client.get("/admin/images/multiple/add/").content.decode()

    assert several.json() == {"success": False, "error_message": "The selected file must be 5MB or smaller"}
    assert "The selected file must be 5MB or smaller" in beside_the_file_field(chosen.json()["htmlFragment"])
    assert not Image.objects.exists()
    # What the page says before and, in the browser, instead of sending a file over the limit.
    assert "Files must be 5MB or smaller" in page
    assert 'data-max-file-size="5242880"' in page
    assert '"maxFileSize": "The selected file must be 5MB or smaller"' in page
