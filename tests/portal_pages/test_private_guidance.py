"""Guidance an editor makes private ("Private, accessible to any logged-in users", or to groups), and documents in a
private collection: a signed-in user counts only once their authenticator code is checked, and the one way in is the
portal's sign-in. Wagtail's own sign-in (/_util/login/) took a password alone and opened such a page."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories.accounts import verified_login
from tests.factories.cms import HelpPageFactory, published
from tests.otp import sign_in, sign_in_with_password

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_page(home_page):
    page = published(HelpPageFactory(parent=home_page, title="Notes for team accounts", slug="team-notes"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@pytest.fixture
def private_document(db):
    collection = Collection.get_first_root_node().add_child(name="Team accounts only")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    document = get_document_model().objects.create(
        title="Team notes", collection=collection, file=ContentFile(b"%PDF-1.4 notes", name="team-notes.pdf")
    )
    return document


def test_anyone_signed_out_is_sent_to_the_portals_sign_in(private_page):
    response = Client().get(private_page.url)
    assert response.status_code == 302
    assert response.url == f"/portal/sign-in/?next={private_page.url}"


def test_a_password_alone_does_not_open_a_private_page_the_code_does(private_page, professional, password):
    client = Client()
    sign_in_with_password(client, professional.email, password)
    response = client.get(private_page.url)
    assert response.status_code == 302 and response.url == f"/portal/sign-in/code/?next={private_page.url}"
    assert "Notes for team accounts" not in client.get(private_page.url, follow=True).content.decode()

    sign_in(client, professional)  # password and code, through the real views
    response = client.get(private_page.url)
    assert response.status_code == 200 and "Notes for team accounts" in response.content.decode()


def test_a_password_alone_does_not_open_a_private_document(private_document, professional, password):
    client = Client()
    sign_in_with_password(client, professional.email, password)
    response = client.get(private_document.url)
    assert response.status_code == 302 and response.url.startswith("/portal/sign-in/code/?next=")

    verified_login(client, professional)
    assert client.get(private_document.url).status_code == 200


def test_staff_signed_in_with_a_password_alone_are_sent_to_the_admins_code_step(private_page, caseworker):
    client = Client()
    client.force_login(caseworker)  # password checked, code not yet
    response = client.get(private_page.url)
    assert response.status_code == 302 and response.url.startswith("/admin/2fa/auth")


def test_wagtails_own_sign_in_signs_nobody_in_and_leads_to_the_portals(private_page, professional, password):
    client = Client()
    response = client.post(
        "/_util/login/", {"username": professional.email, "password": password, "next": private_page.url}
    )
    assert response.status_code == 302 and response.url.startswith("/portal/sign-in/")
    assert "_auth_user_id" not in client.session
    response = client.get(f"/_util/login/?next={private_page.url}")
    assert response.status_code == 302 and response.url == f"/portal/sign-in/?next={private_page.url}"


def test_a_password_restriction_is_left_to_its_password(home_page, professional, password):
    """A page behind a shared password asks for the password, signed in or not: no code is needed for it."""
    page = published(HelpPageFactory(parent=home_page, title="Shared", slug="shared"))
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="heron")
    client = Client()
    sign_in_with_password(client, professional.email, password)
    response = client.get(page.url)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
