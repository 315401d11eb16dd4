"""Wagtail's previews (pages and snippets) may be framed by the admin itself and by nothing else; every other
response forbids framing. Signed-in staff see the userbar (edit links, the accessibility checker) on live pages,
and such responses never enter the page cache, nor does a cached copy reach them."""

import pytest
from django.test import Client
from django.urls import reverse

from advice_forms.models import FormDefinition
from tests.advice_forms.admin.form_data import choice, definition_post, field, section
from tests.cms.guidance_admin import GUIDANCE_PAGE_FIELDS
from tests.csp import csp_directives
from tests.factories.cms import HelpPageFactory, published

pytestmark = pytest.mark.django_db

PAGE_FORM = {
    "title": "Signing in",
    "slug": "signing-in",
    "intro": "How to sign in.",
    "body-count": "0",
    **GUIDANCE_PAGE_FIELDS,
}


@pytest.fixture
def help_page(home_page):
    return published(HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in"))


def _framing(response):
    return csp_directives(response)["frame-ancestors"], response["X-Frame-Options"]


def test_a_page_preview_may_be_framed_by_the_admin_alone(help_page, verified_admin_client):
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[help_page.pk])
    assert verified_admin_client.post(preview_url, PAGE_FORM).json()["is_valid"] is True

    preview = verified_admin_client.get(preview_url)

    assert preview.status_code == 200 and "How to sign in." in preview.content.decode()
    assert _framing(preview) == (["'self'"], "SAMEORIGIN")
    # The preview keeps the public page's policy otherwise: no inline script is let in.
    assert csp_directives(preview)["script-src"] == ["'self'"]


def test_a_snippet_preview_may_be_framed_by_the_admin_alone(designer_client):
    data = definition_post(
        title="Preview me",
        version_label="V1",
        sections=[
            (
                "section",
                section(
                    "About",
                    [
                        ("short_text", field("Name of the school", max_length="100"), ""),
                    ],
                ),
                "",
            )
        ],
    )
    assert designer_client.post(reverse("wagtailsnippets_advice_forms_formdefinition:add"), data).status_code == 302
    definition = FormDefinition.objects.get(title="Preview me")
    preview_url = reverse("wagtailsnippets_advice_forms_formdefinition:preview_on_edit", args=[definition.pk])
    assert designer_client.post(preview_url, data).json()["is_valid"] is True

    preview = designer_client.get(preview_url)

    assert preview.status_code == 200 and "Name of the school" in preview.content.decode()
    assert _framing(preview) == (["'self'"], "SAMEORIGIN")


def test_every_other_response_forbids_framing(help_page, verified_admin_client):
    for response in (Client().get(help_page.url), verified_admin_client.get(help_page.url)):
        assert _framing(response) == (["'none'"], "DENY")
    edit = verified_admin_client.get(reverse("wagtailadmin_pages:edit", args=[help_page.pk]))
    assert _framing(edit) == (["'none'"], "DENY")  # the admin frames its previews; nothing frames the admin
    for name in ("wagtailadmin_home", "wagtailsnippets_advice_forms_formdefinition:add"):
        assert _framing(verified_admin_client.get(reverse(name))) == (["'none'"], "DENY"), name


def test_the_preview_not_available_page_may_be_framed_by_the_admin_alone(designer_client):
    """A form that does not validate yet: Wagtail's side panel shows its "preview not available" page."""
    preview_url = reverse("wagtailsnippets_advice_forms_formdefinition:preview_on_add")
    # A choice question with nothing to choose from: refused in a draft too (a form with no sections is a draft's).
    sections = [("section", section("Choices", [("single_choice", choice("Pick one", display="radios"), "")]), "")]
    data = definition_post(title="", version_label="", sections=sections)
    assert designer_client.post(preview_url, data).json()["is_valid"] is False

    preview = designer_client.get(preview_url)

    assert preview.status_code == 200 and "Preview" in preview.content.decode()
    assert _framing(preview) == (["'self'"], "SAMEORIGIN")


def test_staff_see_the_userbar_on_live_pages_and_their_pages_are_never_cached(help_page, verified_admin_client):
    anonymous = Client()
    assert anonymous.get(help_page.url)["X-Wagtail-Cache"] == "miss"
    assert anonymous.get(help_page.url)["X-Wagtail-Cache"] == "hit"

    staff_view = verified_admin_client.get(help_page.url)

    assert staff_view["X-Wagtail-Cache"] == "skip"  # the anonymous copy is not served to staff
    html = staff_view.content.decode()
    assert "<wagtail-userbar>" in html and "wagtailadmin/js/userbar.js" in html
    assert csp_directives(staff_view)["frame-ancestors"] == ["'none'"]
    again = anonymous.get(help_page.url)
    assert again["X-Wagtail-Cache"] == "hit" and "wagtail-userbar" not in again.content.decode()


def test_a_page_signed_in_staff_view_first_is_not_stored(help_page, verified_admin_client):
    assert "<wagtail-userbar>" in verified_admin_client.get(help_page.url).content.decode()

    first_anonymous = Client().get(help_page.url)

    assert first_anonymous["X-Wagtail-Cache"] == "miss"
    assert "wagtail-userbar" not in first_anonymous.content.decode()
