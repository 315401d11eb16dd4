"""Writes for form definitions: publishing a checked definition and freezing the version a request pins."""

from django.core.exceptions import ValidationError
from django.db import transaction

from advice_forms.blocks import check_sections, rekey_copies
from advice_forms.form_builder import lookups_freeze
from advice_forms.models import FormDefinition, FormDefinitionVersion


@transaction.atomic
def form_definition_publish(*, definition: FormDefinition, user=None) -> FormDefinitionVersion:
    """Check, save a revision, publish it; returns the frozen version (made by `version_freeze` on publish)."""
    rekey_copies(definition.sections, known_keys=definition.known_block_keys())
    check = check_sections(definition.sections, fixed_keys=definition.fixed_keys())
    if not check.ok:
        raise ValidationError(check.messages())
    definition.full_clean()
    revision = definition.save_revision(user=user)
    revision.publish(user=user)
    return FormDefinitionVersion.objects.get(revision=revision)


def version_freeze(*, definition: FormDefinition, revision) -> FormDefinitionVersion:
    """Write the numbered, immutable copy of a just-published revision (called from the `published` signal), with
    the dropdown options, Teams, Types and guidance it uses as they are now."""
    published = revision.as_object()
    last = (
        FormDefinitionVersion.objects.select_for_update()
        .filter(definition=definition)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return FormDefinitionVersion.objects.create(
        definition=definition,
        number=(last or 0) + 1,
        revision=revision,
        title=published.title,
        kind=published.kind,
        version_label=published.version_label,
        description=published.description,
        content=published.sections.get_prep_value() if hasattr(published.sections, "get_prep_value") else [],
        lookups=lookups_freeze(published.sections) if hasattr(published.sections, "get_prep_value") else {},
        published_by=revision.user,
    )
