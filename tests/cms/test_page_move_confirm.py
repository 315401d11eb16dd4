"""Wagtail's move confirmation (``/admin/pages/<id>/move/<destination>/confirm/``) checks the move on GET as on POST,
before anything else (cms.admin_views.move_page_confirm, answered first).

Wagtail 7.4 checked it only when posted, so its GET showed the page's and the destination's titles to any admin
user, and said, before its hooks ran, whether the page's slug was taken under the destination. The role matrix holds
every role to it; this holds our route to Wagtail's, and the move itself working for a role that may make it.
"""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.factories.cms import HelpPageFactory
from tests.refusals import messages_of, refused_by_wagtail
from tests.test_role_matrix import CASEWORKER, CONTENT_EDITOR, GUIDANCE_APPROVER, _staff, signed_in_client

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


def test_our_route_is_wagtails_and_answers_first():
    path = reverse("wagtailadmin_pages:move_confirm", args=[7, 8])
    assert path == reverse("cms_move_page_confirm", args=[7, 8])
    assert resolve(path).url_name == "cms_move_page_confirm"


@pytest.mark.parametrize("role", [CONTENT_EDITOR, CASEWORKER])
def test_a_role_that_may_not_move_is_not_told_whether_a_slug_is_taken(home_page, role):
    secret = "secret-draft-closure-plan"
    section = HelpPageFactory(parent=home_page, title="Closures", slug="closures")
    section.save_revision().publish()
    HelpPageFactory(parent=section, title="Draft", slug=secret, live=False)
    page = HelpPageFactory(parent=home_page, title="Moving house", slug=secret)
    page.save_revision().publish()
    client = signed_in_client(_staff(role))
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, section.pk]))
        assert refused_by_wagtail(response), (method, messages_of(response))
        assert not any(secret in message for message in messages_of(response)), method
        assert secret not in client.get(reverse("wagtailadmin_home")).content.decode(), method
    page.refresh_from_db()
    assert page.get_parent().pk == home_page.pk


def test_a_guidance_approver_is_told_the_slug_is_taken(home_page):
    section = HelpPageFactory(parent=home_page, title="Closures", slug="closures")
    section.save_revision().publish()
    HelpPageFactory(parent=section, title="Other", slug="moving-house")
    page = HelpPageFactory(parent=home_page, title="Moving house", slug="moving-house")
    page.save_revision().publish()
    client = signed_in_client(_staff(GUIDANCE_APPROVER))
    response = client.get(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, section.pk]))
    assert response.status_code == 302
    assert any("moving-house" in message for message in messages_of(response))


def test_our_route_keeps_wagtails_protections(home_page):
    """Two-factor sign-in, CSRF and no caching, as Wagtail's own view has them."""
    page, section, url = _pages(home_page)
    approver = _staff(GUIDANCE_APPROVER)
    password_only = Client()
    password_only.force_login(approver)
    response = password_only.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtail_2fa_auth"))
    client = signed_in_client(approver)
    assert "no-cache" in client.get(url)["Cache-Control"]
    client.handler.enforce_csrf_checks = True
    assert client.post(url).status_code == 403
    page.refresh_from_db()
    assert page.get_parent().pk == home_page.pk
