"""The "Document types" list was found by its name: the migration marks the existing list with its purpose, so it is
found however it is renamed, and going back clears the mark."""

import pytest

from tests.migrations import leaf_nodes, migrate

BEFORE = [("advice_forms", "0026_child_record_keeps_its_coordinator")]
AFTER = [("advice_forms", "0027_document_types_list_found_by_purpose")]


@pytest.mark.django_db(transaction=True)
def test_the_existing_document_types_list_gets_its_purpose_and_loses_it_going_back():
    try:
        lists = migrate(BEFORE).get_model("advice_forms", "DropdownList")
        lists.objects.create(name="Document types")
        lists.objects.create(name="Languages")

        lists = migrate(AFTER).get_model("advice_forms", "DropdownList")
        assert dict(lists.objects.values_list("name", "purpose")) == {
            "Document types": "document_types",
            "Languages": "",
        }

        lists = migrate(BEFORE).get_model("advice_forms", "DropdownList")
        assert set(lists.objects.values_list("name", flat=True)) == {"Document types", "Languages"}
        lists = migrate(AFTER).get_model("advice_forms", "DropdownList")
        assert lists.objects.get(purpose="document_types").name == "Document types"
    finally:
        migrate(leaf_nodes())
