"""A portal POST without the form's CSRF token is refused and changes nothing; the same POST with it goes through.

The document upload checks CSRF itself, after its size and name checks have read the body, so it is tested here
beside the pages that rely on Django's middleware."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from filer.models import File

from advice_forms.models import Document, NeedType, Outcome, Team
from tests.factories.advice_forms import advice_request, document_types, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(verified_client):
    """The signed-in browser's session in a client that, like a browser, does not skip the CSRF check."""
    strict = Client(enforce_csrf_checks=True)
    strict.cookies[settings.SESSION_COOKIE_NAME] = verified_client.cookies[settings.SESSION_COOKIE_NAME].value
    return strict


def _token(client, path):
    """The token a browser holds after opening the page with the form."""
    assert client.get(path).status_code == 200
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_a_document_upload_without_the_token_is_refused_and_stores_nothing(strict_client, professional):
    document_types()
    ar = advice_request(professional)
    path = f"/portal/requests/{ar.pk}/documents/"

    def upload(**extra):
        data = {"title": "Speech therapy report", "document_type": "report"}
        data["file"] = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
        return strict_client.post(path, {**data, **extra})

    refused = upload()

    assert refused.status_code == 403
    assert Document.objects.count() == 0 and File.objects.count() == 0

    accepted = upload(csrfmiddlewaretoken=_token(strict_client, path))

    assert accepted.status_code == 302 and accepted.url == path
    assert list(Document.objects.values_list("title", flat=True)) == ["Speech therapy report"]


def test_an_outcome_posted_without_the_token_is_refused_and_stores_nothing(strict_client, professional):
    ar = advice_request(professional)
    path = f"/portal/requests/{ar.pk}/outcomes/new/"
    team, need_type = Team.objects.get(code="SLT"), NeedType.objects.get(code="Comms")
    data = {"team": team.pk, "need_type": need_type.pk, "outcome": "Asks for help with words"}

    refused = strict_client.post(path, data)

    assert refused.status_code == 403
    assert Outcome.objects.count() == 0
    accepted = strict_client.post(path, {**data, "csrfmiddlewaretoken": _token(strict_client, path)})
    assert accepted.status_code == 302
    assert list(Outcome.objects.values_list("outcome", flat=True)) == ["Asks for help with words"]
