"""The portal settings kept in the shared page cache (cms.models.PortalSettings.for_request): a save shows at once."""

import pytest
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.models import PortalSettings
from tests.factories.cms import HelpPageFactory

pytestmark = pytest.mark.django_db


def _get(path):
    client = Client()
    client.cookies["messages"] = "any"  # rendered each time, never from the page cache
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_kept_settings_show_each_save_and_a_new_logo_at_once(home_page, shared_page_cache):
    page = HelpPageFactory(parent=home_page, title="Help", slug="help")
    page.save_revision().publish()
    assert "Kent Borough Council" not in _get("/help/")
    assert 'class="portal-header__logo"' not in _get("/help/")

    settings = PortalSettings.objects.get()
    settings.council_name = "Kent Borough Council"
    settings.save()
    assert "Kent Borough Council" in _get("/help/") and "Kent Borough Council" in _get("/help/")

    settings.logo = get_image_model().objects.create(title="Crest", file=get_test_image_file())
    settings.save()
    assert 'class="portal-header__logo"' in _get("/help/")
