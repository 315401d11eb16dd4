"""Form definitions (the ERSA, Appendix B, other advice) and the frozen versions that requests pin.

A FormDefinition is a Wagtail snippet with drafts, revisions, locking and preview; its sections and fields
are one StreamField, so each Wagtail Revision holds the whole form as JSON. Publishing also writes a
FormDefinitionVersion: a numbered, immutable copy of that JSON. Advice requests and submissions point at
a FormDefinitionVersion, never at the live definition, so editing or republishing a form cannot change
the questions of a request already shared, nor a submission's answers or PDF (DESIGN.md, "Data lasts").
The copy lives in the version row itself, so purging old revisions cannot break a pinned request; so do the
dropdown options, Team and Type labels and guidance it uses (`lookups`), so a list changed after publishing
changes neither the version's questions nor the words of its submissions.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, Revision, RevisionMixin
from wagtail.search import index
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled

from advice_forms.blocks import CHOICE_TYPES, SectionsBlock, list_offers_nothing, published_keys
from advice_forms.form_builder import FormBuilder
from cms.form_fields import MultiLineTextField, OneLineCharField


class FormKind(models.TextChoices):
    ERSA = "ersa", "ERSA (request for statutory assessment)"
    APPENDIX_B = "appendix_b", "Appendix B (educational advice)"
    OTHER_ADVICE = "other_advice", "Other advice"


class FormDefinition(PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """A form SEND staff write and change without a developer; requests pin one of its published versions."""

    title = OneLineCharField(max_length=255, help_text='e.g. "Request for an EHC needs assessment (ERSA)"')
    # No default: a designer building an ERSA missed the "Other advice" a default put there. Chosen on the add page
    # ("Choose a kind" first, FormDefinitionAdminForm); a definition file names its kind.
    kind = models.CharField(max_length=20, choices=FormKind.choices)
    version_label = OneLineCharField(
        max_length=40,
        help_text='The version name professionals see, e.g. "NOV26". Change it before publishing a new version.',
    )
    description = MultiLineTextField(blank=True, help_text="What the form is for; shown at the top of the form.")
    sections = StreamField(SectionsBlock(), blank=True, help_text="Each section is one step of the form.")

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="form_definition")

    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("kind", required_on_save=True), FieldPanel("version_label")],
            heading="The form",
        ),
        FieldPanel("description"),
        FieldPanel("sections"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("kind")]
    # Turns a definition's sections into Django forms (Wagtail's FormMixin.form_builder pattern).
    form_builder = FormBuilder

    class Meta:
        ordering = ["title"]
        verbose_name = "form definition"

    def __str__(self):
        return f"{self.title} ({self.version_label})" if self.version_label else self.title

    def save(self, *args, **kwargs):
        """Saves the row; a save of fields other than `sections` leaves Wagtail's reference index alone.

        The index (read by the Usage pages of the pages a definition's guidance links to, of the pictures it shows and
        of the dropdown lists it picks, which a designer deleting one of them is shown) records what the stored
        sections link to, and only `sections` links to anything indexed (the revision and lock fields point at models
        Wagtail keeps out of it). Every "Save draft", autosave
        and publish also saves `latest_revision` and `has_unpublished_changes` alone, as do locking and unlocking;
        after each, Wagtail read the whole definition back and walked every block of it to find the same links
        again (a tenth of a second at 250 questions)."""
        update_fields = kwargs.get("update_fields")
        if (
            update_fields is None
            or "sections" in update_fields
            or getattr(reference_index_auto_update_disabled, "value", False)  # Wagtail's switch does not nest
        ):
            return super().save(*args, **kwargs)
        with disable_reference_index_auto_update():
            return super().save(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    # Preview: every step as a professional sees it, and the print layout the PDF will follow.
    preview_modes = [("", "Each step, as the professional sees it"), ("print", "Print layout (as the PDF)")]

    @property
    def default_preview_size(self):
        """The preview opens at desktop width (Wagtail's default is its first size, a phone's): a designer builds a
        form at a desk, and the phone and tablet sizes stay a click away."""
        return "desktop"

    def get_preview_template(self, request, mode_name):
        if mode_name == "print":
            return "advice_forms/preview/print.html"
        return "advice_forms/preview/steps.html"

    def get_preview_context(self, request, mode_name):
        return preview_context(self.form_builder.from_definition(self), request=request, obj=self)

    def publish(self, revision, *args, **kwargs):
        """Wagtail's publish (every path: the admin's, a service's, a revision's own, a scheduled one) in one
        transaction, so that a version `version_freeze` refuses (signals.py) leaves nothing published either."""
        with transaction.atomic():
            return super().publish(revision, *args, **kwargs)

    def block_keys(self, *, known=True):
        """(fixed, known): {block id: key} from every published version, whose keys can no longer change; and, unless
        known=False, the same with the last saved draft's and the stored row's blocks added, the blocks that are not
        copies (see `rekey_copies`), else None. Read from the database, so it ignores the sections being edited.

        The published versions are read once for both: each holds the whole form, so a form published twenty times
        read twenty copies of it twice on every save and publish."""
        if not self.pk:
            return {}, ({} if known else None)
        contents = list(self.versions.order_by("number").values_list("content", flat=True))
        fixed = published_keys(contents)
        if not known:
            return fixed, None
        draft = Revision.objects.filter(pk=self.latest_revision_id).values_list("content", flat=True).first()
        if draft and draft.get("sections"):
            sections = draft["sections"]
            contents.append(json.loads(sections) if isinstance(sections, str) else sections)
        stored = type(self).objects.filter(pk=self.pk).values_list("sections", flat=True).first()
        if stored is not None:
            contents.append(stored.get_prep_value())
        return fixed, published_keys(contents)

    def version_label_taken(self, label):
        """The published version that already has `label` (case and spaces ignored), or None."""
        if not self.pk:
            return None
        return self.versions.filter(version_label__iexact=(label or "").strip()).order_by("number").first()

    def latest_version(self):
        return self.versions.order_by("-number").first()


def preview_context(builder, *, request, obj):
    """Context for the preview templates: each section's empty form, and the print layout of blank answers."""
    steps = [
        {
            "section": section,
            "form": builder.form_class_for(section.key)(answers={}, show_all=True),
            "empty_choices": _empty_choices(builder, section),
        }
        for section in builder.sections()
    ]
    return {
        "object": obj,
        "request": request,
        "builder": builder,
        "steps": steps,
        "summary": builder.summary({}, show_all=True),
    }


def _empty_choices(builder, section):
    """The words the preview says of each choice question of `section` that offers nothing to choose (its dropdown list
    offers no option, by ``list_offers_nothing``; or it has no options of its own): professionals would see its label
    and nothing under it."""
    notes = []
    for spec in section.fields:
        if spec.type not in CHOICE_TYPES:
            continue
        dropdown = spec.options.get("dropdown_list")
        if dropdown is not None:
            why = list_offers_nothing(dropdown.name, builder.dropdown_options(dropdown))
        else:
            why = "" if spec.options.get("options") else "it has no options"
        if why:
            notes.append(f"“{spec.label}” offers nothing to choose: {why}. Add some before publishing.")
    return notes


class FrozenVersionError(Exception):
    """Raised when code tries to change or delete a published version."""


class UnkeyedVersionError(Exception):
    """Raised when a revision with a section or question without a key would be frozen as a published version."""


class FormDefinitionVersion(models.Model):
    """One published version of a form definition, frozen: what a request pins and a submission was made against.

    Requests and submissions point at it with `on_delete=PROTECT`, so a version in use cannot be deleted.
    """

    definition = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=FormKind.choices)
    version_label = models.CharField(max_length=40)
    description = models.TextField(blank=True)
    content = models.JSONField(help_text="The sections and fields exactly as published (StreamField JSON).")
    lookups = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the questions read from elsewhere, as it was at publish: dropdown options, Teams, Types and "
        "guidance (form_builder.lookups_freeze).",
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="unique_form_version_number"),
            # Professionals and PDFs tell versions apart by their label: two "NOV26"s of one form would be ambiguous.
            models.UniqueConstraint(
                fields=["definition", "version_label"],
                name="unique_form_version_label",
                violation_error_message="This form already has a published version with this label.",
            ),
        ]
        verbose_name = "published form version"

    def __str__(self):
        return f"{self.title}, version {self.version_label} (v{self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenVersionError("A published form version never changes; publish a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenVersionError("A published form version is kept for the requests and submissions made on it.")

    @property
    def title_with_label(self) -> str:
        """ "Educational advice (Appendix B) (NOV26)": the form's full title and its version label, as the receipt,
        the review queue and a filed PDF's name among the child's documents all name it."""
        return f"{self.title} ({self.version_label})"

    @cached_property
    def sections(self):
        """The frozen sections as a StreamValue, built from this row alone (not the live definition)."""
        return FormDefinition._meta.get_field("sections").stream_block.to_python(self.content)

    def request_count(self):
        """How many advice requests pin this version."""
        return self.advice_requests.count()
