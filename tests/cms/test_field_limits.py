"""The raised field limit (cms/field_limits.py) applies to the form-definition editor alone: every other view,
and that editor for someone not signed in, keeps Django's usual 1,000 fields."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from advice_forms.models import FormDefinition
from tests.advice_forms.admin.form_data import definition_post

pytestmark = pytest.mark.django_db

MANY = {f"f{n}": "x" for n in range(1500)}


def test_a_1500_field_post_elsewhere_is_refused(client, home_page):
    response = client.post("/portal/sign-in/", MANY)
    assert response.status_code == 400
    assert "There is a problem with your request" in response.content.decode()


def test_a_1500_field_query_string_is_refused(client, home_page):
    assert client.get("/search/", MANY).status_code == 400


def test_another_admin_view_keeps_the_usual_limit_for_a_designer(designer_client):
    response = designer_client.post(reverse("wagtailsnippets_advice_forms_dropdownlist:add"), MANY)
    assert response.status_code == 400


def test_the_form_definition_editor_takes_more_fields_only_when_signed_in(client, designer_client, home_page):
    draft = FormDefinition.objects.create(title="Big", version_label="V0")
    edit = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])
    data = {**definition_post(title="Big", version_label="V1", sections=[]), **MANY}
    # Parsed and answered by the editor itself (the draft saved, and back to the editor), not a 400.
    response = designer_client.post(edit, data)
    assert response.status_code == 302 and response.url == edit
    designer_client.logout()
    # Not signed in: the usual limit (a multipart body would be counted only if the view read it; it redirects).
    body = urlencode(data, doseq=True)
    assert client.post(edit, body, content_type="application/x-www-form-urlencoded").status_code == 400


def test_a_post_within_the_usual_limit_passes_everywhere(client, home_page):
    few = {f"f{n}": "x" for n in range(900)}
    assert client.post("/portal/sign-in/", few).status_code == 200


def test_a_1500_field_multipart_post_to_an_upload_view_is_refused(verified_client, professional):
    from tests.factories.advice_forms import advice_request

    request_ = advice_request(professional)
    url = reverse("portal:request_documents", args=[request_.pk])
    # The test client posts multipart: counted as the upload view parses it with its own checks.
    assert verified_client.post(url, MANY).status_code == 400
    assert verified_client.post(url, {"title": "Report"}).status_code == 200


def test_a_urlencoded_post_is_counted_too(client, home_page):
    response = client.post("/portal/sign-in/", urlencode(MANY), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
