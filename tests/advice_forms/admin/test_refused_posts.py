"""Every admin page that shows a form again after a refused post (cms/admin/form_page.html) does what the review
page does: its title starts "Error: ", and its error summary is the first thing in its content and takes focus."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.advice_forms.admin.test_records import record  # noqa: F401 (fixtures)
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, submission_make
from tests.portal_pages.test_join_requests import register_and_confirm

pytestmark = pytest.mark.django_db


def share(client, request):
    child = ChildRecordFactory()
    return client.post(reverse("child_records:share", args=[child.pk]), {})


def due_date(client, request):
    advice_request = AdviceRequestFactory(form_version=request.getfixturevalue("ersa"))
    return client.post(reverse("review_queue:due_date", args=[advice_request.pk]), {"due_date": "not a date"})


def document_availability(client, request):
    ar, document, _ = request.getfixturevalue("record")
    return client.post(reverse("casework_document_availability", args=[ar.child.pk, document.pk]), {})


def review_return(client, request):
    advice_request = AdviceRequestFactory(form_version=request.getfixturevalue("ersa"))
    submission_make(advice_request, {})
    return client.post(reverse("review_queue:return", args=[advice_request.pk]), {"reason": " "})


def join_request(client, request):
    request.getfixturevalue("home_page")
    account = register_and_confirm(client, request.getfixturevalue("django_capture_on_commit_callbacks"))
    verified_login(client, staff_in_group("Portal administrator"))
    return client.post(reverse("portal_join_request_decide", args=[account.join_request.pk]), {})


@pytest.mark.parametrize("refused_post", [share, due_date, document_availability, review_return, join_request])
def test_a_refused_post_opens_on_its_error_summary_with_error_in_the_title(
    client, records_caseworker, request, refused_post
):
    verified_login(client, records_caseworker)

    response = refused_post(client, request)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.get_text(strip=True).startswith("Error: ")
    summary = page.select_one("main [role=alert]")
    assert "There is a problem" in summary.get_text()
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    content = [tag for tag in summary.parent.find_all(recursive=False) if tag.name not in ("script", "style")]
    assert content[0] is summary  # the first thing in the page's content, before its "Back" link
    assert response.content.decode().count("There is a problem") == 1
