"""Versions published before labels were unique per form keep their questions; a repeated label gets its number."""

import pytest

from advice_forms.models import FormDefinitionVersion, FormKind
from tests.factories.advice_forms import one_section_form
from tests.migrations import leaf_nodes, migrate

BEFORE = [("advice_forms", "0013_choice_questions_label_first")]


@pytest.mark.django_db(transaction=True)
def test_repeated_labels_are_numbered_and_the_first_keeps_its_label():
    first = one_section_form(FormKind.ERSA)
    old = migrate(BEFORE)
    try:
        versions = old.get_model("advice_forms", "FormDefinitionVersion")
        for number in (2, 3):
            versions.objects.create(
                definition_id=first.definition_id,
                number=number,
                title=first.title,
                kind=first.kind,
                version_label=first.version_label,
                content=first.content,
                lookups={},
            )
    finally:
        migrate(leaf_nodes())

    rows = FormDefinitionVersion.objects.filter(definition_id=first.definition_id).order_by("number")
    label = first.version_label
    assert [row.version_label for row in rows] == [label, f"{label} (v2)", f"{label} (v3)"]
    assert all(row.content == first.content for row in rows)
