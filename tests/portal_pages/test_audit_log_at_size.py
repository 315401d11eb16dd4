"""The audit log at a year's size (about 100,000 entries): its downloads and pages read what they show once, never
once an entry (docs/performance.md, "The audit log at a year's size")."""

import csv
import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import load_workbook

from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages import wagtail_hooks
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState
from tests.factories.accounts import UserFactory

AUDIT_LOG = "/admin/audit_log/"


def _entries(count):
    """Two entries for each of ``count`` accounts, each by and about its account: a sign-in and a state change."""
    for account in UserFactory.create_batch(count):
        audit_record(action=AccountEvent.SIGNED_IN, actor=account, target=account)
        moved = {"from_state": AccountState.ACTIVE, "to_state": AccountState.DORMANT, "reason": "Not signed in"}
        audit_record(action=AccountEvent.DORMANT, actor=account, target=account, **moved)


def _download(client, export, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AUDIT_LOG, {**params, "export": export})
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    if export == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2, values_only=True))
    return rows, len(queries)


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_download_reads_as_many_queries_for_50_accounts_entries_as_for_5(administrator_client, export):
    _entries(5)
    rows, five = _download(administrator_client, export)
    assert len(rows) == 10

    _entries(45)
    rows, fifty = _download(administrator_client, export)

    assert len(rows) == 100
    assert fifty == five


def test_a_download_holds_no_entry_object_per_row(administrator_client):
    """The download counted the whole list with len() before writing it, holding an entry object (with its account and
    kind of target) for every row: a year's log took 450 MB and 22 s of which 10 s CPU."""
    _entries(10)
    built = []

    def count(sender, **kwargs):
        built.append(1)

    post_init.connect(count, sender=AuditEntry)
    try:
        rows, _ = _download(administrator_client, "csv")
    finally:
        post_init.disconnect(count, sender=AuditEntry)

    assert len(rows) == 20
    assert built == []


def test_the_excel_download_of_more_entries_than_it_holds_says_to_narrow_the_list_or_take_the_csv(
    administrator_client, monkeypatch
):
    """Excel files of a year's log took 57 s to write, and gunicorn ends a worker after 30: the administrator got a
    502 or half a file."""
    monkeypatch.setattr(wagtail_hooks, "XLSX_MOST_ENTRIES", 3)
    _entries(2)

    response = administrator_client.get(AUDIT_LOG, {"action": AccountEvent.SIGNED_IN, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")

    refused = administrator_client.get(AUDIT_LOG, {"export": "xlsx"}, follow=True)
    assert refused.redirect_chain == [(AUDIT_LOG, 302)]
    assert "The Excel download holds at most 3 entries, and this list has 4." in refused.content.decode()
    assert "download the list as CSV, which holds up to 100,000 entries. Nothing" in refused.content.decode()
    filtered = administrator_client.get(AUDIT_LOG, {"actor": "example.org", "p": "1", "export": "xlsx"})
    assert filtered.status_code == 302 and filtered["Location"] == f"{AUDIT_LOG}?actor=example.org&p=1"
    rows, _ = _download(administrator_client, "csv")
    assert len(rows) == 4


def _refusal(client, **params):
    """The message a download of the list ``params`` chooses is refused with, having written no file."""
    response = client.get(AUDIT_LOG, params)
    assert response.status_code == 302 and response["Content-Type"].startswith("text/html")
    listing = urlencode({name: value for name, value in params.items() if name != "export"})
    assert response["Location"] == (f"{AUDIT_LOG}?{listing}" if listing else AUDIT_LOG)  # the same list, no file
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    return message


def test_a_csv_download_of_more_entries_than_it_holds_is_refused_naming_their_count(administrator_client, settings):
    """A CSV of about 500,000 entries was still being written when gunicorn ends a sync worker (30 s): the
    administrator got an error page and no file. Now a list of more than PORTAL_AUDIT_CSV_MAX_ROWS is refused before
    any of it is written, asking for dates that hold fewer."""
    settings.PORTAL_AUDIT_CSV_MAX_ROWS = 5
    _entries(2)
    audit_record(action=AccountEvent.SIGNED_IN)
    rows, _ = _download(administrator_client, "csv")
    assert len(rows) == 5  # at the most it holds, the whole file as before

    audit_record(action=AccountEvent.SIGNED_IN)

    assert _refusal(administrator_client, export="csv") == (
        "The CSV download holds at most 5 entries, and this list has 6. "
        "Choose dates under When, or filter by what happened or who, to download fewer. Nothing was downloaded."
    )
    page = administrator_client.get(AUDIT_LOG, {"export": "csv"}, follow=True)
    assert "The CSV download holds at most 5 entries, and this list has 6." in page.content.decode()
    rows, _ = _download(administrator_client, "csv", action=AccountEvent.SIGNED_IN)
    assert len(rows) == 4  # fewer chosen: downloaded


def test_the_excel_download_offers_the_csv_only_when_the_csv_would_hold_the_list(administrator_client, settings):
    settings.PORTAL_AUDIT_CSV_MAX_ROWS = 3
    _entries(2)

    message = _refusal(administrator_client, export="xlsx")

    assert message.startswith("The Excel download holds at most 3 entries, and this list has 4. Choose dates")
    assert "CSV" not in message


def test_the_log_and_its_downloads_keep_to_the_days_chosen(administrator_client, professional):
    """With no filter by date, a download could not be narrowed to a month: the Excel one holds at most 50,000."""
    old = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    other = UserFactory()
    recent = audit_record(action=AccountEvent.SIGNED_IN, actor=other, target=other)
    today = timezone.localdate()
    days = {"created_at_from": today - datetime.timedelta(days=7), "created_at_to": today, "action": old.action}

    page = administrator_client.get(AUDIT_LOG, days).content.decode()
    rows, _ = _download(administrator_client, "csv", **days)

    assert f"/admin/audit_log/inspect/{recent.pk}/" in page and f"/admin/audit_log/inspect/{old.pk}/" not in page
    assert [row["Target"] for row in rows] == [other.email]


def test_a_deep_page_reads_its_own_entries_then_their_accounts_addresses_in_one_query(administrator_client):
    """Each target account's address was worked out in the list's own query, for every entry its OFFSET skipped too:
    the last page of a 100,000-entry log took 1.1 s in the database, its first 250 ms."""
    _entries(30)
    last = AuditEntry.objects.order_by("created_at", "pk").first()

    with CaptureQueriesContext(connection) as queries:
        html = administrator_client.get(AUDIT_LOG, {"p": 3}).content.decode()

    page_reads = [
        query["sql"] for query in queries if 'FROM "cms_auditentry"' in query["sql"] and "LIMIT" in query["sql"]
    ]
    assert len(page_reads) == 1 and page_reads[0].count("SELECT") == 1
    assert f"/admin/audit_log/inspect/{last.pk}/" in html and last.target.email in html
    with CaptureQueriesContext(connection) as first_page:
        administrator_client.get(AUDIT_LOG)
    assert len(first_page) == len(queries)


def _page_read(client, **params):
    """The entries a page of the log shows, by id in its order, and the query that read them."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(AUDIT_LOG, params).content.decode()
    [read] = [query["sql"] for query in queries if 'FROM "cms_auditentry"' in query["sql"] and "LIMIT" in query["sql"]]
    return list(dict.fromkeys(int(pk) for pk in re.findall(r"/admin/audit_log/inspect/(\d+)/", html))), read


def test_a_page_past_the_middle_of_the_log_is_read_from_its_oldest_end_in_the_same_order(administrator_client):
    """A page's OFFSET makes the database read every entry it skips: the last page of a 500,000-entry log took
    420 ms in PostgreSQL, the first 1 ms. A page past the middle is read from the log's oldest end (no OFFSET for the
    last), its entries shown newest first as before."""
    _entries(25)  # 50 entries: pages of 20, the last holding the oldest 10
    newest_first = list(AuditEntry.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))

    second, second_read = _page_read(administrator_client, p=2)
    last, last_read = _page_read(administrator_client, p=3)

    assert second == newest_first[20:40] and "OFFSET 20" in second_read
    assert last == newest_first[40:] and "OFFSET" not in last_read


def test_the_log_sorted_by_a_column_keeps_one_order_across_its_pages_and_reads_its_last_page_from_the_far_end(
    administrator_client,
):
    """Sorted by When or by event, entries of the same second (or event) are sorted by id after it, in the same
    direction: they kept no order from page to page, and the last page was read past every other entry."""
    _entries(25)
    AuditEntry.objects.update(created_at=AuditEntry.objects.earliest("pk").created_at)  # all in the same second
    for ordering, order_by in (("-created_at", ("-created_at", "-pk")), ("action", ("action", "pk"))):
        expected = list(AuditEntry.objects.order_by(*order_by).values_list("pk", flat=True))

        pages = [_page_read(administrator_client, p=number, ordering=ordering) for number in (1, 2, 3)]

        assert [pk for shown, _read in pages for pk in shown] == expected, ordering
        assert "OFFSET" not in pages[2][1], ordering


def test_the_filter_reads_the_actions_the_log_holds_once_a_request(administrator_client):
    """The filter's list of events read the log's distinct actions three times a request (45 ms each on a cold
    cache of a 100,000-entry log): when its field was built, checked and drawn."""
    _entries(1)
    audit_record(action="an.event_since_renamed")

    with CaptureQueriesContext(connection) as queries:
        html = administrator_client.get(AUDIT_LOG, {"action": AccountEvent.SIGNED_IN}).content.decode()

    assert len([query for query in queries if "DISTINCT" in query["sql"] and "cms_auditentry" in query["sql"]]) == 1
    assert "an.event_since_renamed" in html  # still offered, under Other
    assert f"/admin/audit_log/inspect/{AuditEntry.objects.get(action=AccountEvent.SIGNED_IN).pk}/" in html


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_mistyped_date_lists_and_downloads_nothing_not_the_whole_log(administrator_client, professional, export):
    """Wagtail drops every filter when one is invalid: a mistyped date under When listed, and downloaded, the whole
    log, "What happened" and "Who" ignored too."""
    entry = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
    mistyped = {"created_at_from": "notadate", "action": AccountEvent.DORMANT}

    page = administrator_client.get(AUDIT_LOG, mistyped).content.decode()
    download = administrator_client.get(AUDIT_LOG, {**mistyped, "export": export}, follow=True)

    assert f"/admin/audit_log/inspect/{entry.pk}/" not in page
    assert "Correct the filter to see the entries it chooses." in page
    assert download.redirect_chain[0][0].startswith(AUDIT_LOG) and "export=" not in download.redirect_chain[0][0]
    assert download["Content-Type"].startswith("text/html")
    assert "Correct the filter before downloading: nothing was downloaded." in download.content.decode()
    assert professional.email not in download.content.decode()


def _text(html):
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


@pytest.mark.parametrize(
    ("mistyped", "said"),
    [
        ({"created_at_from": "notadate"}, "When: Enter a real start date, like 15/12/2026."),
        ({"created_at_from": "5/12/2026", "created_at_to": "5 Dec"}, "When: Enter a real end date, like 15/12/2026."),
        ({"created_at_from": "5/12/26"}, "When: Enter the year as 4 numbers, like 2026."),
        ({"created_at_to": "5/12/0026"}, "When: Enter the year as 4 numbers, like 2026."),
        ({"created_at_from": "5/12/1899"}, "When: Enter a start date between 1900 and 2100."),
        ({"created_at_to": "5/12/2150"}, "When: Enter an end date between 1900 and 2100."),
        (
            {"created_at_from": "2026-12-10", "created_at_to": "2026-12-01"},
            "When: The end date must be the same as or after the start date.",
        ),
    ],
)
def test_a_filter_in_error_is_named_with_what_to_do_in_the_list_and_the_refused_download(
    administrator_client, professional, mistyped, said
):
    """The list and the download's refusal said only "Correct the filter", with the filters closed over the error."""
    audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)

    page = administrator_client.get(AUDIT_LOG, mistyped)
    results = administrator_client.get(f"{AUDIT_LOG}results/", mistyped)  # what the filters fetch as they change
    download = administrator_client.get(AUDIT_LOG, {**mistyped, "export": "csv"}, follow=True)

    assert f"Correct the filter to see the entries it chooses. {said}" in _text(page.content)
    assert f"Correct the filter to see the entries it chooses. {said}" in _text(results.content)
    assert f"Correct the filter before downloading: nothing was downloaded. {said}" in _text(download.content)
    beside_when = BeautifulSoup(page.content, "html.parser").find(id="drilldown-id_created_at")
    assert said.removeprefix("When: ").rstrip(".") in beside_when.get_text(" ", strip=True)


def test_dates_the_wrong_way_round_are_answered_beside_when(administrator_client, professional):
    audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)

    page = administrator_client.get(AUDIT_LOG, {"created_at_from": "2026-12-10", "created_at_to": "2026-12-01"})

    assert "The end date must be the same as or after the start date" in page.content.decode()


def test_when_chooses_local_days(administrator_client, professional):
    """23:30 UTC on 14 July is 00:30 on 15 July in London: the entry is under the 15th, not the 14th."""
    entry = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
    late = datetime.datetime(2026, 7, 14, 23, 30, tzinfo=datetime.UTC)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=late)
    inspect = f"/admin/audit_log/inspect/{entry.pk}/"

    def listed(day):
        return (
            inspect
            in administrator_client.get(AUDIT_LOG, {"created_at_from": day, "created_at_to": day}).content.decode()
        )

    assert listed("2026-07-15") and not listed("2026-07-14")


@pytest.mark.parametrize("day", ["15/7/2026", "15/07/2026", "2026-07-15"])
def test_when_takes_a_day_as_a_uk_reader_types_it(administrator_client, professional, day):
    entry = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime.datetime(2026, 7, 15, 9, tzinfo=datetime.UTC))

    page = administrator_client.get(AUDIT_LOG, {"created_at_from": day, "created_at_to": day})

    assert f"/admin/audit_log/inspect/{entry.pk}/" in page.content.decode()


def test_when_is_two_plain_text_boxes_with_the_format_in_a_hint_and_no_date_picker(administrator_client):
    """Wagtail's date picker replaced a typed 5/12/2026 with today's date on leaving the box, and filtered by that."""
    page = administrator_client.get(AUDIT_LOG, {"created_at_from": "5/12/2026"})

    html = BeautifulSoup(page.content, "html.parser")
    boxes = [html.find("input", attrs={"name": name}) for name in ("created_at_from", "created_at_to")]
    assert [(box["type"], box.get("value")) for box in boxes] == [("text", "5/12/2026"), ("text", None)]
    # each box labelled, not told apart by a placeholder, which GOV.UK advises against
    labels = [html.find("label", attrs={"for": box["id"]}).get_text(strip=True) for box in boxes]
    assert labels == ["From", "To"] and [box.get("placeholder") for box in boxes] == [None, None]
    assert "For example, 15/12/2026" in html.find(id="drilldown-id_created_at").get_text(" ", strip=True)
    assert "initDateChooser" not in page.content.decode()


def test_a_download_names_an_account_made_while_it_is_written(administrator_client):
    """The accounts' names were read before the entries, which are read as the file is written: an entry by an account
    made between the two stopped the download part-way, a file cut short with no word of why."""
    _entries(2)
    response = administrator_client.get(AUDIT_LOG, {"export": "csv"})
    newcomer = UserFactory(display_name="Heron Lane SENCO", email="senco@heron-lane.example.org")
    audit_record(action=AccountEvent.SIGNED_IN, actor=newcomer, target=newcomer)

    with CaptureQueriesContext(connection) as queries:
        body = b"".join(response.streaming_content)

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 5
    [row] = [row for row in rows if row["Who"] == str(newcomer)]
    assert newcomer.email in row["Target"]
    assert len([query for query in queries if "portal_pages_user" in query["sql"]]) == 1  # read once, for both


def test_a_download_asks_once_for_a_target_account_since_deleted_however_many_entries_name_it(
    administrator_client, administrator
):
    gone = UserFactory()
    for _ in range(3):
        audit_record(action=AccountEvent.DELETED, actor=administrator, target=gone)
    gone_id = gone.pk
    gone.delete()

    with CaptureQueriesContext(connection) as queries:
        rows, _ = _download(administrator_client, "csv")

    assert [row["Target"] for row in rows].count(f"Account {gone_id}") == 3
    assert len([query for query in queries if '"portal_pages_user"."id" IN (' in query["sql"]]) == 1  # asked once


def test_the_who_filter_matches_the_name_the_who_column_shows_not_a_team_accounts_persons_name(
    administrator_client,
):
    team = UserFactory(display_name="Heron Lane SENCO", first_name="Avery", last_name="Quill")
    person = UserFactory(display_name="", first_name="Avery", last_name="Marsh")
    for account in (team, person):
        audit_record(action=AccountEvent.SIGNED_IN, actor=account, target=account)

    def who(typed):
        rows, _ = _download(administrator_client, "csv", actor=typed)
        return sorted({row["Who"] for row in rows})

    assert who("Quill") == []  # not shown: the column says "Heron Lane SENCO"
    assert who("Avery") == ["Avery Marsh"]
    assert who("avery marsh") == ["Avery Marsh"] and who("Heron Lane") == ["Heron Lane SENCO"]
