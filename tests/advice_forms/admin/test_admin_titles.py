"""No admin page about a child puts the child's name in its <title>, which browsers keep in their history and show
on shared screens and in tab lists (DESIGN.md): every view of a child record, of its documents, outcomes, contacts,
contribution and reported changes, and of its requests, walked for a child with a name found nowhere else; and the
outcomes report PDF, shown in the browser, whose /Title is the window's title."""

import re
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from pypdf import PdfReader

from advice_forms.models import RequestState
from advice_forms.services import documents as document_services
from advice_forms.services import involvement as involvement_services
from advice_forms.services import outcomes as outcome_services
from tests.factories import advice_forms as factories

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zephyrine", "Quillbrook"


@pytest.fixture
def child(professional):
    """A child with a request submitted, a document and an outcome, a contact, a contribution and a reported change,
    each carrying the child's name where staff may write it."""
    factories.document_types()
    child = factories.ChildRecordFactory(first_name=FIRST, last_name=LAST)
    ar = factories.advice_request(professional, child=child)
    document = document_services.document_upload(
        advice_request=ar,
        account=professional,
        uploaded=SimpleUploadedFile("report.pdf", factories.pdf_bytes(), content_type="application/pdf"),
        title=f"Therapy report for {FIRST} {LAST}",
        document_type="report",
    )
    outcome = outcome_services.outcome_create(
        advice_request=ar,
        account=professional,
        team=factories.team(),
        need_type=factories.need_type(),
        outcome=f"{FIRST} uses a timetable",
    )
    involvement_services.contact_create(
        advice_request=ar,
        account=professional,
        data={"name": "Sam Rivers", "role": "Teacher", "team": factories.team()},
    )
    involvement_services.contribution_save(
        advice_request=ar, account=professional, data={"communication_methods": ["post"], "parent_views": "Views"}
    )
    involvement_services.details_change_report(advice_request=ar, account=professional, details=f"{LAST} moved")
    submission = factories.submission_make(ar, {}, state=RequestState.SUBMITTED)
    open_request = factories.advice_request(professional, child=child)
    return child, ar, document, outcome, submission, open_request


def _child_record_views(child):
    """Every view ChildRecordViewSet registers, a view added later too, of this child where it takes one."""
    _, resolver = get_resolver().namespace_dict["child_records"]
    return [
        reverse(f"child_records:{pattern.name}", args=[child.pk] if "<int:pk>" in str(pattern.pattern) else [])
        for pattern in resolver.url_patterns
    ]


def _pages(child, ar, document, outcome, submission, open_request):
    return [
        *_child_record_views(child),
        *_record_pages(child, ar, document, outcome, submission, open_request),
        reverse("casework_access_requests"),
        reverse("casework_change_reports"),
        reverse("review_queue:index"),
        reverse("review_queue:review", args=[ar.pk]),
        reverse("review_queue:accept_confirm", args=[ar.pk]) + f"?submission={submission.number}",
        reverse("review_queue:due_date", args=[open_request.pk]),
        reverse("overdue_advice:index"),
    ]


def _title(response):
    """The page's title; "" for what has none (a listing's results alone, fetched into its page)."""
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_no_admin_page_about_a_child_names_the_child_in_its_title(verified_admin_client, child):
    """ "History: Zephyrine Quillbrook" and "Usage: ..." reached the browser's history from the child record's
    history and usage pages; each view of one record is titled by the record's number, its heading keeps the name."""
    titles, headings = {}, {}
    for path in _pages(*child):
        response = verified_admin_client.get(path)
        assert response.status_code == 200, path
        titles[path] = _title(response)
        headings[path] = BeautifulSoup(response.content, "html.parser").h1

    named = {path: title for path, title in titles.items() if FIRST in title or LAST in title}
    assert named == {}
    pk = child[0].pk
    for view in ("inspect", "edit", "delete", "history", "usage"):
        path = reverse(f"child_records:{view}", args=[pk])
        assert f": child record {pk} - " in titles[path], path
        assert f"{FIRST} {LAST}" in headings[path].get_text(), path


def _record_pages(child, ar, document, outcome, submission, open_request):
    """The caseworker pages of one child record (advice_forms.admin.records), each with what its title calls it."""
    on_child = {"child_id": child.pk}
    return {
        reverse("casework_documents", kwargs=on_child): "Documents",
        reverse("casework_document_availability", kwargs={**on_child, "document_id": document.pk}): "Who may download",
        reverse("casework_document_delete", kwargs={**on_child, "document_id": document.pk}): "Delete a document",
        reverse("casework_outcomes", kwargs=on_child): "Outcomes",
        reverse("casework_outcome_delete", kwargs={**on_child, "outcome_id": outcome.pk}): "Delete an outcome",
        reverse("casework_contacts", kwargs=on_child): "Professional involvement",
        reverse("casework_contribution", kwargs=on_child): "Contribution and communication method",
        reverse("casework_child_change_reports", kwargs=on_child): "Reported changes",
    }


def test_a_child_records_caseworker_pages_are_titled_by_the_records_number(verified_admin_client, child):
    """Two children's Documents pages were both titled "Documents" in the browser's history; each is now "Documents:
    child record 12", its heading naming the child as before."""
    pk = child[0].pk
    for path, what in _record_pages(*child).items():
        response = verified_admin_client.get(path)
        title = _title(response)

        assert title.startswith(f"{what}: child record {pk} - "), (path, title)
        assert FIRST not in title and LAST not in title, path
        assert f"{what}: {FIRST} {LAST}" in BeautifulSoup(response.content, "html.parser").h1.get_text(), path


def test_a_refused_reason_to_delete_is_titled_as_an_error_without_the_name(verified_admin_client, child):
    """A delete with no reason is shown again, its title starting "Error: " as on every refused admin form."""
    child_record, _, document, *_ = child
    path = reverse("casework_document_delete", kwargs={"child_id": child_record.pk, "document_id": document.pk})

    response = verified_admin_client.post(path, {"reason": ""})

    assert response.status_code == 200
    assert _title(response).startswith(f"Error: Delete a document: child record {child_record.pk} - ")


def test_the_outcomes_report_pdf_is_titled_and_named_by_the_records_number(verified_admin_client, child):
    """The report opens in the browser, whose window and tab showed its /Title, "Outcomes for Zephyrine
    Quillbrook"; the child is named on its first page, which staff print."""
    pk = child[0].pk

    response = verified_admin_client.get(reverse("casework_outcomes_report", kwargs={"child_id": pk}))
    reader = PdfReader(BytesIO(response.content))

    assert reader.metadata["/Title"] == f"Outcomes report: child record {pk}"
    assert response["Content-Disposition"] == f'inline; filename="outcomes-child-record-{pk}.pdf"'
    assert [FIRST in value or LAST in value for value in reader.metadata.values()] == [False] * len(reader.metadata)
    assert f"Outcomes for {FIRST} {LAST}" in reader.pages[0].extract_text()


def _request_pages(child, ar, document, outcome, submission, open_request):
    """The admin pages of one request, each with what its title calls it and the request it is about."""
    return {
        reverse("review_queue:review", args=[ar.pk]): ("Review advice", ar),
        reverse("review_queue:accept_confirm", args=[ar.pk]) + f"?submission={submission.number}": (
            "Accept this advice",
            ar,
        ),
        reverse("review_queue:due_date", args=[open_request.pk]): ("Change the due date", open_request),
        reverse("review_queue:due_date", args=[open_request.pk]) + "?back=overdue": (
            "Change the due date",
            open_request,
        ),
    }


def test_a_requests_admin_pages_are_titled_by_the_requests_number(verified_admin_client, child):
    """One child's review page was titled "Review advice" in the browser's history, as was every other child's; each
    page of one request is now "Review advice: ERSA – request 7", as the portal marks a request, and never names the
    child."""
    for path, (what, advice_request) in _request_pages(*child).items():
        response = verified_admin_client.get(path)
        title = _title(response)

        assert response.status_code == 200, path
        marker = f"{advice_request.form_version.title} – request {advice_request.pk}"
        assert title.startswith(f"{what}: {marker} - "), (path, title)
        assert FIRST not in title and LAST not in title, path


def test_a_refused_return_is_titled_as_an_error_with_the_requests_number(verified_admin_client, child):
    """A return without a reason shows the review page again, its title "Error: Review advice: ... request 7"."""
    _, ar, *_ = child

    response = verified_admin_client.post(reverse("review_queue:return", args=[ar.pk]), {"reason": ""})
    title = _title(response)

    assert title.startswith(f"Error: Review advice: {ar.form_version.title} – request {ar.pk} - "), title
    assert FIRST not in title and LAST not in title


def test_sharing_a_form_is_titled_by_the_records_number(verified_admin_client, child):
    """Sharing a form starts from the child record, before any request exists: "Share a form: child record 12"."""
    pk = child[0].pk

    title = _title(verified_admin_client.get(reverse("child_records:share", args=[pk])))

    assert title.startswith(f"Share a form: child record {pk} - "), title


def _header(client, url):
    html = BeautifulSoup(client.get(url).content, "html.parser")
    header = html.find("header", class_="w-slim-header")
    if header is None:
        return None
    nav = header.find("nav")
    crumbs = [(link.get_text(" ", strip=True), link.get("href")) for link in nav.find_all("a")]
    return crumbs, nav.get_text(" ", strip=True), header.find("h1").get_text(" ", strip=True)


@pytest.mark.parametrize(
    ("url_name", "label", "heading"),
    [
        ("casework_change_reports", "Reported changes", "Reported changes to child records"),
        ("casework_access_requests", "Access requests", "Requests for access to documents"),
    ],
)
def test_the_casework_lists_outside_the_viewsets_have_the_header_bar_and_breadcrumb_of_the_others(
    caseworker_client, url_name, label, heading
):
    """Reported changes and Access requests had a plain heading where Review queue and Overdue advice have Wagtail's
    header bar with a breadcrumb back to the dashboard."""
    crumbs, trail, _ = _header(caseworker_client, reverse("review_queue:index"))
    assert crumbs[0] == ("Home", reverse("wagtailadmin_home")) and trail.endswith("Review queue")

    crumbs, trail, h1 = _header(caseworker_client, reverse(url_name))

    assert crumbs[0] == ("Home", reverse("wagtailadmin_home")) and trail.endswith(label)
    assert h1 == heading
