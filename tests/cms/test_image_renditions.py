"""The pictures of public pages, kept on local disk, are served with the debug flag off (as in production without a
bucket); nothing else under MEDIA_ROOT is."""

from pathlib import Path

import pytest
import wagtail_factories
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendition():
    return wagtail_factories.ImageFactory(title="Step one").get_rendition("max-960x720")


def test_a_rendition_is_served_with_debug_off_and_kept_by_browsers_an_hour(rendition):
    assert settings.DEBUG is False
    assert rendition.url.startswith("/media/images/")

    response = Client().get(rendition.url)

    assert response.status_code == 200
    with rendition.file.open("rb") as kept:
        assert b"".join(response.streaming_content) == kept.read()
    assert response["Content-Type"] == "image/" + Path(rendition.file.name).suffix.lstrip(".").replace("jpg", "jpeg")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=3600"}
    assert response["Last-Modified"]


def test_nothing_else_under_media_root_is_served(rendition):
    private = Path(settings.MEDIA_ROOT) / "private" / "report.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.7 a child's report")
    original = rendition.image.file.name  # original_images/...

    for path in ("/media/" + original, "/media/private/report.pdf", "/media/images/", "/media/images/none.png"):
        assert Client().get(path).status_code == 404, path
    # A path that climbs out of the folder is refused as suspicious (Django's safe_join).
    for path in ("/media/images/../private/report.pdf", "/media/images/%2e%2e/private/report.pdf"):
        response = Client().get(path)
        assert response.status_code == 400, path
        assert b"report" not in response.content
