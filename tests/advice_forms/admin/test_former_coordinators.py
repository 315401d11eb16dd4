"""A child's EHC co-ordinator who can no longer do casework (a caseworker made a content editor instead, or switched
off): not emailed casework notices (the service's address is, as when no co-ordinator is allocated), marked beside
their name wherever the staff see who co-ordinates the child, kept in the record's co-ordinator select only as its
current value, and no longer the only one (with superusers) who deals with the child's waiting reports."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advice_forms import selectors
from advice_forms.models import ChildRecord, DetailsChangeReport, RequestState
from advice_forms.services.coordinators import coordinator_notify
from portal_pages.services.emails import service_contact
from tests.factories.accounts import staff_in_group
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory

pytestmark = pytest.mark.django_db

MARK = "(no longer a caseworker)"


def no_longer_a_caseworker(user, how):
    """What a superuser does on Users: untick SEND caseworker and tick Content editor; or untick Active."""
    if how == "content editor":
        user.groups.remove(Group.objects.get(name="SEND caseworker"))
        user.groups.add(Group.objects.get(name="Content editor"))
    else:
        user.is_active = False
        user.save()


@pytest.fixture
def former(db):
    return staff_in_group(
        "SEND caseworker", first_name="Fran", last_name="Former", display_name="", email="fran@council.example.org"
    )


@pytest.fixture
def child(former):
    return ChildRecordFactory(first_name="Maisie", last_name="Thornbury", coordinator=former)


def notify(child, key, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_notify(
            child=child,
            key=key,
            news="asked for access to a document",
            template="document_access_requested",
            admin_url_name="casework_access_requests",
        )
    return [email.to for email in mail.outbox]


@pytest.mark.parametrize("how", ["content editor", "switched off"])
def test_casework_notices_go_to_the_service_once_the_coordinator_no_longer_does_casework(
    home_page, former, child, how, django_capture_on_commit_callbacks
):
    assert notify(child, "notice:1", django_capture_on_commit_callbacks) == [[former.email]]
    no_longer_a_caseworker(former, how)
    child = ChildRecord.objects.select_related("coordinator").get(pk=child.pk)
    assert notify(child, "notice:2", django_capture_on_commit_callbacks) == [[service_contact()["support_email"]]]


@pytest.mark.parametrize("how", ["content editor", "switched off"])
def test_the_records_list_and_the_record_mark_a_coordinator_who_no_longer_does_casework(
    caseworker_client, former, child, how
):
    pages = {
        "list": reverse("child_records:index"),
        "record": reverse("child_records:inspect", args=[child.pk]),
    }
    for where, url in pages.items():
        assert MARK not in caseworker_client.get(url).content.decode(), where
    no_longer_a_caseworker(former, how)
    for where, url in pages.items():
        html = " ".join(caseworker_client.get(url).content.decode().split())
        assert f"Fran Former {MARK}" in html, where


def test_the_request_lists_and_page_mark_a_coordinator_who_no_longer_does_casework(caseworker_client, former, child):
    AdviceRequestFactory(
        child=child, state=RequestState.IN_PROGRESS, due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    submitted = AdviceRequestFactory(child=child, state=RequestState.SUBMITTED)
    no_longer_a_caseworker(former, "content editor")
    pages = {
        "overdue list": reverse("overdue_advice:index") + "?whose=all",
        "review queue": reverse("review_queue:index"),
        "request page": reverse("review_queue:review", args=[submitted.pk]),
    }
    for where, url in pages.items():
        html = " ".join(caseworker_client.get(url).content.decode().split())
        assert f"Fran Former {MARK}" in html, where


def test_the_records_list_reads_as_many_queries_whatever_its_coordinators(caseworker_client, caseworker, former):
    def queries_of_the_list():
        with CaptureQueriesContext(connection) as captured:
            response = caseworker_client.get(reverse("child_records:index"))
        assert response.status_code == 200
        return response, len(captured)

    ChildRecordFactory(coordinator=caseworker)
    _, one = queries_of_the_list()
    for n in range(3):
        gone = staff_in_group("SEND caseworker", first_name="Gone", last_name=f"Worker{n}")
        ChildRecordFactory(coordinator=gone)
        no_longer_a_caseworker(gone, "content editor" if n % 2 else "switched off")
    response, four = queries_of_the_list()
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("table tbody").get_text().count(MARK) == 3
    assert page.select_one("select[name=coordinator]").get_text().count(MARK) == 3  # and its filter's menu
    assert four == one


def coordinator_options(client, record):
    page = BeautifulSoup(client.get(reverse("child_records:edit", args=[record.pk])).content, "html.parser")
    return [" ".join(option.get_text().split()) for option in page.select("select[name=coordinator] option")]


def test_the_coordinator_select_keeps_a_former_caseworker_only_as_the_records_own_value(
    caseworker_client, caseworker, former, child
):
    no_longer_a_caseworker(former, "content editor")
    own = coordinator_options(caseworker_client, child)
    assert f"Fran Former {MARK}" in own
    assert caseworker.get_full_name() in own  # who does casework, unmarked
    other = coordinator_options(caseworker_client, ChildRecordFactory(coordinator=caseworker))
    assert caseworker.get_full_name() in other and not any("Fran Former" in label for label in other)


def test_other_caseworkers_deal_with_the_childs_waiting_reports_once_the_coordinator_has_gone(
    caseworker, former, child
):
    advice_request = AdviceRequestFactory(child=child)
    report = DetailsChangeReport.objects.create(
        child=child, advice_request=advice_request, account=advice_request.account, details="New address"
    )
    assert list(selectors.change_reports_waiting(caseworker)) == []
    assert not selectors.deals_with_child(caseworker, child)
    no_longer_a_caseworker(former, "content editor")
    assert list(selectors.change_reports_waiting(caseworker)) == [report]
    assert selectors.deals_with_child(caseworker, child)


def filter_options(client, url, **params):
    """The options of a listing's "EHC co-ordinator" filter, and the filters shown in force above the list."""
    page = BeautifulSoup(client.get(url, params).content, "html.parser")
    options = [" ".join(option.get_text().split()) for option in page.select("select[name=coordinator] option")]
    in_force = " ".join(" ".join(pill.get_text(" ", strip=True).split()) for pill in page.select(".w-pill"))
    return options, in_force


@pytest.mark.parametrize("how", ["content editor", "switched off"])
def test_the_coordinator_filters_mark_a_coordinator_who_no_longer_does_casework(
    caseworker_client, caseworker, former, child, how
):
    AdviceRequestFactory(child=child, state=RequestState.SUBMITTED)
    AdviceRequestFactory(child=ChildRecordFactory(coordinator=caseworker), state=RequestState.SUBMITTED)
    menus = {"review queue": reverse("review_queue:index"), "records list": reverse("child_records:index")}
    for where, url in menus.items():
        options, _ = filter_options(caseworker_client, url)
        assert "Fran Former" in options and caseworker.get_full_name() in options, where
    no_longer_a_caseworker(former, how)
    for where, url in menus.items():
        options, _ = filter_options(caseworker_client, url)
        assert f"Fran Former {MARK}" in options and caseworker.get_full_name() in options, where
        _, in_force = filter_options(caseworker_client, url, coordinator=former.pk)
        assert f"Fran Former {MARK}" in in_force, where


def test_the_records_list_filter_offers_only_staff_who_coordinate_a_child(caseworker_client, caseworker, former, child):
    """It offered every member of staff (content editors, portal administrators), who would all read as former
    caseworkers once marked."""
    editor = staff_in_group("Content editor", first_name="Eddie", last_name="Editor")
    options, _ = filter_options(caseworker_client, reverse("child_records:index"))
    assert "Fran Former" in options
    assert not any(user.get_full_name() in options for user in (editor, caseworker))  # neither co-ordinates a child
