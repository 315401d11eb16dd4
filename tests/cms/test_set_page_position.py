"""Wagtail's reordering of a page among its siblings (``/admin/pages/<id>/set_position/``) is answered first by
cms.admin_views.set_page_position: the root page, which has no parent, is a 404 rather than Wagtail 7.4's 500.

The role matrix holds every role to it (the root page, by GET and POST); this holds our route to Wagtail's, so that
the override fails here when Wagtail moves its route, and holds reordering working through it.
"""

import pytest
from django.urls import resolve, reverse
from wagtail.models import Page

from tests.factories.cms import HelpPageFactory
from tests.test_role_matrix import GUIDANCE_APPROVER, _staff, signed_in_client

pytestmark = pytest.mark.django_db


def test_our_route_is_wagtails_and_answers_first():
    path = reverse("wagtailadmin_pages:set_page_position", args=[7])
    assert path == reverse("cms_set_page_position", args=[7])
    assert resolve(path).url_name == "cms_set_page_position"


def test_the_root_page_is_the_admins_404(superuser):
    root = Page.get_first_root_node()
    client = signed_in_client(superuser)
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("cms_set_page_position", args=[root.pk]))
        assert response.status_code == 404, method
        assert "wagtailadmin/404.html" in [t.name for t in response.templates], method
        assert "no-cache" in response["Cache-Control"], method


def test_a_guidance_approver_reorders_pages(home_page):
    first, second = (HelpPageFactory(parent=home_page) for _ in range(2))
    for page in (first, second):
        page.save_revision().publish()
    client = signed_in_client(_staff(GUIDANCE_APPROVER))
    response = client.post(reverse("cms_set_page_position", args=[second.pk]) + "?position=0")
    assert response.status_code == 200
    assert [p.pk for p in home_page.get_children()] == [second.pk, first.pk]
