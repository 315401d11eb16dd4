"""Writes for form definitions: publishing a checked definition and freezing the version a request pins; adding a
pasted list of options to a dropdown list."""

from django.core.exceptions import ValidationError
from django.db import transaction

from advice_forms.blocks import check_sections, rekey_copies, unkeyed_blocks
from advice_forms.events import CaseworkEvent
from advice_forms.form_builder import lookups_freeze
from advice_forms.message_check import clashes_refusal, message_clashes
from advice_forms.models import DropdownList, DropdownOption, FormDefinition, FormDefinitionVersion, UnkeyedVersionError
from advice_forms.models.taxonomies import option_value_from_label
from advice_forms.quick_add import quick_add_apply
from cms.services import audit_record


@transaction.atomic
def form_definition_publish(*, definition: FormDefinition, user=None) -> FormDefinitionVersion:
    """Check (as the admin does, two questions of a page with one "not answered" message included), save a revision,
    publish it; returns the frozen version (made by `version_freeze` on publish)."""
    fixed_keys, known_keys = definition.block_keys()
    rekey_copies(definition.sections, known_keys=known_keys)
    quick_add_apply(definition.sections)
    check = check_sections(definition.sections, fixed_keys=fixed_keys, publishing=True)
    if not check.ok:
        raise ValidationError(check.messages())
    clashes = message_clashes(definition, definition.sections)
    if clashes:
        raise ValidationError(clashes_refusal(clashes))
    taken = definition.version_label_taken(definition.version_label)
    if taken:
        raise ValidationError({"version_label": [version_label_taken_message(taken)]})
    definition.full_clean()
    revision = definition.save_revision(user=user, clean=False)  # cleaned just above: not the whole form twice
    revision.publish(user=user)
    return FormDefinitionVersion.objects.get(revision=revision)


def version_label_taken_message(version):
    return (
        f"Version {version.number} of this form is already called “{version.version_label}”: "
        "give this version a new label before publishing it, e.g. the month and year"
    )


def namesake_warning(namesake) -> str:
    """What a designer reads on importing or publishing a form named and labelled as another published one is."""
    return (
        f"Another published form is also called “{namesake.title}”, version {namesake.version_label}. "
        "Caseworkers sharing a form will find the two hard to tell apart: unpublish the one no longer wanted, or "
        "give this form a new version label."
    )


def version_freeze(*, definition: FormDefinition, revision) -> FormDefinitionVersion:
    """Write the numbered, immutable copy of a just-published revision (called from the `published` signal), with
    the dropdown options, Teams, Types and guidance it uses as they are now; audited here, as every publish (the
    admin's, a service's, an import's, a scheduled one) passes this way.

    `definition` is the object the signal sends: Wagtail's publish made it from `revision` and has just saved it as
    the live definition, so it holds the revision's content (built again from the revision, it cost two queries and
    a second reading of the whole form)."""
    published = definition
    content = published.sections.get_prep_value() if hasattr(published.sections, "get_prep_value") else []
    unkeyed = unkeyed_blocks(content)
    if unkeyed:
        # Every publish checks keys first (check_sections, publishing): reaching here is a bug, and the publish rolls
        # back (FormDefinition.publish is one transaction) rather than freeze a version whose answers would be stored
        # under "".
        raise UnkeyedVersionError(
            f"Form definition {definition.pk} was not published: a published version needs a key on every section "
            f"and question, and these have none: {'; '.join(unkeyed)}"
        )
    # The definition's row is locked, not its versions: a first publish has none to lock, and two at once both took
    # number 1 (one then failed on the unique constraint with a server error). The second now waits and takes 2.
    FormDefinition.objects.select_for_update().filter(pk=definition.pk).values_list("pk", flat=True).first()
    last = (
        FormDefinitionVersion.objects.filter(definition=definition)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    version = FormDefinitionVersion.objects.create(
        definition=definition,
        number=(last or 0) + 1,
        revision=revision,
        title=published.title,
        kind=published.kind,
        version_label=published.version_label,
        description=published.description,
        content=content,
        lookups=lookups_freeze(published.sections) if hasattr(published.sections, "get_prep_value") else {},
        published_by=revision.user,
    )
    # The version label is the designer's name for the version ("NOV22"), never words about a child.
    audit_record(
        action=CaseworkEvent.FORM_DEFINITION_PUBLISHED,
        actor=revision.user,
        target=definition,
        data={"form_version": version.pk, "number": version.number, "version_label": version.version_label},
    )
    return version


def _same_label(label):
    return " ".join(label.split()).casefold()


@transaction.atomic
def dropdown_options_paste(*, dropdown_list: DropdownList, labels: list[str]) -> tuple[list[str], list[str]]:
    """Add an option for each label, after the list's last one; returns (added, skipped).

    A label already in the list (or earlier in `labels`), ignoring case and spaces, is skipped. Each value is made
    from its label and kept unique in the list (values are stored with answers, see DropdownOption).
    """
    options = list(dropdown_list.options.all())
    labels_in_list = {_same_label(option.label) for option in options}
    values = {option.value for option in options}
    order = max((option.sort_order or 0 for option in options), default=-1) + 1
    added, skipped = [], []
    for label in labels:
        if _same_label(label) in labels_in_list:
            skipped.append(label)
            continue
        base = option_value_from_label(label, order + 1, values)[:90]
        value, n = base, 2
        while value in values:
            value, n = f"{base}_{n}", n + 1
        DropdownOption.objects.create(dropdown_list=dropdown_list, label=label, value=value, sort_order=order)
        labels_in_list.add(_same_label(label))
        values.add(value)
        added.append(label)
        order += 1
    return added, skipped
