"""The "Document types" list was found by its name: the migration marks the existing list with its purpose, so it is
found however it is renamed, and going back clears the mark."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("advice_forms", "0026_child_record_keeps_its_coordinator")]
AFTER = [("advice_forms", "0027_document_types_list_found_by_purpose")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_existing_document_types_list_gets_its_purpose_and_loses_it_going_back():
    try:
        lists = _migrate(BEFORE).get_model("advice_forms", "DropdownList")
        lists.objects.create(name="Document types")
        lists.objects.create(name="Languages")

        lists = _migrate(AFTER).get_model("advice_forms", "DropdownList")
        assert dict(lists.objects.values_list("name", "purpose")) == {
            "Document types": "document_types",
            "Languages": "",
        }

        lists = _migrate(BEFORE).get_model("advice_forms", "DropdownList")
        assert set(lists.objects.values_list("name", flat=True)) == {"Document types", "Languages"}
        lists = _migrate(AFTER).get_model("advice_forms", "DropdownList")
        assert lists.objects.get(purpose="document_types").name == "Document types"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
