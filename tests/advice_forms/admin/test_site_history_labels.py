"""Wagtail's site history (its page and its CSV and XLSX downloads) names a casework row by kind and id, never by
its str(), which names the child: while the record lives, after an edit, and after it is deleted."""

import pytest
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from advice_forms.models import ChildRecord
from tests.factories.accounts import verified_login
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zephyrine", "Quillbrook"


def _site_history(client):
    pages = [client.get("/admin/reports/site-history/"), client.get("/admin/reports/site-history/", {"export": "csv"})]
    assert [page.status_code for page in pages] == [200, 200]
    return [b"".join(page.streaming_content) if page.streaming else page.content for page in pages]


def test_the_site_history_names_a_child_record_by_its_id_after_an_edit_and_a_delete(client, caseworker, superuser):
    child = ChildRecordFactory(first_name=FIRST, last_name=LAST)
    pk = child.pk
    verified_login(client, caseworker)
    data = {"first_name": FIRST, "last_name": LAST, "date_of_birth": "2015-06-01", "status": "requested"}
    data |= {"coordinator": caseworker.pk, "address": "", "parent_carer_name": "", "parent_carer_contact": ""}
    response = client.post(reverse("child_records:edit", args=[pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(response.url)  # its "Child record '…' updated." message is shown there, to the caseworker
    log(instance=child, action="wagtail.edit", user=caseworker)  # as any other call of Wagtail's log writes one

    for user in (caseworker, superuser):
        verified_login(client, user)
        for content in _site_history(client):
            assert LAST.encode() not in content and f"Child record {pk}".encode() in content, user

    verified_login(client, superuser)  # a caseworker closes a record; only a superuser deletes one
    response = client.post(reverse("child_records:delete", args=[pk]))
    assert response.status_code == 302 and not ChildRecord.objects.filter(pk=pk).exists()
    client.get(response.url)
    entries = ModelLogEntry.objects.filter(object_id=str(pk), content_type__model="childrecord")
    assert sorted(entries.values_list("action", "label")) == [
        ("wagtail.delete", f"Child record {pk}"),
        ("wagtail.edit", f"Child record {pk}"),
        ("wagtail.edit", f"Child record {pk}"),
    ]
    for content in _site_history(client):
        assert LAST.encode() not in content and f"Child record {pk}".encode() in content


def test_a_request_about_a_child_is_logged_by_its_id(caseworker):
    advice_request = AdviceRequestFactory(child=ChildRecordFactory(first_name=FIRST, last_name=LAST))
    assert LAST in str(advice_request)
    entry = log(instance=advice_request, action="wagtail.edit", user=caseworker)
    assert entry.label == f"Advice request {advice_request.pk}"
