"""A damaged guidance PDF was kept as lacking nothing, as an accessible one is: the migration that lets a PDF be kept
as not read forgets every PDF kept as lacking nothing, so check_document_accessibility reads them again and the
damaged ones warn; what was found lacking is kept."""

import pytest
from django.core.files.base import ContentFile

from tests.migrations import leaf_nodes, migrate

BEFORE = [("cms", "0014_audit_entries_out_of_the_reference_index")]
AFTER = [("cms", "0015_document_accessibility_unreadable_pdfs")]


@pytest.mark.django_db(transaction=True)
def test_pdfs_kept_as_lacking_nothing_are_forgotten_to_be_read_again_and_those_lacking_something_are_kept():
    try:
        apps = migrate(BEFORE)
        documents = apps.get_model("wagtaildocs", "Document")
        kept = apps.get_model("cms", "DocumentAccessibility")
        # A transactional test run before this one empties the database, root collection and all.
        collection, _ = apps.get_model("wagtailcore", "Collection").objects.get_or_create(
            depth=1, defaults={"path": "0001", "numchild": 0, "name": "Root"}
        )
        made = {}
        for title in ("Damaged", "Untagged"):
            made[title] = documents.objects.create(
                title=title, file=ContentFile(b"%PDF-", name=f"{title}.pdf"), collection=collection
            )
        kept.objects.create(document=made["Damaged"], file_hash="a" * 40, gaps=[])
        kept.objects.create(document=made["Untagged"], file_hash="b" * 40, gaps=["tags"])

        kept = migrate(AFTER).get_model("cms", "DocumentAccessibility")
        assert list(kept.objects.values_list("document__title", "gaps", "readable")) == [("Untagged", ["tags"], True)]
    finally:
        migrate(leaf_nodes())
