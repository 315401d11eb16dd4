"""Writes for form definition files: importing one (advice_forms/definition_format.py reads and checks it) and
exporting one, both audited.

An import runs in one transaction and creates nothing unless everything is sound: the file's shape, its dropdown
lists, pictures and Team and Type terms, the checks of a save in the admin (each block's own and `check_sections`;
to publish, `message_clashes` too). A draft's import lists what a publish would still refuse (`publish_problems`),
as the admin does after a save; a refused draft's too, apart from what refuses the import.
A dry run (the admin's preview) goes through the same steps and rolls back, so what it reports is what a real
import would create.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import get_resolver
from wagtail.images import get_image_model
from wagtail.log_actions import log

from advice_forms.blocks import check_sections
from advice_forms.definition_format import (
    FileRefused,
    definition_document,
    document_dumps,
    document_read,
    error_messages,
    path_order,
    sections_block,
    top_place,
)
from advice_forms.events import CaseworkEvent
from advice_forms.message_check import clash_errors, message_clashes, publish_problems
from advice_forms.models import DropdownList, DropdownOption, FormDefinition, NeedType, Team
from advice_forms.selectors import published_namesake
from advice_forms.services.definitions import form_definition_publish, namesake_warning
from cms.services import audit_record


class Lookups(models.TextChoices):
    """How an import treats the dropdown lists and Team and Type terms a file names."""

    MATCH = "match", "Use only the lists and terms this portal has (by name and code); refuse a file naming others"
    CREATE = "create", "Use the lists and terms this portal has, and create those that are missing"


@dataclass
class ImportSummary:
    """What an import created or would create, for the preview and the command's output."""

    title: str = ""
    definition: FormDefinition | None = None
    sections: list = field(default_factory=list)  # [(title, number of questions)]
    lists_matched: list = field(default_factory=list)
    lists_created: list = field(default_factory=list)
    lists_differing: list = field(default_factory=list)  # matched, but their options differ from the file's
    terms_matched: list = field(default_factory=list)  # "Team SLT"
    terms_created: list = field(default_factory=list)
    published: bool = False
    namesake_warning: str = ""  # another published form has this title and version label
    publish_problems: list = field(default_factory=list)  # what a publish of the draft would refuse, in words

    @property
    def question_count(self):
        return sum(count for _title, count in self.sections)


class _DryRun(Exception):
    pass


def form_definition_export(*, definition: FormDefinition, user=None, request=None) -> str:
    """The definition as the editor holds it (its latest revision), as the file's text; audited."""
    latest = definition.get_latest_revision_as_object() if definition.pk else definition
    text = document_dumps(definition_document(latest))
    if user is not None:
        audit_record(action=CaseworkEvent.FORM_DEFINITION_EXPORTED, actor=user, target=definition, request=request)
    return text


def form_definition_import(
    *, raw: bytes | str, lookups: Lookups = Lookups.MATCH, user=None, publish=False, dry_run=False, request=None
) -> ImportSummary:
    """Create a form definition from a file (a draft, or published with `publish`); raises FileRefused naming every
    problem and its place, having created nothing."""
    reading = document_read(raw)
    summary = ImportSummary(title=reading.title)
    namesake = published_namesake(title=reading.title, version_label=reading.version_label)
    summary.namesake_warning = namesake_warning(namesake) if namesake else ""
    try:
        with transaction.atomic():
            _import(reading, Lookups(lookups), summary, user=user, publish=publish, request=request)
            if dry_run:
                raise _DryRun
    except _DryRun:
        summary.definition = None
    return summary


def _import(reading, lookups, summary, *, user, publish, request):
    # Every problem is gathered before refusing, so one try shows them all: the file's shape, its lists, pictures and
    # terms, each block's checks, the form's (check_sections) and the definition's own fields. A list the file
    # describes but may not create is made all the same for the form's checks (a condition on its options); the
    # refusal rolls it back.
    problems = list(reading.problems)
    creatable = []  # the problems `Lookups.CREATE` would mend: lists and terms the file describes and this portal lacks
    list_ids, unresolved = _lists(reading, lookups, summary, problems, creatable)
    image_ids = _images(reading, problems)
    _terms(reading, lookups, summary, problems, creatable)
    sections_json = [_resolve(section, list_ids, image_ids) for section in reading.sections]
    stream_block = sections_block()
    sections = stream_block.to_python(sections_json)
    # A block's checks build its admin widget; a dropdown list's needs the snippet screens, which Wagtail registers
    # as it loads the admin's URLs (already loaded in a web process, not yet in a management command).
    get_resolver().url_patterns  # noqa: B018
    found = []
    try:
        # A draft is checked as the admin saves one, what only a publish needs left out (a section's title, a table's
        # columns): a draft exported with an untitled section imports again.
        stream_block.clean(sections) if publish else stream_block.clean_deferred(sections)
    except ValidationError as error:
        found += error_messages(error, sections_json)
    check = check_sections(sections, publishing=publish)
    if not check.ok:
        found += error_messages(check.error(), sections_json)
    definition = FormDefinition(
        title=reading.title,
        kind=reading.kind,
        version_label=reading.version_label,
        description=reading.description,
        sections=sections,
        live=False,
    )
    if publish and (clashes := _clashes(definition, sections, check)):
        found += error_messages(clash_errors(clashes).error(), sections_json)
    elif not publish and not reading.voided:
        # A draft imports with what only a publish refuses, listed as the admin lists it after a save, in the file's
        # order; a refused file lists it too, with what refuses the import, so that one round finds both. Not where
        # the reading left a value out: a section would read as empty.
        at_publish = [
            (path_order(["sections", *p.place]), p.words)
            for p in publish_problems(definition, sections, check, clashes=_clashes(definition, sections, check))
        ]
        try:
            stream_block.clean(sections)  # what a publish asks of each block (a section's title, a table's columns)
        except ValidationError as error:
            said = {message for _order, message in found}
            at_publish += [
                (order, message)
                for order, message in reading.news(error_messages(error, sections_json), also=unresolved)
                if message not in said
            ]
        summary.publish_problems = [message for _order, message in sorted(at_publish, key=lambda item: item[0])]
    try:
        definition.full_clean(exclude=["sections"])  # checked above, place by place
    except ValidationError as error:
        found += [
            (top_place(name).order, f"{name}: {message}")
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    # A question whose list is unknown has no options here: its own "add an option" is not news.
    problems += reading.news(found, also=unresolved)
    if problems:
        # In the order of their places in the file (the sort keeps the order of those at one place), each once.
        ordered = sorted(problems, key=lambda problem: problem[0])
        messages = list(dict.fromkeys(message for _order, message in ordered))
        raise FileRefused(
            messages,
            only_missing_lookups=set(messages) <= set(creatable),
            at_publish=[message for message in summary.publish_problems if message not in messages],
        )
    definition.save()
    if publish:
        form_definition_publish(definition=definition, user=user)
        summary.published = True
    else:
        revision = definition.save_revision(user=user)
        log(instance=definition, action="wagtail.create", user=user, revision=revision, content_changed=True)
    audit_record(action=CaseworkEvent.FORM_DEFINITION_IMPORTED, actor=user, target=definition, request=request)
    summary.definition = definition
    summary.sections = [
        (child.value.get("title"), sum(1 for field in child.value["fields"] if field.block_type != "guidance"))
        for child in sections
    ]


def _clashes(definition, sections, check):
    """The sections' `message_clashes`, once their keys are settled: beside a refused link in the guidance too (to a
    page whose id is no number, drawn as a page that is gone), so that one round finds both."""
    return message_clashes(definition, sections) if check.ok else []


def _lists(reading, lookups, summary, problems, creatable):
    """{name: id} for every list the questions name: matched by name, or created (with the file's options); and the
    places of the questions whose list is not known at all. A list the file describes but may not create is a problem
    that `creatable` holds too."""
    ids, unresolved = {}, []
    found = DropdownList.objects.filter(name__in=list(reading.list_uses)).prefetch_related("options")
    existing = {dropdown.name: dropdown for dropdown in found}
    for name, uses in reading.list_uses.items():
        if name in existing:
            dropdown = existing[name]
            summary.lists_matched.append(name)
            in_file = reading.dropdown_lists.get(name, {"options": []})
            file_options = [(o["value"], o["label"]) for o in in_file["options"]]
            if file_options != [(o.value, o.label) for o in dropdown.options.all()]:
                summary.lists_differing.append(name)
            ids[name] = dropdown.pk
        elif name in reading.dropdown_lists:
            ids[name] = _list_create(name, reading.dropdown_lists[name]).pk
            if lookups == Lookups.CREATE:
                summary.lists_created.append(name)
            else:
                missing = [(place.order, f"{place}: unknown dropdown list “{name}”") for place in uses]
                problems.extend(missing)
                creatable.extend(message for _order, message in missing)
        else:
            problems.extend(
                (place.order, f"{place}: unknown dropdown list “{name}” (and the file does not describe it)")
                for place in uses
            )
            unresolved.extend(str(place) for place in uses)
    return ids, unresolved


def _list_create(name, data):
    dropdown = DropdownList.objects.create(name=name, description=data["description"])
    # In one query: an option's own save only fills in a value, which the reading has done (one insert an option took
    # 7 s for a file's 10,000).
    DropdownOption.objects.bulk_create(
        DropdownOption(
            dropdown_list=dropdown,
            label=option["label"],
            value=option["value"],
            retired=option["retired"],
            sort_order=order,
        )
        for order, option in enumerate(data["options"])
    )
    return dropdown


def _images(reading, problems):
    ids = {}
    Image = get_image_model()
    for title, places in reading.images.items():
        image = Image.objects.filter(title=title).order_by("pk").first()
        if image is None:
            problems.extend(
                (place.order, f"{place}: unknown picture “{title}”; upload it to the images first") for place in places
            )
        else:
            ids[title] = image.pk
    return ids


def _terms(reading, lookups, summary, problems, creatable):
    for model, terms, label, entry in (
        (Team, reading.teams, "Team", "teams"),
        (NeedType, reading.types, "Type", "types"),
    ):
        order = top_place(entry).order
        existing = set(model.objects.filter(code__in=[t["code"] for t in terms]).values_list("code", flat=True))
        for term in terms:
            if term["code"] in existing:
                summary.terms_matched.append(f"{label} {term['code']}")
            elif lookups == Lookups.CREATE:
                # A term created here is seen by the next one's check: two of the file's own are refused too.
                taken = model.name_taken(term["name"])
                if taken:
                    problems.append((order, f"{label} “{term['code']}”: {taken}"))
                    continue
                # Saved as the admin's form saves it, its spaces squashed: the name the check above compared.
                model.objects.create(**{**term, "name": " ".join(term["name"].split())})
                summary.terms_created.append(f"{label} {term['code']}")
            else:
                missing = f"{label} “{term['code']}”: unknown {label} term"
                problems.append((order, missing))
                creatable.append(missing)


def _resolve(value, list_ids, image_ids):
    """The file's names of lists and pictures, in the StreamField JSON, replaced by their ids."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name == "dropdown_list" and isinstance(item, str):
                out[name] = list_ids.get(item)
            elif name == "image" and isinstance(item, str):
                out[name] = image_ids.get(item)
            else:
                out[name] = _resolve(item, list_ids, image_ids)
        return out
    if isinstance(value, list):
        return [_resolve(item, list_ids, image_ids) for item in value]
    return value
