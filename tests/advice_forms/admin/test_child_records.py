"""Child records in the Casework admin: caseworkers create and read them, and every view of one is audited."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from advice_forms.models import ChildRecord
from advice_forms.services.submissions import submission_reference_assign
from cms.models import AuditEntry
from portal_pages.models import SETTING_KINDS, OrganisationKind
from tests.factories.accounts import OrganisationFactory, staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, submission_make

pytestmark = pytest.mark.django_db


def test_a_caseworker_adds_a_child_record(caseworker_client, caseworker):
    response = caseworker_client.post(
        reverse("child_records:add"),
        {
            "first_name": "Wren",
            "last_name": "Halloway",
            "date_of_birth": "2015-06-01",
            "unique_pupil_number": "",
            "address": "8 Test Street, Testshire",
            "parent_carer_name": "Robin Halloway",
            "parent_carer_contact": "robin@example.org",
            "coordinator": caseworker.pk,
            "status": "requested",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    child = ChildRecord.objects.get()
    assert (child.full_name, child.coordinator) == ("Wren Halloway", caseworker)


def test_a_date_of_birth_in_the_future_and_a_malformed_pupil_number_are_refused_beside_their_fields(
    caseworker_client, caseworker
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = caseworker_client.post(
        reverse("child_records:add"),
        {
            "first_name": "Wren",
            "last_name": "Halloway",
            "date_of_birth": tomorrow.isoformat(),
            "unique_pupil_number": "ABC",
            "coordinator": caseworker.pk,
            "status": "requested",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["date_of_birth"] == ["Date of birth must be today or in the past"]
    assert errors["unique_pupil_number"] == [
        "Enter the unique pupil number as its 13 letters and numbers, like A123456789012"
    ]
    assert not ChildRecord.objects.exists()


def _edit_date_of_birth(client, child, typed):
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": typed,
        "coordinator": child.coordinator_id or "",
        "status": child.status,
    }
    return client.post(reverse("child_records:edit", args=[child.pk]), data)


@pytest.mark.parametrize("typed", ["14/06/2016", "14/6/2016", "2016-06-14", " 14/6/2016 "])
def test_a_date_of_birth_typed_as_a_uk_reader_writes_it_is_saved_as_typed(caseworker_client, caseworker, typed):
    child = ChildRecordFactory(coordinator=caseworker, date_of_birth=datetime.date(2015, 1, 2))

    response = _edit_date_of_birth(caseworker_client, child, typed)

    assert response.status_code == 302, response.context["form"].errors
    child.refresh_from_db()
    assert child.date_of_birth == datetime.date(2016, 6, 14)


@pytest.mark.parametrize(
    "typed, error",
    [
        ("31/02/2016", "Enter a real date, like 14/6/2016"),
        ("14/13/2016", "Enter a real date, like 14/6/2016"),
        ("June 2016", "Enter a real date, like 14/6/2016"),
        ("01/01/30", "Enter the year as 4 numbers, like 2016"),  # once read as 2030
        ("14/6/0016", "Enter the year as 4 numbers, like 2016"),
        ("14/6/1899", "Enter a date between 1900 and 2100"),  # 4 numbers, so not "Enter the year as 4 numbers"
        ("14/6/2150", "Enter a date between 1900 and 2100"),
        ("1/1/2099", "Date of birth must be today or in the past"),
    ],
)
def test_an_impossible_or_future_date_of_birth_is_refused_beside_the_field_and_nothing_is_stored(
    caseworker_client, caseworker, typed, error
):
    child = ChildRecordFactory(coordinator=caseworker, date_of_birth=datetime.date(2015, 1, 2))

    response = _edit_date_of_birth(caseworker_client, child, typed)

    assert response.status_code == 200
    assert response.context["form"].errors == {"date_of_birth": [error]}
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("input", attrs={"name": "date_of_birth"})["value"] == typed, "what was typed, shown again"
    child.refresh_from_db()
    assert child.date_of_birth == datetime.date(2015, 1, 2)


def test_the_date_of_birth_is_a_plain_text_box_with_its_format_in_a_hint_and_no_date_picker(caseworker_client):
    """Wagtail's date picker replaced a date it could not read as 2016-06-14 with today's on leaving the box."""
    child = ChildRecordFactory(date_of_birth=datetime.date(2016, 6, 14))

    response = caseworker_client.get(reverse("child_records:edit", args=[child.pk]))

    html = BeautifulSoup(response.content, "html.parser")
    box = html.find("input", attrs={"name": "date_of_birth"})
    assert (box["type"], box["value"]) == ("text", "14/6/2016")
    hint = html.find(id=box["aria-describedby"])
    assert hint.get_text(" ", strip=True) == "For example, 14/6/2016"
    assert "initDateChooser" not in response.content.decode()


def test_the_form_offers_active_schools_and_staff_who_do_casework_and_keeps_what_is_recorded(
    caseworker_client, caseworker
):
    editor = staff_in_group("Content editor", first_name="Connie", last_name="Editor")
    open_school = OrganisationFactory(name="Heron Lane Primary")
    closed_school = OrganisationFactory(name="Old Mill Infant School", is_active=False)

    form = caseworker_client.get(reverse("child_records:add")).context["form"]

    assert caseworker in form.fields["coordinator"].queryset and editor not in form.fields["coordinator"].queryset
    assert open_school in form.fields["school"].queryset and closed_school not in form.fields["school"].queryset
    child = ChildRecordFactory(school=closed_school, coordinator=editor)
    form = caseworker_client.get(reverse("child_records:edit", args=[child.pk])).context["form"]
    assert editor in form.fields["coordinator"].queryset and closed_school in form.fields["school"].queryset


def test_the_school_or_setting_list_offers_schools_and_settings_not_the_services_that_give_advice(caseworker_client):
    """The social care team, the speech and language therapy service and the educational psychology service were
    offered as a child's school."""
    settings = [
        OrganisationFactory(name="Heron Lane Primary", kind=OrganisationKind.SCHOOL),
        OrganisationFactory(name="Little Wrens Nursery", kind=OrganisationKind.EARLY_YEARS),
        OrganisationFactory(name="Kestrelford Sixth Form College", kind=OrganisationKind.POST_16),
    ]
    services = [
        OrganisationFactory(name=f"Kestrelford {kind.label}", kind=kind)
        for kind in OrganisationKind
        if kind not in SETTING_KINDS
    ]

    form = caseworker_client.get(reverse("child_records:add")).context["form"]

    assert list(form.fields["school"].queryset) == sorted(settings, key=lambda organisation: organisation.name)
    child = ChildRecordFactory(school=services[0])  # recorded before: kept on its edit page
    form = caseworker_client.get(reverse("child_records:edit", args=[child.pk])).context["form"]
    assert services[0] in form.fields["school"].queryset and services[1] not in form.fields["school"].queryset


def test_every_view_of_a_child_record_is_audited_with_ids_only(caseworker_client, caseworker, ersa):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather", address="3 Secret Lane")
    advice_request = AdviceRequestFactory(form_version=ersa, child=child)

    listing = caseworker_client.get(reverse("child_records:index"))
    assert listing.status_code == 200 and "Amelia Quillfeather" in listing.content.decode()
    assert not AuditEntry.objects.filter(action="child_record.viewed").exists()  # a list is not a view of a record

    inspect = caseworker_client.get(reverse("child_records:inspect", args=[child.pk]))
    html = inspect.content.decode()
    assert inspect.status_code == 200 and "3 Secret Lane" in html
    assert "Test ERSA" in html and reverse("review_queue:review", args=[advice_request.pk]) in html
    assert reverse("child_records:share", args=[child.pk]) in html
    assert caseworker_client.get(reverse("child_records:edit", args=[child.pk])).status_code == 200

    entries = list(AuditEntry.objects.filter(action="child_record.viewed").order_by("pk"))
    assert [entry.data for entry in entries] == [{"view": "inspect"}, {"view": "edit"}]
    for entry in entries:
        assert entry.target == child and entry.actor == caseworker
        flat = f"{entry.data} {entry.reason} {entry.from_state} {entry.to_state}"
        assert "Amelia" not in flat and "Secret" not in flat


def test_a_signed_in_head_to_a_child_records_pages_writes_no_audit_entry(caseworker_client, ersa):
    """A signed-in HEAD reaches the view as HEAD (cms.head_requests); a class-based view answers it with its GET."""
    child = ChildRecordFactory()
    advice_request = AdviceRequestFactory(form_version=ersa, child=child)
    paths = [
        reverse("child_records:inspect", args=[child.pk]),
        reverse("child_records:edit", args=[child.pk]),
        reverse("review_queue:review", args=[advice_request.pk]),
    ]

    statuses = [caseworker_client.head(path).status_code for path in paths]

    assert statuses == [200, 200, 200]
    assert not AuditEntry.objects.filter(action="child_record.viewed").exists()


def test_the_child_record_page_links_documents_outcomes_contacts_contribution_and_reported_changes(caseworker_client):
    child = ChildRecordFactory()

    page = caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content.decode()

    for name in (
        "casework_documents",
        "casework_outcomes",
        "casework_contacts",
        "casework_contribution",
        "casework_child_change_reports",
    ):
        assert f'href="{reverse(name, args=[child.pk])}"' in page


def test_every_column_of_the_requests_table_has_a_header_a_screen_reader_reads(caseworker_client, ersa):
    """axe: the column of "Open" links had an empty header, so a screen reader announced nothing for it."""
    child = ChildRecordFactory()
    AdviceRequestFactory(form_version=ersa, child=child)

    page = BeautifulSoup(
        caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content, "html.parser"
    )

    [table] = [table for table in page.select("table") if "Team account" in table.get_text()]
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[-1] == "Review" and all(headers)


def test_a_detail_the_record_does_not_have_reads_not_recorded(caseworker_client):
    child = ChildRecordFactory(school=None, coordinator=None, address="")

    page = BeautifulSoup(
        caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content, "html.parser"
    )

    shown = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True) for dt in page.select("dl dt")}
    assert shown["School or setting"] == shown["EHC co-ordinator"] == shown["Address"] == "Not recorded"
    assert "None" not in shown.values()


def test_the_child_record_list_links_each_name_to_the_record_with_share_a_form_beside_it(caseworker_client, ersa):
    child = ChildRecordFactory(first_name="Amelia", last_name="Quillfeather")
    html = caseworker_client.get(reverse("child_records:index")).content.decode()
    inspect, share = reverse("child_records:inspect", args=[child.pk]), reverse("child_records:share", args=[child.pk])
    title_cell = html.split("Amelia Quillfeather")[0].rsplit("<a", 1)[1]
    assert f'href="{inspect}"' in title_cell
    row = html.split("Amelia Quillfeather", 1)[1].split("</tr>")[0]
    dropdown = row.split("w-dropdown__content", 1)[1].split("</div>")[0]
    assert f'href="{share}"' in row and f'href="{share}"' not in dropdown
    assert 'class="button button-small button-secondary"' in row.split(f'href="{share}"')[1].split(">")[0]


def _found(client, query, url_name="child_records:index"):
    html = client.get(reverse(url_name), {"q": query}).content.decode()
    return {name for name in ("Poppy Larkspur", "Poppy Thornbury", "Ivy Larkspur") if name in html}


def test_a_search_of_several_words_finds_the_records_holding_every_word_in_name_or_pupil_number(caseworker_client):
    ChildRecordFactory(first_name="Poppy", last_name="Larkspur", unique_pupil_number="K123456789012")
    ChildRecordFactory(first_name="Poppy", last_name="Thornbury")
    ChildRecordFactory(first_name="Ivy", last_name="Larkspur")

    for url_name in ("child_records:index", "child_records:index_results"):
        assert _found(caseworker_client, "Poppy Larkspur", url_name) == {"Poppy Larkspur"}
    assert _found(caseworker_client, "  larkspur,  POPPY ") == {"Poppy Larkspur"}
    assert _found(caseworker_client, "k123456789012 poppy") == {"Poppy Larkspur"}
    assert _found(caseworker_client, "Larkspur") == {"Poppy Larkspur", "Ivy Larkspur"}
    assert _found(caseworker_client, "Poppy Marchwood") == set()


@pytest.mark.parametrize("url_name", ["child_records:index", "review_queue:index"])
def test_a_search_finds_a_name_whatever_its_accents_and_apostrophes(caseworker_client, ersa, url_name):
    """ "Zoe" did not find Zoë, "Ni Bhriain" not Ní Bhriain, "D'Arcy" (typed) or "Darcy" not D’Arcy (pasted from an
    email), nor the reverse."""
    for first, last in [("Zoë", "Ní Bhriain"), ("Oisín", "D’Arcy"), ("Sam", "O'Neill")]:
        submission_make(AdviceRequestFactory(child=ChildRecordFactory(first_name=first, last_name=last)), {})

    def found(query):
        html = caseworker_client.get(reverse(url_name), {"q": query}).content.decode()
        return {name for name in ("Zoë Ní Bhriain", "Oisín D’Arcy", "Sam O&#x27;Neill", "Sam O'Neill") if name in html}

    assert found("Zoe") == found("Ni Bhriain") == found("zoë ní") == {"Zoë Ní Bhriain"}
    assert found("D'Arcy") == found("oisin d’arcy") == found("darcy") == {"Oisín D’Arcy"}
    assert found("O’Neill") in ({"Sam O&#x27;Neill"}, {"Sam O'Neill"})
    assert found("Zoe Oisin") == set()


def test_names_of_the_longest_that_folding_lengthens_are_saved_and_found(caseworker_client):
    """Folded, "ß" is "ss" and "æ" is "ae": two names of 100 characters fold to more than the 201 the folded name had
    room for, which PostgreSQL refused (a 500 on saving the record)."""
    first_name = ("Weiß" * 25)[:100]
    last_name = ("Æßel" * 25)[:100]
    child = ChildRecordFactory(first_name=first_name, last_name=last_name)

    child.refresh_from_db()
    assert len(child.search_name) > 201
    html = caseworker_client.get(reverse("child_records:index"), {"q": "AESSEL"}).content.decode()
    assert reverse("child_records:inspect", args=[child.pk]) in html


def submitted_with_reference(child, version):
    """A submission on a request about ``child``, with the reference the confirmation page gives (KBC-ERSA-…)."""
    submission = submission_make(AdviceRequestFactory(child=child, form_version=version), {})
    return submission_reference_assign(submission)


def test_a_submissions_reference_finds_the_child_record_in_any_case_with_or_without_spaces(caseworker_client, ersa):
    """The confirmation page tells the professional to give their reference, but searching for it found nothing."""
    poppy = ChildRecordFactory(first_name="Poppy", last_name="Larkspur")
    reference = submitted_with_reference(poppy, ersa)
    submitted_with_reference(ChildRecordFactory(first_name="Ivy", last_name="Larkspur"), ersa)
    ChildRecordFactory(first_name="Poppy", last_name="Thornbury")
    assert reference.startswith("KBC-ERSA-")

    for url_name in ("child_records:index", "child_records:index_results"):
        assert _found(caseworker_client, reference, url_name) == {"Poppy Larkspur"}
    assert _found(caseworker_client, f"  {reference.lower()} ") == {"Poppy Larkspur"}
    assert _found(caseworker_client, reference.replace("-", " ")) == {"Poppy Larkspur"}
    assert _found(caseworker_client, reference.replace("-", " - ")) == {"Poppy Larkspur"}
    assert _found(caseworker_client, reference[:-1]) == set()  # exact: part of a reference finds nothing
    assert _found(caseworker_client, "Larkspur") == {"Poppy Larkspur", "Ivy Larkspur"}  # names as before


def test_searching_child_records_costs_the_same_queries_however_many_match(caseworker_client, ersa):
    ChildRecordFactory(first_name="Poppy", last_name="Larkspur")
    first = submitted_with_reference(ChildRecordFactory(first_name="Poppy", last_name="Larkspur"), ersa)

    def queries_for_search(query):
        with CaptureQueriesContext(connection) as queries:
            response = caseworker_client.get(reverse("child_records:index"), {"q": query})
        assert response.status_code == 200 and "Poppy Larkspur" in response.content.decode()
        return len(queries)

    one = queries_for_search("Poppy Larkspur")
    by_reference = queries_for_search(first)
    for _ in range(5):
        child = ChildRecordFactory(first_name="Poppy", last_name="Larkspur", school=OrganisationFactory())
        submitted_with_reference(child, ersa)
        submitted_with_reference(child, ersa)
    assert queries_for_search("Poppy Larkspur") == one
    assert queries_for_search(first) == by_reference


def test_each_open_link_in_the_requests_table_names_its_request_to_a_screen_reader(caseworker_client, ersa):
    """A screen reader's list of links read "Open", "Open", "Open": nothing said which request each opened."""
    child = ChildRecordFactory()
    AdviceRequestFactory(form_version=ersa, child=child)
    reference = submitted_with_reference(child, ersa)

    page = BeautifulSoup(
        caseworker_client.get(reverse("child_records:inspect", args=[child.pk])).content, "html.parser"
    )

    links = [a for a in page.select("table a") if a.get_text(strip=True).startswith("Open")]
    hidden = [a.select_one(".w-sr-only").get_text() for a in links]
    title = ersa.title
    assert sorted(hidden) == sorted([f" request for {title}", f" request for {title}, {reference}"])


@pytest.mark.parametrize("url_name", ["child_records:index", "review_queue:index", "overdue_advice:index"])
def test_the_search_box_says_what_it_finds_in_a_hint_it_is_described_by(caseworker_client, url_name):
    page = BeautifulSoup(caseworker_client.get(reverse(url_name)).content, "html.parser")

    box = page.find("input", attrs={"name": "q"})
    hint = page.find(id=box["aria-describedby"])
    assert hint.get_text(strip=True) == (
        "Search by name, unique pupil number or a submission's reference (or the last 3 or more digits of it)"
    )


@pytest.mark.parametrize("view", ["inspect", "edit", "delete"])
def test_a_child_records_pages_keep_the_childs_name_out_of_their_titles(verified_admin_client, view):
    """ "Inspect: Rowan Ashdown" went to the browser's history (on shared council computers too), where the share
    page had kept the name out of its title on purpose; the heading on the page still names the child."""
    child = ChildRecordFactory(first_name="Rowan", last_name="Ashdown")

    page = BeautifulSoup(
        verified_admin_client.get(reverse(f"child_records:{view}", args=[child.pk])).content, "html.parser"
    )

    assert "Ashdown" not in page.title.get_text() and "child record" in page.title.get_text()
    assert "Rowan Ashdown" in page.h1.get_text()


def test_saving_a_child_record_unchanged_logs_no_edit_and_says_there_was_nothing_to_save(caseworker_client):
    child = ChildRecordFactory(address="8 Test Street")
    edit_url = reverse("child_records:edit", args=[child.pk])
    page = BeautifulSoup(caseworker_client.get(edit_url).content, "html.parser")
    form = page.select_one("form#child_records-edit-form") or page.select_one("main form[method=post]")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]") if field["type"] != "submit"}
    data |= {field["name"]: field.get_text() for field in form.select("textarea[name]")}
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]")
        data[select["name"]] = chosen["value"] if chosen else ""

    response = caseworker_client.post(edit_url, data, follow=True)

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == ["No changes to save: the record is as it was"]
    assert not ModelLogEntry.objects.filter(content_type__model="childrecord", object_id=str(child.pk)).exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["child_record.viewed"]

    data["address"] = "9 Test Street"
    caseworker_client.post(edit_url, data)
    assert ModelLogEntry.objects.filter(content_type__model="childrecord", action="wagtail.edit").count() == 1
