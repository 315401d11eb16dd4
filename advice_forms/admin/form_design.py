"""The form designers' screens of the "Advice forms" admin menu: form definitions (with their published versions),
dropdown lists, Teams and Types. Registered by advice_forms/wagtail_hooks.py."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.views.generic import TemplateView
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from advice_forms.admin.definition_files import DefinitionFilesViewSet, DownloadButtonMixin
from advice_forms.admin.forms import (
    DropdownListAdminForm,
    DropdownOptionsPanel,
    FormDefinitionAdminForm,
    TaxonomyTermAdminForm,
)
from advice_forms.blocks import list_offers_nothing
from advice_forms.form_builder import FormBuilder
from advice_forms.message_check import PublishProblem, publish_problems_html
from advice_forms.models import DropdownList, FormDefinition, FormDefinitionVersion, NeedType, Team
from advice_forms.models.definitions import preview_context
from advice_forms.selectors import dropdown_options_by_list, published_namesake, versions_with_request_counts
from advice_forms.services.definitions import dropdown_options_paste, namesake_warning
from advice_forms.version_changes import version_changes
from cms.admin_views import UnchangedSaveMixin
from cms.permissions import ForbiddenWithoutPermissionMixin


class VersionsPanel(Panel):
    """The published versions of a definition and how many requests pin each."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "advice_forms/admin/versions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["versions"] = versions_with_request_counts(instance) if instance and instance.pk else []
            return context


class FormDesignChooserViewSet(ForbiddenWithoutPermissionMixin, SnippetChooserViewSet):
    """The chooser of a form-design snippet (picking a dropdown list in a form definition): 403 to staff without
    a permission on the model, as its other screens are. No casework screen picks these through a chooser."""

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(self.model)


class FormDesignViewSet(ForbiddenWithoutPermissionMixin, SnippetViewSet):
    """A form-design snippet's screens, and its chooser, refused (403) to staff without a permission on it."""

    chooser_viewset_class = FormDesignChooserViewSet
    create_template_name = "advice_forms/admin/snippet_create.html"
    edit_template_name = "advice_forms/admin/snippet_edit.html"


class TaxonomyTermEditView(UnchangedSaveMixin, snippet_views.EditView):
    pass


class TaxonomyTermViewSet(FormDesignViewSet):
    """Teams and Types: the same columns, filter, order and edit form."""

    edit_view_class = TaxonomyTermEditView
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    ordering = ["sort_order", "code"]
    edit_handler = ObjectList(
        [FieldPanel("code"), FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")],
        base_form_class=TaxonomyTermAdminForm,
    )


class TeamViewSet(TaxonomyTermViewSet):
    model = Team
    icon = "group"
    menu_label = "Teams"


class NeedTypeViewSet(TaxonomyTermViewSet):
    model = NeedType
    icon = "tag"
    menu_label = "Types"


class PastedOptionsMixin:
    """After a dropdown list is saved, adds the options pasted into its "Paste a list" box and says what it did."""

    def save_instance(self):
        instance = super().save_instance()
        labels = self.form.cleaned_data.get("paste_options") or []
        if labels:
            added, skipped = dropdown_options_paste(dropdown_list=instance, labels=labels)
            if added:
                messages.success(self.request, f"Added {_count(added, 'option')}: {', '.join(added)}")
            if skipped:
                messages.warning(
                    self.request,
                    f"Skipped {_count(skipped, 'line')} already in the list: {', '.join(skipped)}",
                )
        # Saved all the same (a list may be made before its options are known, or by an import), and told: a question
        # using it shows its label with nothing under it, and a form using it cannot be published.
        if why := list_offers_nothing(instance.name, instance.options.values_list("value", "label", "retired")):
            messages.warning(
                self.request,
                f"Saved, but it offers nothing to choose: {why}. A question using it cannot be answered, and a form "
                "using it cannot be published. Add an option, or paste a list.",
            )
        return instance


def _count(items, noun):
    return f"1 {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


class DocumentTypesRaceMixin:
    """Two designers ticking "Use this list for document types" in the same instant both pass the form's check; the
    database's rule (one list per purpose) then refuses the second save. Its page answers beside the box, as the
    form's own check does, instead of an error page. Wagtail saves inside `transaction.atomic`, so nothing of the
    refused save is kept."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            if not form.document_types_lost_race():
                raise
            # As Wagtail's `is_valid` says a refusal (the page's message, or an autosave's JSON).
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class DropdownListCreateView(DocumentTypesRaceMixin, PastedOptionsMixin, snippet_views.CreateView):
    pass


class DropdownListEditView(UnchangedSaveMixin, DocumentTypesRaceMixin, PastedOptionsMixin, snippet_views.EditView):
    pass


# A list the portal itself reads nothing from, in the words of its edit page and of the lists' index.
NO_PURPOSE = "None: only forms use this list"


class PurposePanel(FieldPanel):
    """The list's purpose, read only: a blank one reads in words, not as Django's empty choice "---------"."""

    def format_value_for_display(self, value):
        return super().format_value_for_display(value) if value else NO_PURPOSE


PURPOSE_HELP = (
    "What the portal itself reads this list for. “Document types” gives the types a professional chooses for an "
    "upload and names the type of every document filed; renaming the list keeps it. "
    "Set by ticking “Use this list for document types”, offered while no list has that purpose."
)


class DropdownListViewSet(FormDesignViewSet):
    model = DropdownList
    icon = "list-ul"
    menu_label = "Dropdown lists"
    # The purpose beside the name: after a rename, or a race to tick the box, the index tells which list is the
    # document types list.
    list_display = [
        "name",
        Column("purpose", label="Purpose", accessor=lambda obj: obj.get_purpose_display() or NO_PURPOSE),
        Column("option_count", label="Options", accessor=lambda obj: obj.options.count()),
    ]
    add_view_class = DropdownListCreateView
    edit_view_class = DropdownListEditView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            PurposePanel("purpose", read_only=True, help_text=PURPOSE_HELP),
            # While no list has that purpose, a list may be given it, explicitly. Wagtail draws a boolean's panel
            # with a ticked-box icon, which read as ticked beside the unticked box: the plain panel icon instead.
            FieldPanel("document_types", icon="placeholder"),
            DropdownOptionsPanel("options", heading="Options", label="Option"),
            FieldPanel("paste_options"),
        ],
        base_form_class=DropdownListAdminForm,
    )


class LastChangedColumn(Column):
    """When a definition was last changed (its latest log entry: a save, an import, a publish), as a date and a time
    to the second. Two imports of one file make two rows alike in every other column; Wagtail's own "Updated" says
    "2 minutes ago" for both. Named `_updated_at`, Wagtail's annotation of it, so the list reads it in its one query
    and sorts by it."""

    def __init__(self):
        super().__init__("_updated_at", label="Last changed", sort_key="_updated_at")

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(localtime(value), "j M Y, H:i:s") if value else ""


def _latest_version_label(definition):
    version = definition.latest_version()
    return f"{version.version_label} (v{version.number})" if version else "Not published"


class CopiesRekeyedMixin:
    """After a save that gave duplicated sections or questions fresh keys (`rekey_copies`), or added the questions
    typed in the sections' quick-add boxes (`quick_add_apply`), says so. An autosave does neither (see
    `FormDefinitionAdminForm.clean_sections`). A draft saved with questions of one page that would say the same message
    when not answered is kept, with a warning that publishing will refuse it."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.autosaving = self.expects_json_response
        return form

    def save_instance(self):
        instance = super().save_instance()
        rekeyed = getattr(self.form, "rekeyed", [])
        if rekeyed:
            messages.info(
                self.request,
                f"The copied section or question got {_count(rekeyed, 'new key')}, made from its labels; "
                "conditions inside a copied section now use the copy's questions.",
            )
        added = getattr(self.form, "quick_added", 0)
        if added:
            messages.success(self.request, f"Added {_count(range(added), 'question')} from the “Add questions” boxes.")
        problems = getattr(self.form, "publish_problems", [])
        if problems:
            # A short list, each problem naming its place and linking to it, as GOV.UK's error summary does.
            messages.warning(
                self.request, publish_problems_html(problems, lead="Saved, but it cannot be published yet. Fix these:")
            )
        return instance


AUTOSAVE_REFUSED = "Not saved automatically: this form has problems. Save draft to see each beside its question"


class PublishRefusedMixin:
    """A refused "Publish" says plainly that nothing was published, and why, with each problem beside its place.

    Wagtail's own words ("could not be saved due to errors") read as if nothing had been kept, while its autosave,
    set off by the page the refusal draws, saved the draft a moment later and showed "Saved" beside them: the
    designer took the publish for done. Here the edit view saves what was posted as a draft (as "Save draft" would:
    the questions a quick-add box made and the keys a copy got included) and draws the saved draft with the
    publish's problems beside its questions, under "Saved as a draft. Not published: …" and a list of the problems,
    one an item, each a link to its place, as GOV.UK's error summary; the page then holds nothing unsaved, so no
    autosave follows. When even a draft is refused (a key used twice, a line the quick-add box cannot read) the page
    says "Not published. …" over what was typed (an autosave may then keep it as a draft, as after a refused "Save
    draft"); the add page, which has no autosave, adds "and not saved yet"."""

    def form_invalid(self, form):
        if self._only_quick_add_refused(form):
            # Wagtail's "could not be saved due to errors" turned false a moment later, its autosave keeping the page
            # (the box's lines unread) as a draft and showing "Saved": what was refused is the lines.
            self.produced_error_message = (
                "The questions typed in “Add questions, one a line” were not added: fix the lines shown beside the "
                "box, then save again."
            )
            return super().form_invalid(form)
        if self.action != "publish" or self.expects_json_response or self.locked_for_user:
            return super().form_invalid(form)
        problems = self._problems(form)
        if self.view_name == "edit":
            saved = self._save_as_draft(refused=form)
            if saved is not None:
                form, response = saved
                if response is not None:
                    return response
                lead = "Saved as a draft. Not published: fix these problems, then publish again."
            else:  # not saved here; Wagtail's autosave may still keep it as a draft (its "Saved" then is true)
                lead = "Not published. What you typed is still on this page: fix these problems, then publish again."
        else:  # the add page has no autosave: nothing is kept until a save succeeds
            lead = (
                "Not published, and not saved yet. What you typed is still on this page: fix these problems, then "
                "publish again."
            )
        self.produced_error_message = publish_problems_html(problems, lead=lead)
        return super().form_invalid(form)

    def get_error_message(self):
        # An autosave refused is said in the editor's footer bar, in Wagtail's words "There are validation errors,
        # click save to highlight them.", which stayed there beside a refused Publish's problems, already shown.
        if self.expects_json_response and self.error_message is not None:
            return AUTOSAVE_REFUSED
        return super().get_error_message()

    def _only_quick_add_refused(self, form):
        """Whether a "Save draft" on the edit page was refused for the quick-add boxes' lines alone."""
        return (
            self.action != "publish"
            and self.view_name == "edit"
            and not self.expects_json_response
            and getattr(form, "quick_add_refused", False)
            and list(form.errors) == ["sections"]
        )

    @staticmethod
    def _problems(form):
        """The publish's problems, each linking to its place: those of the sections (the form lists every refusal of
        them, place by place, in `section_problems`), then the other fields' ("Version label: …")."""
        problems = list(getattr(form, "section_problems", []))
        for name, errors in form.errors.items():
            if name == "sections":
                continue
            where, target = (form[name].label, form[name].id_for_label) if name in form.fields else ("", "")
            problems += [PublishProblem(f"{where}: {error}" if where else error, target) for error in errors]
        return problems

    def _save_as_draft(self, *, refused):
        """Save what was posted as "Save draft" does; returns (an unbound form of the saved draft carrying the refused
        publish's errors, the response of an after-edit hook or None), or None when a draft is refused too."""
        data = self.request.POST.copy()
        data.pop("action-publish", None)
        kwargs = self.get_form_kwargs()
        draft = self.get_form_class()(**{**kwargs, "data": data})
        draft.autosaving = False
        draft.defer_required_fields()
        valid = draft.is_valid()
        draft.restore_required_fields()
        if not valid:
            return None
        draft.publish_problems = []  # said in the refusal, not again as a "cannot be published yet" warning
        self.form, self.saving_as_draft = draft, True
        with transaction.atomic():
            self.object = self.save_instance()
        response = self.run_after_hook()
        # Drawn from the saved draft: its revision is the one the page now holds, and nothing on it is unsaved.
        for cached in ("latest_revision", "latest_revision_created_at", "has_unsaved_changes"):
            self.__dict__.pop(cached, None)
        kwargs = {**self.get_form_kwargs(), "instance": self.object}
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        shown = self.get_form_class()(**kwargs)
        shown.cleaned_data, shown._errors = {}, refused.errors
        self.form = shown
        return shown, response


class NamesakeWarningMixin:
    """A publish that leaves two published forms with the same title and version label goes ahead (a council may
    mean to replace one), with a warning: "Share a form" would otherwise offer two options that read alike."""

    def publish_action(self):
        response = super().publish_action()
        namesake = published_namesake(
            title=self.object.title, version_label=self.object.version_label, definition=self.object
        )
        if response is None and namesake is not None:
            messages.warning(self.request, namesake_warning(namesake))
        return response


class FormDefinitionEditView(
    DownloadButtonMixin, NamesakeWarningMixin, PublishRefusedMixin, CopiesRekeyedMixin, snippet_views.EditView
):
    pass


class FormDefinitionCreateView(NamesakeWarningMixin, PublishRefusedMixin, CopiesRekeyedMixin, snippet_views.CreateView):
    def setup(self, request, *args, **kwargs):
        # No autosave before the first save: an autosave of the add page creates the definition, and one still on
        # its way when the designer presses "Save draft" made a second draft of the same form. The edit page that
        # the first save leads to autosaves as usual.
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False


class FormDefinitionViewSet(FormDesignViewSet):
    model = FormDefinition
    icon = "form"
    menu_label = "Form definitions"
    add_view_class = FormDefinitionCreateView
    edit_view_class = FormDefinitionEditView
    list_display = [
        "title",
        "kind",
        "version_label",
        Column("latest_version", label="Latest published version", accessor=_latest_version_label),
        LastChangedColumn(),
    ]
    list_filter = ["kind", "live"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        # The kind is chosen before even a draft is saved: it has no default to fall back on.
                        [FieldPanel("title"), FieldPanel("kind", required_on_save=True), FieldPanel("version_label")],
                        heading="The form",
                    ),
                    FieldPanel("description"),
                    FieldPanel("sections"),
                ],
                heading="Content",
            ),
            ObjectList([VersionsPanel()], heading="Published versions"),
        ],
        base_form_class=FormDefinitionAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("version/<int:version_pk>/", self._forbid_without_permission(self.version_view), name="version"),
            path("changes/<int:pk>/", self._forbid_without_permission(VersionChangesView.as_view()), name="changes"),
            path(
                "condition-options/",
                self._forbid_without_permission(self.condition_options_view),
                name="condition_options",
            ),
        ]

    def condition_options_view(self, request):
        """The dropdown lists' options, for the editor's condition picker (condition_picker.js)."""
        return JsonResponse(dropdown_options_by_list())

    def version_view(self, request, version_pk):
        """A frozen version as professionals see it, from the version row alone."""
        version = get_object_or_404(FormDefinitionVersion.objects.select_related("definition"), pk=version_pk)
        builder = FormBuilder(version)
        mode = request.GET.get("mode", "")
        template = "advice_forms/preview/print.html" if mode == "print" else "advice_forms/preview/steps.html"
        return TemplateResponse(request, template, preview_context(builder, request=request, obj=version))


class VersionChangesView(WagtailAdminTemplateMixin, TemplateView):
    """What changed between two published versions of one form, chosen by number (`?from=1&to=2`); by default the
    latest and the one before it. A number this form has not published is a 404."""

    page_title = "What changed"
    header_icon = "history"
    template_name = "advice_forms/admin/version_changes.html"

    def get_page_subtitle(self):
        return self.definition.title

    def get(self, request, pk):
        self.definition = get_object_or_404(FormDefinition, pk=pk)
        self.versions = list(self.definition.versions.order_by("-number"))
        return super().get(request, pk=pk)

    def _version(self, name, default):
        number = self.request.GET.get(name)
        if number is None or number == "":
            return default
        if not number.isdecimal():  # "²" passes isdigit(), and int() refuses it
            raise Http404("No such version")
        return get_object_or_404(FormDefinitionVersion, definition=self.definition, number=int(number))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.versions[0] if self.versions else None
        previous = self.versions[1] if len(self.versions) > 1 else latest
        old, new = self._version("from", previous), self._version("to", latest)
        context.update(
            definition=self.definition,
            versions=self.versions,
            old=old,
            new=new,
            changes=version_changes(old, new) if old and new and old != new else None,
            edit_url=reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[self.definition.pk]),
        )
        return context


class AdviceFormsGroup(SnippetViewSetGroup):
    menu_label = "Advice forms"
    menu_icon = "form"
    menu_order = 250
    items = (FormDefinitionViewSet, DropdownListViewSet, TeamViewSet, NeedTypeViewSet, DefinitionFilesViewSet)
