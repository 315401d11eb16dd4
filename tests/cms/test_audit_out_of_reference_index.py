"""Audit entries are kept out of Wagtail's reference index (AuditEntry.wagtail_reference_index_ignore): an entry is
no "usage" of its actor or its target, and indexing it cost every audited write four queries and every Usage page
of a child record or an account one query an entry (1,116 queries with 1,000 entries)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from advice_forms.events import CaseworkEvent
from cms.models import AuditEntry
from cms.services import audit_record
from portal_pages.events import AccountEvent
from tests.factories.advice_forms import ChildRecordFactory
from tests.factories.cms import reference_index_row
from tests.migrations import leaf_nodes, migrate

BEFORE = [("cms", "0013_document_accessibility_and_settings_characters")]


def _audit_rows():
    audit_type = ContentType.objects.get_for_model(AuditEntry)
    return ReferenceIndex.objects.filter(base_content_type=audit_type) | ReferenceIndex.objects.filter(
        to_content_type=audit_type
    )


def test_an_audited_write_adds_no_reference_index_row(verified_admin_client, caseworker, professional):
    verified_admin_client.get("/admin/")  # the admin's viewsets are registered, as on a server that has served a page
    before = ReferenceIndex.objects.count()

    audit_record(action=CaseworkEvent.CHILD_RECORD_VIEWED, actor=caseworker, target=ChildRecordFactory())
    audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)

    assert ReferenceIndex.objects.count() == before
    assert not _audit_rows().exists()


def _usage_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_usage_page_reads_as_many_queries_for_20_audit_entries_as_for_1(verified_admin_client, professional):
    child = ChildRecordFactory()
    pages = [f"/admin/child_records/usage/{child.pk}/", f"/admin/team_accounts/usage/{professional.pk}/"]

    def write(count):
        for _ in range(count):
            audit_record(action=CaseworkEvent.CHILD_RECORD_VIEWED, actor=professional, target=child)

    write(1)
    one = [_usage_queries(verified_admin_client, url) for url in pages]
    write(19)
    twenty = [_usage_queries(verified_admin_client, url) for url in pages]

    assert twenty == one
    assert "Audit entr" not in verified_admin_client.get(pages[0]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_rows_indexed_of_audit_entries_before_are_removed(caseworker):
    """A database indexed before keeps its rows of audit entries, which the Usage pages would go on listing."""
    child = ChildRecordFactory()
    migrate(BEFORE)
    [entry] = AuditEntry.objects.bulk_create(
        [AuditEntry(action=CaseworkEvent.CHILD_RECORD_VIEWED, actor=caseworker, target=child)]
    )
    reference_index_row(entry, "actor", caseworker)
    reference_index_row(entry, "target", child)
    kept = ReferenceIndex.objects.exclude(pk__in=_audit_rows()).count()

    migrate(leaf_nodes())

    assert not _audit_rows().exists()
    assert ReferenceIndex.objects.count() == kept
