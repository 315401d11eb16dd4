"""Form definition files in the admin: "Download as JSON" on a definition, and "Import a form definition", which
checks an uploaded file, shows what it will create, and creates it only when the designer confirms.

Downloading needs a permission to see or change form definitions; importing needs the permission to add one. Other
staff get a 403. The checked file waits in the session between the preview and the confirmation, so nothing is
created before the designer says so, and a confirmation runs every check again.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button

from advice_forms.definition_format import MAX_FILE_BYTES, FileRefused, too_large
from advice_forms.models import FormDefinition
from advice_forms.services.definition_files import Lookups, form_definition_export, form_definition_import
from cms.formats import file_size
from cms.forms import NameCheckedFileField, posted
from cms.permissions import forbidden
from cms.upload_names import refuses_unsafe_names

ADD = "advice_forms.add_formdefinition"
SEE = ("advice_forms.change_formdefinition", "advice_forms.view_formdefinition")
SESSION_KEY = "advice_forms.definition_import"


def may_download(user):
    return any(user.has_perm(permission) for permission in SEE)


class ProblemsListedInput(forms.ClearableFileInput):
    """The file input with its errors beside it as a list, one problem a line (a refused file can have dozens, which
    Wagtail's field would run together in one paragraph), between the hint and the input as GOV.UK places them."""

    def render_with_errors(self, name, value, attrs=None, errors=None, renderer=None):
        errors_id = f"{attrs['id']}-errors"
        items = format_html_join("", "<li>{}</li>", ((error,) for error in errors))
        listed = format_html('<ul class="error-message" id="{}">{}</ul>', errors_id, items)
        described = " ".join(filter(None, [f"{attrs['id']}-helptext", errors_id]))
        return listed + self.render(name, value, {**attrs, "aria-describedby": described}, renderer)


class ImportForm(forms.Form):
    file = NameCheckedFileField(
        label="Form definition file",
        help_text=f"A .json file exported from this portal or another council's, at most {file_size(MAX_FILE_BYTES)}.",
        error_messages={"required": "Choose a form definition file to import"},
        widget=ProblemsListedInput,
    )
    lookups = forms.ChoiceField(
        label="Dropdown lists and Team and Type terms",
        choices=Lookups.choices,
        initial=Lookups.MATCH,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to treat dropdown lists and terms"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload

    def refuse(self, refused: FileRefused):
        """Every problem of a refused file beside the file field (and in the error summary, each linking to it)."""
        self.errors["file"] = self.error_class(refused.messages)


def download(request, pk):
    if not may_download(request.user):
        return forbidden(request)
    definition = get_object_or_404(FormDefinition, pk=pk)
    text = form_definition_export(definition=definition, user=request.user, request=request)
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(definition.title) or "form"}.json"'
    return response


def _render(request, template, **context):
    return TemplateResponse(
        request,
        template,
        {"page_title": "Import a form definition", "header_title": "Import a form definition", **context},
    )


def _refused(request, form, refused):
    # A file that is not JSON and one with problems at places in it take the same path: beside the file field.
    form.refuse(refused)
    counted = 0 if refused.whole_file else len(refused.messages)
    return _render(
        request,
        "advice_forms/admin/definition_import.html",
        form=form,
        problem_count=counted,
        # every problem a list or term the file describes: the page's other choice creates them
        create_lookups=Lookups.CREATE.label if refused.only_missing_lookups else "",
        at_publish=refused.at_publish,
    )


@refuses_unsafe_names  # its file field is a NameCheckedFileField
def import_definition(request):
    if not request.user.has_perm(ADD):
        return forbidden(request)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = ImportForm(posted(request), request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, "advice_forms/admin/definition_import.html", form=form)
    raw = form.cleaned_data["file"].read()
    lookups = form.cleaned_data["lookups"]
    try:
        summary = form_definition_import(raw=raw, lookups=lookups, user=request.user, dry_run=True, request=request)
    except FileRefused as refused:
        return _refused(request, form, refused)
    request.session[SESSION_KEY] = {
        "raw": raw.decode("utf-8"),
        "lookups": lookups,
        "name": form.cleaned_data["file"].name,
    }
    return _render(
        request,
        "advice_forms/admin/definition_import_preview.html",
        summary=summary,
        file_name=form.cleaned_data["file"].name,
        lookups_label=Lookups(lookups).label,
    )


def _confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.error(request, "Upload the file again: the checked file was not found (it is kept for one preview).")
        return redirect("advice_forms_definition_files:import")
    try:
        summary = form_definition_import(
            raw=pending["raw"], lookups=pending["lookups"], user=request.user, request=request
        )
    except FileRefused as refused:
        # Something changed since the preview (a list renamed, a term removed): say what, create nothing.
        return _refused(request, ImportForm(initial={"lookups": pending["lookups"]}), refused)
    del request.session[SESSION_KEY]
    if summary.namesake_warning:
        messages.warning(request, summary.namesake_warning)
    messages.success(
        request,
        f"“{summary.definition.title}” was imported as a draft with {summary.question_count} questions. "
        "Check it, then publish it.",
    )
    return redirect("wagtailsnippets_advice_forms_formdefinition:edit", summary.definition.pk)


class DownloadButtonMixin:
    """A form definition's edit screen: "Download as JSON" among the header's more buttons."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if may_download(self.request.user):
            url = reverse("advice_forms_definition_files:download", args=[self.object.pk])
            buttons.append(Button("Download as JSON", url=url, icon_name="download", priority=15))
        return buttons


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ADD)


class DefinitionFilesViewSet(ViewSet):
    """The "Import a form definition" item of the "Advice forms" menu, and the download of a definition's file."""

    name = "advice_forms_definition_files"
    url_prefix = "advice-forms/definition-files"
    icon = "upload"
    menu_label = "Import a form definition"

    @cached_property
    def menu_item_class(self):
        return ImportMenuItem

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("import"))

    def get_urlpatterns(self):
        return [
            path("import/", import_definition, name="import"),
            path("<int:pk>/download/", download, name="download"),
        ]
