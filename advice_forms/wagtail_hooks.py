"""The "Advice forms" admin menu: form definitions, dropdown lists, Teams and Types, for form designers."""

import functools

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from advice_forms.admin_forms import (
    DropdownOptionsPanel,
    FormDefinitionAdminForm,
    TaxonomyTermAdminForm,
)
from advice_forms.form_builder import FormBuilder
from advice_forms.models import DropdownList, FormDefinition, FormDefinitionVersion, NeedType, Team
from advice_forms.models.definitions import preview_context
from advice_forms.selectors import dropdown_list_in_published_use, taxonomy_term_usage, versions_with_request_counts


class VersionsPanel(Panel):
    """The published versions of a definition and how many requests pin each."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "advice_forms/admin/versions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["versions"] = versions_with_request_counts(instance) if instance and instance.pk else []
            return context


def _term_edit_handler():
    return ObjectList(
        [FieldPanel("code"), FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")],
        base_form_class=TaxonomyTermAdminForm,
    )


class ForbiddenWithoutPermissionMixin:
    """Answer 403 to staff without any permission on the model.

    Wagtail turns PermissionDenied into a redirect to the dashboard; casework and form design are closed
    areas, and a plain 403 says so to people and to tests alike.
    """

    ACTIONS = ("add", "change", "delete", "view", "publish", "lock", "unlock")

    def get_urlpatterns(self):
        patterns = []
        for pattern in super().get_urlpatterns():
            view = self._forbid_without_permission(pattern.callback)
            patterns.append(URLPattern(pattern.pattern, view, pattern.default_args, pattern.name))
        return patterns

    def _forbid_without_permission(self, view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if not self.permission_policy.user_has_any_permission(request.user, self.ACTIONS):
                return TemplateResponse(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        return checked


class FormDesignChooserViewSet(ForbiddenWithoutPermissionMixin, SnippetChooserViewSet):
    """The chooser of a form-design snippet (picking a dropdown list in a form definition): 403 to staff without
    a permission on the model, as its other screens are. No casework screen picks these through a chooser."""

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(self.model)


class TeamViewSet(ForbiddenWithoutPermissionMixin, SnippetViewSet):
    chooser_viewset_class = FormDesignChooserViewSet
    model = Team
    icon = "group"
    menu_label = "Teams"
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    ordering = ["sort_order", "code"]
    edit_handler = _term_edit_handler()


class NeedTypeViewSet(ForbiddenWithoutPermissionMixin, SnippetViewSet):
    chooser_viewset_class = FormDesignChooserViewSet
    model = NeedType
    icon = "tag"
    menu_label = "Types"
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    ordering = ["sort_order", "code"]
    edit_handler = _term_edit_handler()


class DropdownListViewSet(ForbiddenWithoutPermissionMixin, SnippetViewSet):
    chooser_viewset_class = FormDesignChooserViewSet
    model = DropdownList
    icon = "list-ul"
    menu_label = "Dropdown lists"
    list_display = ["name", Column("option_count", label="Options", accessor=lambda obj: obj.options.count())]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            DropdownOptionsPanel("options", heading="Options", label="Option"),
        ]
    )


def _latest_version_label(definition):
    version = definition.latest_version()
    return f"{version.version_label} (v{version.number})" if version else "Not published"


class FormDefinitionViewSet(ForbiddenWithoutPermissionMixin, SnippetViewSet):
    chooser_viewset_class = FormDesignChooserViewSet
    model = FormDefinition
    icon = "form"
    menu_label = "Form definitions"
    list_display = [
        "title",
        "kind",
        "version_label",
        Column("latest_version", label="Latest published version", accessor=_latest_version_label),
    ]
    list_filter = ["kind", "live"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [FieldPanel("title"), FieldPanel("kind"), FieldPanel("version_label")], heading="The form"
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
        ]

    def version_view(self, request, version_pk):
        """A frozen version as professionals see it, from the version row alone."""
        version = get_object_or_404(FormDefinitionVersion.objects.select_related("definition"), pk=version_pk)
        builder = FormBuilder(version)
        mode = request.GET.get("mode", "")
        template = "advice_forms/preview/print.html" if mode == "print" else "advice_forms/preview/steps.html"
        return TemplateResponse(request, template, preview_context(builder, request=request, obj=version))


class AdviceFormsGroup(SnippetViewSetGroup):
    menu_label = "Advice forms"
    menu_icon = "form"
    menu_order = 250
    items = (FormDefinitionViewSet, DropdownListViewSet, TeamViewSet, NeedTypeViewSet)


hooks.register("register_admin_viewset", AdviceFormsGroup)


@hooks.register("before_delete_snippet")
def keep_what_is_in_use(request, instances):
    """Terms, lists and forms that answers or requests rely on are retired, never deleted."""
    refusals = []
    for instance in instances:
        if isinstance(instance, (Team, NeedType)) and taxonomy_term_usage(instance):
            refusals.append(f"{instance} is in use, so it cannot be deleted. Untick “active” to stop new use.")
        elif isinstance(instance, DropdownList) and dropdown_list_in_published_use(instance):
            refusals.append(f"Published forms use “{instance}”, so it cannot be deleted. Retire its options instead.")
        elif isinstance(instance, FormDefinition) and instance.versions.exists():
            refusals.append(f"“{instance.title}” has published versions that requests rely on, so it is kept.")
    if refusals:
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None


@hooks.register("register_admin_viewset")
def register_casework():
    """The "Casework" menu (advice_forms.casework_admin): child records, the review queue, overdue advice."""
    from advice_forms.casework_admin import CaseworkGroup

    return CaseworkGroup()
