"""Wagtail's move confirmation (``/admin/pages/<id>/move/<destination>/confirm/``) checks the move on GET as on POST.

Wagtail 7.4 checked it only when posted, so its GET showed the page's and the destination's titles to any admin
user (cms.wagtail_hooks.refuse_move_not_allowed). The role matrix holds every role to it; this holds the move itself
working for a role that may make it.
"""

import pytest
from django.urls import reverse

from tests.factories.cms import HelpPageFactory
from tests.refusals import refused_by_wagtail
from tests.test_role_matrix import CONTENT_EDITOR, GUIDANCE_APPROVER, _staff, signed_in_client

pytestmark = pytest.mark.django_db


def _pages(home_page):
    page = HelpPageFactory(parent=home_page, title="Moving house", slug="moving-house")
    page.save_revision().publish()
    section = HelpPageFactory(parent=home_page, title="Destination section", slug="destination-section")
    section.save_revision().publish()
    return page, section, reverse("wagtailadmin_pages:move_confirm", args=[page.pk, section.pk])


def test_a_guidance_approver_sees_the_confirmation_and_moves_the_page(home_page):
    page, section, url = _pages(home_page)
    client = signed_in_client(_staff(GUIDANCE_APPROVER))
    response = client.get(url)
    assert response.status_code == 200
    assert "Destination section" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_parent().pk == section.pk


def test_a_content_editor_is_refused_the_confirmation_by_get_and_post(home_page):
    page, section, url = _pages(home_page)
    client = signed_in_client(_staff(CONTENT_EDITOR))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert refused_by_wagtail(response), method
        assert "Destination section" not in response.content.decode()
    page.refresh_from_db()
    assert page.get_parent().pk == home_page.pk
