"""Admin forms for the advice-forms snippets: where a form designer's mistakes are caught, beside the mistake."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import Media
from django.forms.widgets import Script
from django.urls import reverse
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel

from advice_forms.blocks import check_sections, rekey_copies
from advice_forms.message_check import (
    clash_errors,
    merged_block_errors,
    message_clashes,
    placed_problems,
    publish_problems,
    refused_blocks_problems,
)
from advice_forms.models.definitions import FormKind
from advice_forms.models.taxonomies import DOCUMENT_TYPES_PURPOSE, DropdownList, DropdownOption, option_value_from_label
from advice_forms.quick_add import quick_add_apply
from advice_forms.selectors import dropdown_list_in_published_use
from advice_forms.services.definitions import version_label_taken_message
from cms.form_fields import one_line


class FormDefinitionAdminForm(WagtailAdminModelForm):
    """Fills in keys (fresh ones for a duplicated section or question, see `rekey_copies`), adds the questions typed
    in each section's quick-add box, and refuses a definition with duplicate keys, bad conditions, empty choices,
    settings out of order (an earliest date after the latest) or a quick-add line it cannot read. Publishing also
    refuses an empty form or section, a picked dropdown list with nothing to choose, and two questions of a page that
    would say the same message when not answered (`message_clashes`); a draft is saved with them, listed in
    `publish_problems` for the view to say, and a draft refused for its own problems shows them beside their places
    too. A refusal of the sections leaves its problems (PublishProblem, each linking to its place) in
    `section_problems`, for the view's list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What to do, not Django's "This field is required." (said beside the field and in the page's message).
        self.fields["title"].error_messages["required"] = "Enter the form's title"
        self.fields["version_label"].error_messages["required"] = "Enter a version label, for example “NOV26”"
        # A required choice with nothing chosen for a new form: "Choose a kind" first, not Django's "---------".
        kind = self.fields["kind"]
        kind.choices = [("", "Choose a kind"), *FormKind.choices]
        kind.error_messages["required"] = "Choose what kind of advice this form asks for"

    @property
    def media(self):
        # A save over the server's field limit is refused in the page, before it is sent (cms/field_limits.py).
        limit = Script("cms/field_limit.js", **{"data-max-fields": str(settings.PORTAL_LARGE_FORM_MAX_FIELDS)})
        # Conditions are picked from the earlier questions and their answers, not typed as keys.
        options_url = reverse("wagtailsnippets_advice_forms_formdefinition:condition_options")
        picker = Script("advice_forms/condition_picker.js", **{"data-options-url": options_url})
        # The right-hand overview lists the sections and questions, not each question's condition and options.
        return super().media + Media(js=[limit, picker, "advice_forms/overview.js"])

    def clean_version_label(self):
        """Publishing refuses a label an earlier version of this form already has (a draft may keep it meanwhile)."""
        label = self.cleaned_data["version_label"].strip()
        if "action-publish" in self.data:
            taken = self.instance.version_label_taken(label)
            if taken:
                raise ValidationError(version_label_taken_message(taken))
        return label

    def clean_sections(self):
        sections = self.cleaned_data["sections"]
        self.rekeyed, self.quick_added = [], 0
        autosaving = getattr(self, "autosaving", False)
        fixed_keys, known_keys = self.instance.block_keys(known=not autosaving)
        if not autosaving:
            # Wagtail's autosave answers with JSON and leaves the editor as it is: keys given to a copy, or questions
            # made from a quick-add box, would be saved but missing from the page, so the designer's next save would
            # clash with the copy's now-saved ids, or add the questions twice. Only the designer's own save makes them.
            self.rekeyed = rekey_copies(sections, known_keys=known_keys)
            # Each section's "Add questions, one a line" box becomes questions; a line it cannot read refuses the save.
            try:
                self.quick_added = quick_add_apply(sections)
            except ValidationError:
                self.quick_add_refused = True  # the edit view says so in its own words (PublishRefusedMixin)
                raise
        check = self._check(sections, fixed_keys)
        # Every kind of problem in one go: a draft refused for its own problems shows what only a publish refuses
        # beside its place too, so a designer does not find them in rounds, save after save.
        clashes = message_clashes(self.instance, sections) if check.ok and not autosaving else []
        if not check.ok:
            found = check.merged(check.at_publish)
            self.section_problems = placed_problems(sections, found)
            raise found.error()
        # Wagtail defers validation when saving a draft (an autosave too): the designer's work is kept, and told.
        self.message_clashes = clashes
        self.publish_problems = [] if autosaving else publish_problems(self.instance, sections, check, clashes=clashes)
        if self.message_clashes and not self.is_deferred_validation:
            self.section_problems = self.publish_problems  # a publish's check leaves only the clashes to list
            raise clash_errors(self.message_clashes).error()
        return sections

    def _check(self, sections, fixed_keys):
        """The form's own checks of the sections, against the last save (the latest draft when editing: a question a
        condition uses cannot be renamed or removed); a draft may pick a list still to be filled in (Wagtail defers
        validation when saving one), publishing may not."""
        saved = self.instance.sections.get_prep_value() if self.instance.pk else None
        return check_sections(sections, fixed_keys=fixed_keys, saved=saved, publishing=not self.is_deferred_validation)

    def clean(self):
        cleaned_data = super().clean()
        if "sections" in self._errors and "sections" not in cleaned_data and not hasattr(self, "section_problems"):
            self._check_refused_blocks()
        return cleaned_data

    def _check_refused_blocks(self):
        """Wagtail's own check of each block (a blank label, a blank option) refused the sections, so
        `clean_sections` did not run: the form's checks run on what was posted all the same, their problems shown
        beside their places with the blocks' own, and all of them listed, each linking to its box. Otherwise a blank
        label hid a key used twice until it was filled in, and the list said only "A section has a problem"."""
        sections = self.fields["sections"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("sections")
        )
        autosaving = getattr(self, "autosaving", False)
        fixed_keys, known_keys = self.instance.block_keys(known=not autosaving)
        if not autosaving:
            rekey_copies(sections, known_keys=known_keys)  # a copy's keys are not reported as used twice
        check = self._check(sections, fixed_keys)
        found = check.merged(check.at_publish)
        refused = self._errors["sections"].as_data()[0]
        self.section_problems = refused_blocks_problems(sections, refused, found)
        if not found.ok:
            self._errors["sections"] = self.error_class([merged_block_errors(refused, found.error())])


class TaxonomyTermAdminForm(WagtailAdminModelForm):
    """A term's code is stored with answers, so it cannot change once saved; its name is what parents and
    professionals pick and read (neither a Team nor a Type shows its code), so two terms of one list cannot share it."""

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if self.instance.pk and code != self.instance.code:
            raise ValidationError(f"The code cannot change once saved; it is still “{self.instance.code}”")
        return code

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = type(self.instance).name_taken(name, exclude_pk=self.instance.pk)
        if taken:
            raise ValidationError(taken)
        return name


class DropdownOptionFormSet(BaseChildFormSet):
    """Fills in option values, refuses two options with one value, and keeps options published forms use.

    Values are filled in before modelcluster's own unique check, which would otherwise see several new options
    with blank values as duplicates ("Please correct the duplicate data...")."""

    def clean(self):
        self._check_options()
        if not any(form.errors for form in self.forms):
            super().clean()

    def _check_options(self):
        seen = set()
        removed = []
        live = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and not self._should_delete_form(form) and form.cleaned_data.get("label")
        ]
        # The values typed are reserved first, so a value made from an option's place never takes one typed later.
        typed = {(form.cleaned_data.get("value") or "").strip() for form in live} - {""}
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if self._should_delete_form(form):
                if form.instance.pk:
                    removed.append(form.instance.label)
                continue
            if not form.cleaned_data.get("label"):
                continue
            value = (form.cleaned_data.get("value") or "").strip() or option_value_from_label(
                form.cleaned_data["label"], live.index(form) + 1, typed | seen
            )
            if self.instance.pk and form.instance.pk:
                original = (
                    type(form.instance).objects.filter(pk=form.instance.pk).values_list("value", flat=True).first()
                )
                if original and value != original and dropdown_list_in_published_use(self.instance):
                    form.add_error("value", f"Published forms use this list: the value must stay “{original}”")
                    continue
            form.cleaned_data["value"] = value
            form.instance.value = value
            if value in seen:
                form.add_error("value", f"Another option already has the value “{value}”; each value must be unique")
            seen.add(value)
        if removed and self.instance.pk and dropdown_list_in_published_use(self.instance):
            raise ValidationError(
                "Published forms use this list, so its options cannot be removed: tick “retired” instead "
                f"({', '.join(removed)})"
            )


PASTE_HELP = (
    "One option a line, e.g. a list copied from a spreadsheet. Saving adds each line as an option, its value made "
    "from its words; blank lines and options already in the list are skipped."
)


class DropdownListAdminForm(WagtailAdminModelForm):
    """A dropdown list with a "paste a list" box: many options at once, added on save (`dropdown_options_paste`)."""

    paste_options = forms.CharField(
        required=False,
        label="Paste a list",
        help_text=PASTE_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    document_types = forms.BooleanField(
        required=False,
        label="Use this list for document types",
        help_text="No list gives the types a professional chooses from when they upload a document, so uploads are "
        "refused. Tick this to make this list that one: its options become the document types. It can be renamed "
        "later but not deleted.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered, on a new list or an existing one (say one imported with a definition), only while there is no
        # list of document types: a list's name never makes it one. A tick posted after another list became it
        # (since the page was drawn) is answered beside the box, not dropped.
        ticked = self.is_bound and self.add_prefix("document_types") in self.data
        if self.instance.purpose == DOCUMENT_TYPES_PURPOSE or (not ticked and self._document_types_taken()):
            del self.fields["document_types"]

    def _document_types_taken(self):
        """Whether another list than this one is the list of document types."""
        return DropdownList.objects.filter(purpose=DOCUMENT_TYPES_PURPOSE).exclude(pk=self.instance.pk).exists()

    def clean_document_types(self):
        """Refused beside the box when another list became the document types since this page was drawn (two
        designers setting up at once)."""
        ticked = self.cleaned_data["document_types"]
        if ticked and self._document_types_taken():
            raise self.document_types_refusal()
        return ticked

    def document_types_refusal(self):
        """The error to show beside the box when another list is now the list of document types. The box's help,
        drawn again with it, no longer says that no list gives the types: it names the one that does."""
        taken = DropdownList.objects.filter(purpose=DOCUMENT_TYPES_PURPOSE).exclude(pk=self.instance.pk).first()
        help_text = f"Only one list gives the document types, and it is now “{taken.name}”." if taken else ""
        # The bound field, made while cleaning, keeps its own copy of the help: the panel draws that one.
        self.fields["document_types"].help_text = self["document_types"].help_text = help_text
        return ValidationError(
            "Another list has just become the list of document types. Untick this box to save this list"
        )

    def document_types_lost_race(self):
        """Whether a save that failed the database's one-list-per-purpose rule did so because this list was ticked
        while another became the document types between `clean` and the save (see `DocumentTypesRaceMixin`). If so,
        the list is put back as it was before the save, the refusal beside the box, for the page to be drawn again."""
        if not (self.cleaned_data.get("document_types") and self._document_types_taken()):
            return False
        self.instance.purpose = self._purpose_before_save
        if self.instance._state.adding:
            self.instance.pk = None
        self.add_error("document_types", self.document_types_refusal())
        return True

    def save(self, commit=True):
        self._purpose_before_save = self.instance.purpose
        if self.cleaned_data.get("document_types"):
            self.instance.purpose = DOCUMENT_TYPES_PURPOSE
        return super().save(commit=commit)

    def clean_paste_options(self):
        """The pasted labels, one a line, without blank lines; a line too long for a label is refused."""
        labels = []
        limit = DropdownOption._meta.get_field("label").max_length
        for number, line in enumerate((self.cleaned_data.get("paste_options") or "").splitlines(), start=1):
            label = " ".join(line.split())
            if len(label) > limit:
                raise ValidationError(f"Line {number} is longer than {limit} characters: shorten it")
            try:
                one_line(label)  # a control character the line's spaces did not take with them
            except ValidationError:
                raise ValidationError(
                    f"Line {number} has a character in it that cannot be seen: type it again"
                ) from None
            if label:
                labels.append(label)
        return labels


class DropdownOptionsPanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = DropdownOptionFormSet
        return options
