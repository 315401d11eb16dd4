"""The Casework lists kept outside Wagtail's listings page as those do (20 rows, ``?p=``): Reported changes and a
child's documents, outcomes and professionals; after an action on a row the caseworker is back on the same page at
the next row, not at the top of page 1. At a large council 375 reported changes were one page, and ?p=2 showed it
again."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from filer.models import File

from advice_forms.events import CaseworkEvent
from advice_forms.models import DetailsChangeReport, Document, Outcome, OutcomeState, ProfessionalContact
from cms.services import audit_record
from tests.factories.advice_forms import ChildRecordFactory, advice_request, document_copies, need_type, team

WHEN = datetime.datetime(2026, 12, 5, 10, tzinfo=datetime.UTC)


def _reports(professional, number):
    """``number`` waiting reports about a child with no co-ordinator, the first reported latest (listed first)."""
    ar = advice_request(professional, child=ChildRecordFactory(coordinator=None))
    reports = DetailsChangeReport.objects.bulk_create(
        DetailsChangeReport(child=ar.child, advice_request=ar, account=professional, details=f"Change {n}")
        for n in range(number)
    )
    for n, report in enumerate(reports):
        DetailsChangeReport.objects.filter(pk=report.pk).update(created_at=WHEN - datetime.timedelta(minutes=n))
    return [report.pk for report in reports]


def _listed(html, prefix):
    page = BeautifulSoup(html, "html.parser")
    return [int(tag["id"].removeprefix(prefix)) for tag in page.select(f"[id^='{prefix}']")]


def _page_label(html):
    return BeautifulSoup(html, "html.parser").select_one("nav.pagination .pagination__start").get_text(strip=True)


def test_reported_changes_are_paged_and_an_out_of_range_page_shows_the_last(caseworker_client, professional):
    pks = _reports(professional, 45)
    url = reverse("casework_change_reports")

    first, second = (caseworker_client.get(f"{url}?p={n}").content.decode() for n in (1, 2))
    beyond, junk = (caseworker_client.get(f"{url}?p={p}").content.decode() for p in ("99", "x"))

    assert _listed(first, "report-") == pks[:20] and _listed(second, "report-") == pks[20:40]
    assert _page_label(first) == "Page 1 of 3" and "45 reported changes" in first
    assert _listed(beyond, "report-") == pks[40:] and _page_label(beyond) == "Page 3 of 3"
    assert _listed(junk, "report-") == pks[:20]


def test_marking_one_dealt_with_returns_to_its_page_at_the_next_report(caseworker_client, professional):
    pks = _reports(professional, 45)
    url = reverse("casework_change_reports")

    response = caseworker_client.post(f"{url}?p=2", {"report": pks[39], "p": "2", "row": "19"})  # page 2's last

    # The first of page 3 has moved up to take its place.
    assert response.status_code == 302 and response.url == f"{url}?p=2#report-{pks[40]}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The report has been marked as dealt with."]
    last = caseworker_client.post(url, {"report": pks[44], "p": "3", "row": "3"})
    assert last.url == f"{url}?p=3#reports"  # no report after it: the list, on its page


TAMPERED = ["²", "-1", "01", "abc", "9" * 40, " 2", ""]


@pytest.mark.parametrize("value", TAMPERED)
def test_a_report_page_or_row_changed_by_hand_is_dealt_with_and_goes_back_to_the_list(
    caseworker_client, professional, value
):
    pks = _reports(professional, 45)
    url = reverse("casework_change_reports")

    bad_row = caseworker_client.post(url, {"report": pks[25], "p": "2", "row": value})
    bad_page = caseworker_client.post(url, {"report": pks[26], "p": value, "row": "5"})
    bad_report = caseworker_client.post(url, {"report": value, "p": "2", "row": "5"})
    bad_link = caseworker_client.get(f"{url}?report={value}")

    assert bad_row.status_code == 302 and bad_row.url == f"{url}?p=2#reports"
    # Not page 1's last row: the page it came from is not known.
    assert bad_page.status_code == 302 and bad_page.url == f"{url}?p=1#reports"
    assert bad_report.status_code == 404 and bad_link.status_code == 200


def test_dealing_with_the_only_report_of_the_last_page_returns_to_the_page_before(caseworker_client, professional):
    pks = _reports(professional, 21)
    url = reverse("casework_change_reports")

    response = caseworker_client.post(url, {"report": pks[20], "p": "2", "row": "0"})

    assert response.url == f"{url}?p=1#report-{pks[19]}"  # the report before it


def test_a_link_to_one_report_opens_the_page_it_is_on(caseworker_client, professional):
    pks = _reports(professional, 45)
    url = reverse("casework_change_reports")

    response = caseworker_client.get(f"{url}?report={pks[25]}")
    gone = caseworker_client.get(f"{url}?report=999999")

    assert response.status_code == 302 and response.url == f"{url}?p=2#report-{pks[25]}"
    assert gone.status_code == 200  # dealt with or not theirs: the first page


def test_reported_changes_read_the_same_queries_for_20_rows_as_for_a_page_of_many(caseworker_client, professional):
    url = reverse("casework_change_reports")
    _reports(professional, 20)
    caseworker_client.get(url)
    with CaptureQueriesContext(connection) as one_page:
        caseworker_client.get(url)
    _reports(professional, 300)
    with CaptureQueriesContext(connection) as many:
        html = caseworker_client.get(f"{url}?p=7").content.decode()

    assert len(_listed(html, "report-")) == 20
    assert len(many) == len(one_page), [q["sql"] for q in many.captured_queries]


@pytest.fixture
def child_with_rows(professional):
    ar = advice_request(professional, child=ChildRecordFactory())
    Outcome.objects.bulk_create(
        Outcome(
            child=ar.child,
            advice_request=ar,
            author=professional,
            team=team(),
            need_type=need_type(),
            outcome=f"Outcome {n}",
        )
        for n in range(45)
    )
    ProfessionalContact.objects.bulk_create(
        ProfessionalContact(
            child=ar.child, advice_request=ar, added_by=professional, name=f"Pro {n}", role="EP", team=team()
        )
        for n in range(25)
    )
    _documents(ar, professional, 25)
    return ar.child


def _documents(ar, account, number):
    """``number`` documents of the request's child, each downloaded once (an entry in the tab's history)."""
    first = Document.objects.create(
        child=ar.child,
        advice_request=ar,
        title="Report",
        document_type="report",
        original_filename="report.pdf",
        file=File.objects.create(original_filename="report.pdf", owner=account),
        uploaded_by=account,
    )
    for document in [first, *document_copies(first, number - 1)]:
        audit_record(action=CaseworkEvent.DOCUMENT_DOWNLOADED, actor=account, target=document)


def test_a_childs_outcomes_and_professionals_are_paged(caseworker_client, child_with_rows):
    outcomes = reverse("casework_outcomes", args=[child_with_rows.pk])
    contacts = reverse("casework_contacts", args=[child_with_rows.pk])
    ordered = list(Outcome.objects.filter(child=child_with_rows).values_list("pk", flat=True))

    third = caseworker_client.get(f"{outcomes}?p=3").content.decode()
    people = caseworker_client.get(f"{contacts}?p=2").content.decode()

    assert _listed(third, "outcome-") == ordered[40:] and _page_label(third) == "Page 3 of 3"
    assert "45 outcomes" in third
    assert len(_listed(people, "contact-")) == 5 and "25 professionals" in people


def test_deleting_an_outcome_returns_to_its_page_at_the_next_one(caseworker_client, child_with_rows):
    outcomes = reverse("casework_outcomes", args=[child_with_rows.pk])
    ordered = list(Outcome.objects.filter(child=child_with_rows).values_list("pk", flat=True))
    page = BeautifulSoup(caseworker_client.get(f"{outcomes}?p=2").content, "html.parser")
    delete = page.select_one(f"#outcome-{ordered[19 + 5]} a.no")["href"]  # row 5 of page 2

    asked = BeautifulSoup(caseworker_client.get(delete).content, "html.parser")
    response = caseworker_client.post(delete, {"reason": "Written on the wrong child"})
    last_on_page = page.select_one(f"#outcome-{ordered[39]} a.no")["href"]
    to_next_page = caseworker_client.post(last_on_page, {"reason": "Written on the wrong child"})

    assert asked.find("a", string="Cancel")["href"] == f"{outcomes}?p=2#outcome-{ordered[24]}"  # the row itself
    assert Outcome.objects.get(pk=ordered[24]).state == OutcomeState.DELETED
    assert response.url == f"{outcomes}?p=2#outcome-{ordered[25]}"  # the deleted one stays listed, as deleted
    assert to_next_page.url == f"{outcomes}?p=3#outcome-{ordered[40]}"


@pytest.mark.parametrize("value", TAMPERED)
def test_a_delete_page_whose_list_page_was_changed_by_hand_cancels_to_the_first(
    caseworker_client, child_with_rows, value
):
    outcomes = reverse("casework_outcomes", args=[child_with_rows.pk])
    first = Outcome.objects.filter(child=child_with_rows).values_list("pk", flat=True)[0]
    delete = reverse("casework_outcome_delete", args=[child_with_rows.pk, first])

    asked = caseworker_client.get(delete, {"p": value, "row": "0"})

    assert asked.status_code == 200
    cancel = BeautifulSoup(asked.content, "html.parser").find("a", string="Cancel")["href"]
    assert cancel == f"{outcomes}?p=1#outcome-{first}"


def test_a_childs_lists_read_the_same_queries_whatever_their_length(caseworker_client, professional, child_with_rows):
    small = ChildRecordFactory()
    ar = advice_request(professional, child=small)
    Outcome.objects.create(
        child=small, advice_request=ar, author=professional, team=team(), need_type=need_type(), outcome="One"
    )
    ProfessionalContact.objects.create(
        child=small, advice_request=ar, added_by=professional, name="Pro", role="EP", team=team()
    )
    _documents(ar, professional, 1)
    for name in ("casework_outcomes", "casework_contacts", "casework_documents"):
        caseworker_client.get(reverse(name, args=[small.pk]))
        counts = []
        for child in (small, child_with_rows):
            with CaptureQueriesContext(connection) as queries:
                caseworker_client.get(reverse(name, args=[child.pk]) + "?p=2")
            counts.append(len(queries))
        assert counts[0] == counts[1], name


def test_resolved_reports_are_not_counted(caseworker_client, professional):
    pks = _reports(professional, 21)
    DetailsChangeReport.objects.filter(pk=pks[0]).update(resolved_at=timezone.now())

    html = caseworker_client.get(reverse("casework_change_reports")).content.decode()

    assert "20 reported changes" in html and _page_label(html) == "Page 1 of 1"


def test_a_childs_documents_tab_reads_only_its_page_and_the_documents_its_history_names(
    caseworker_client, child_with_rows
):
    """Its history once read every document of the child, whole (its joins and subqueries), to name a few."""
    url = reverse("casework_documents", args=[child_with_rows.pk])

    with CaptureQueriesContext(connection) as queries:
        caseworker_client.get(f"{url}?p=2")

    table = f'"{Document._meta.db_table}"'
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f"SELECT {table}.")]
    assert len(reads) == 2, reads  # the page's, and the history's
    assert " LIMIT " in reads[0], reads[0]
    named = f'SELECT {table}."id", {table}."title", {table}."original_filename", {table}."size", '
    assert reads[1].startswith(named) and f'{table}."id" IN (' in reads[1] and " JOIN " not in reads[1], reads[1]


def test_the_rows_a_redirect_lands_on_take_the_focus(caseworker_client, professional, child_with_rows):
    """A redirect to #outcome-7 moves a screen reader there only when the row may take the focus."""
    _reports(professional, 1)
    pages = {
        "report-": reverse("casework_change_reports"),
        "outcome-": reverse("casework_outcomes", args=[child_with_rows.pk]),
        "document-": reverse("casework_documents", args=[child_with_rows.pk]),
    }
    for prefix, url in pages.items():
        rows = BeautifulSoup(caseworker_client.get(url).content, "html.parser").select(f"[id^='{prefix}']")
        assert rows and {row.get("tabindex") for row in rows} == {"-1"}, prefix
