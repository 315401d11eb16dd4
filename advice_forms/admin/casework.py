"""The "Casework" admin menu for SEND caseworkers: child records (each view audited), sharing a form, the review
queue with accept and return, submitted PDFs (sent on to the child's document download), and the overdue list, whose
requests offer "Change due date" and "Send a reminder" (advice_forms.admin.request_actions).

Views here are HTTP glue: the rules live in advice_forms.services.requests and .submissions, the reads in
advice_forms.selectors.
"""

import datetime
from collections import Counter
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect, ListingButton
from wagtail.admin.widgets import Button as HeaderButton

from advice_forms import selectors, workflow
from advice_forms.admin import request_actions
from advice_forms.admin.history import ChildRecordHistoryMixin
from advice_forms.admin.records import (
    NAMELESS_TITLE,
    VIEW,
    child_record_links,
    child_viewed,
    nameless_title,
    render_nameless,
)
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, ChildRecord, FormDefinitionVersion, FormKind, Submission
from advice_forms.services import requests as request_services
from advice_forms.services.submissions import submission_pdf_store, submission_seen_by_initials
from advice_forms.workflow import Action
from cms.admin_views import (
    PAGE_PARAM,
    IdsFirstPaginator,
    KeptFromDeletionMixin,
    TimeColumn,
    UnchangedSaveMixin,
    list_number,
    list_return_url,
)
from cms.flash_messages import TAKES_FOCUS
from cms.form_fields import GovukTextField, empty_choice_words, typed_date, typed_date_text
from cms.formats import govuk_date, govuk_datetime
from cms.forms import posted
from cms.names import name_folded
from cms.permissions import ForbiddenWithoutPermissionMixin, forbidden
from portal_pages.models import SETTING_KINDS, User

# Child records

DATE_OF_BIRTH_EXAMPLE = "14/6/2016"
# What a child's name heading's sort links say, ascending then descending (ChildRecord.Meta.ordering: by last name).
SORTED_BY_NAME = ("Sort by last name, A to Z", "Sort by last name, Z to A")


def coordinator_name(user, *, does_casework: bool) -> str:
    """A child's EHC co-ordinator wherever the staff see one (the request and record lists, their filter menus, the
    record's select, a child's and a request's pages), named as the audit log and every page names a person
    (``User.person_name``); marked when they can no longer do casework (selectors.does_casework), so another
    caseworker sees the child is theirs to reassign."""
    name = user.person_name
    return name if does_casework else f"{name} (no longer a caseworker)"


def coordinator_label(user) -> str:
    """A member of staff as a co-ordinator select or filter offers them (their ``does_casework`` annotated:
    selectors.coordinator_choices, coordinators_to_filter_by)."""
    return coordinator_name(user, does_casework=user.does_casework)


class CoordinatorChoiceField(forms.ModelChoiceField):
    """A menu of staff (``does_casework`` annotated), each named as ``coordinator_label`` names them."""

    def label_from_instance(self, obj):
        return coordinator_label(obj)


class CoordinatorFilter(django_filters.ModelChoiceFilter):
    """A listing's "EHC co-ordinator" filter: who co-ordinates a child, a former caseworker marked so."""

    field_class = CoordinatorChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "EHC co-ordinator")
        super().__init__(queryset=lambda request: selectors.coordinators_to_filter_by(), **kwargs)


def _coordinator_of_child(child):
    """The child's co-ordinator as one child's pages show it: one query when one is allocated."""
    if child.coordinator is None:
        return "Not allocated"
    return coordinator_name(child.coordinator, does_casework=selectors.coordinator_does_casework(child))


def _coordinator_of_record(record):
    """The record's co-ordinator as the child records list shows it (its ``coordinator_does_casework`` annotated by
    ChildRecordIndexView), or "" when none is allocated."""
    if record.coordinator is None:
        return ""
    return coordinator_name(record.coordinator, does_casework=record.coordinator_does_casework)


class NamelessTitleMixin:
    """A child record's page whose title (kept in the browser's history, on shared council computers too) says what
    the page is and which record by its number ("History: child record 12"), never whose record: the child's name
    stays in the heading on the page. Its template is the view's own, extended by one that sets the title alone
    (records.nameless_title, shared with the caseworker pages in records.py). Every view of one record in
    ChildRecordViewSet has it; a listing's results alone (history's paging) have no title."""

    def get_template_names(self):
        if getattr(self, "results_only", False):
            return super().get_template_names()
        return [NAMELESS_TITLE]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "results_only", False):
            return context
        # The view class's own words ("History"), never get_page_title(), which a view may fill from the record.
        return nameless_title(context, super().get_template_names(), self.page_title, self.object)


class ChildRecordInspectView(NamelessTitleMixin, generic.InspectView):
    template_name = "advice_forms/casework/child_record_inspect.html"
    history_url_name = None  # given by the viewset, as to the edit view

    def get_history_url(self):
        """The record's History, for staff its view lets in (Wagtail's HistoryView: add, change or delete)."""
        if self.history_url_name and self.permission_policy.user_has_any_permission(
            self.request.user, ChildRecordHistoryView.any_permission_required
        ):
            return reverse(self.history_url_name, args=[self.object.pk])
        return ""

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if history_url := self.get_history_url():
            buttons.append(HeaderButton("History", url=history_url, icon_name="history", priority=30))
        return buttons

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if field_name == "coordinator" and self.object.coordinator_id is not None:
            return _coordinator_of_child(self.object)
        return "Not recorded" if value is None or value == "" else value

    def get(self, request, *args, **kwargs):
        child_viewed(request, self.object, view="inspect")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["advice_requests"] = selectors.requests_for_child(self.object)
        context["can_share"] = self.request.user.has_perm("advice_forms.add_advicerequest")
        context["share_url"] = reverse("child_records:share", args=[self.object.pk])
        context["record_links"] = child_record_links(self.object)
        context["history_url"] = self.get_history_url()
        context["edit_url"] = (
            reverse("child_records:edit", args=[self.object.pk])
            if self.request.user.has_perm("advice_forms.change_childrecord")
            else ""
        )
        return context


class SameChildCheckMixin:
    """A child record's save that waits, when the record would have the name (by the search's rule) and date of birth
    of another record kept already, until the caseworker has seen those records: the form comes back as typed, warning
    of them with a link to each (to someone who may view child records; others are warned that one may exist), and is
    saved when "This is a different child" is ticked. A new record is checked always; an edited one when its name or
    date of birth changes, never against itself (selectors.child_records_like)."""

    def form_valid(self, form):
        if _name_or_birth_changed(form) and not form.cleaned_data.get(DIFFERENT_CHILD):
            self.records_like = list(selectors.child_records_like(form.instance))
            if self.records_like and self.expects_json_response:
                return self.json_error_response("records_like", RECORDS_LIKE)
            if self.records_like:
                self.form = form
                return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records_like"] = getattr(self, "records_like", [])
        # Who may not view child records is told one may exist, not whose, born when, at which school.
        context["records_like_shown"] = self.request.user.has_perm(VIEW)
        context["different_child"] = context["form"][DIFFERENT_CHILD]
        return context


def _name_or_birth_changed(form) -> bool:
    """Whether the valid ``form`` gives its record a name (by the search's rule) or a date of birth other than the
    ones saved: always for a new record. Until save() the record keeps its saved name as the search reads it."""
    record = form.instance
    return (
        record.pk is None
        or name_folded(record.full_name) != record.search_name
        or form.initial.get("date_of_birth") != record.date_of_birth
    )


class ChildRecordCreateView(SameChildCheckMixin, generic.CreateView):
    """A new record, saved only once the caseworker has seen the records like it (SameChildCheckMixin). A refused save
    shows the GOV.UK error summary, which takes focus (its template), not Wagtail's banner, which did not."""

    error_message = None


class ChildRecordEditView(NamelessTitleMixin, SameChildCheckMixin, UnchangedSaveMixin, generic.EditView):
    """A child record's edit form, saved only once the caseworker has seen the other records like it when the name or
    date of birth changes (SameChildCheckMixin). Reached from a row of Reported changes ("Change … details", its query
    naming the report, and the list's page and row), it shows what the professional reported above the form, and a
    save goes back to that page of Reported changes at the report, where it is marked as dealt with. A refused save
    shows the GOV.UK error summary, as a new record's does."""

    template_name = "advice_forms/casework/child_record_edit.html"
    error_message = None
    LIST_QUERY = ("report", PAGE_PARAM, "row")

    @cached_property
    def reported_change(self):
        """The reported change about this child that the query names, or None (none named, or not this child's)."""
        pk = list_number(self.request.GET.get("report"), lowest=1, highest=2**63 - 1)
        return None if pk is None else selectors.change_reports_for_child(self.object).filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.reported_change is not None:
            context["reported_change"] = self.reported_change
            kept = {name: self.request.GET[name] for name in self.LIST_QUERY if name in self.request.GET}
            context["action_url"] = f"{self.get_edit_url()}?{urlencode(kept)}"  # the save still knows where from
        return context

    def get_success_url(self):
        if self.reported_change is None:
            return super().get_success_url()
        return list_return_url(
            self.request,
            selectors.change_reports_waiting(self.request.user),
            reverse("casework_change_reports"),
            row_anchor=f"report-{self.reported_change.pk}",
        )

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        self.saved_name = str(record)
        return record

    def get_page_subtitle(self):
        """The record's saved name: validating the form writes the name typed onto the record, and a form sent back
        (the same-child warning, an error) has saved nothing."""
        return self.saved_name

    def has_changes(self, form) -> bool:
        """Whether the save changes the record: "This is a different child" ticked alone changes nothing."""
        return any(name != DIFFERENT_CHILD for name in form.changed_data)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        child_viewed(request, self.object, view="edit")
        return response

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the record shown again with errors
            child_viewed(request, self.object, view="edit")
        return response


class ChildRecordDeleteView(NamelessTitleMixin, KeptFromDeletionMixin, generic.DeleteView):
    instead = "When the case is over, set its status to Closed on its edit page instead."


class ChildRecordHistoryView(NamelessTitleMixin, ChildRecordHistoryMixin, history.HistoryView):
    pass


class ChildRecordUsageView(NamelessTitleMixin, usage.UsageView):
    pass


class ReferenceSearchMixin:
    """A listing's search box that says what it finds (selectors.child_records_matching and requests_matching), in a
    hint its box is described by."""

    search_hint = (
        "Search by name, unique pupil number or a submission's reference "
        f"(or the last {selectors.REFERENCE_END_DIGITS} or more digits of it)"
    )

    def get_search_form(self):
        form = super().get_search_form()
        if form is not None:
            form.fields["q"].help_text = self.search_hint  # the admin's field describes its box by its help text
        return form


class ChildRecordIndexView(ReferenceSearchMixin, generic.IndexView):
    # The name's ?ordering= key: the child record's own ordering (ChildRecord.Meta: by last name, or the one name a
    # child has), which the list starts in, so its heading reads sorted and is a link both ways like the others.
    default_ordering = "full_name"

    def order_queryset(self, queryset):
        key = self.ordering
        if key.lstrip("-") != "full_name":
            return super().order_queryset(queryset)
        by_name = queryset.order_by(*ChildRecord._meta.ordering)
        return by_name.reverse() if key.startswith("-") else by_name

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("school", "coordinator")
            .annotate(coordinator_does_casework=selectors.does_casework("coordinator_id"))
        )

    def search_queryset(self, queryset):
        """Every word of the search in the name or pupil number (Wagtail's own search wants the whole phrase in one
        field, so a full name found nothing), or the reference of a submission on one of the child's requests."""
        return selectors.child_records_matching(queryset, self.search_query) if self.is_searching else queryset

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        """The child's name links to the record (what a caseworker opens it for), not to the edit form."""
        column_class = self._get_title_column_class(column_class)
        column = self._get_custom_column(field_name, column_class, get_url=self.get_inspect_url, **kwargs)
        # full_name is a property, which Wagtail gives no sort key: the name sorts by order_queryset's key.
        column.sort_key = "full_name"
        column.ascending_title_text, column.descending_title_text = SORTED_BY_NAME
        return column

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("advice_forms.add_advicerequest"):
            # A button of its own beside the name, not hidden in the "more" menu: sharing is the daily task.
            buttons.insert(
                0,
                ListingButton(
                    "Share a form",
                    url=reverse("child_records:share", args=[instance.pk]),
                    icon_name="mail",
                    attrs={"aria-label": f"Share a form about {instance.full_name}"},
                ),
            )
        return buttons


# What each required detail of a child record says beside it when left empty, GOV.UK's way, not Django's "This field
# is required."
REQUIRED_MESSAGES = {
    "first_name": "Enter the child's first name",
    "date_of_birth": "Enter the child's date of birth",
    "status": "Select the status of the child's assessment",
}


# The record's box the caseworker ticks when the records like it (selectors.child_records_like) are of other
# children.
DIFFERENT_CHILD = "different_child"
RECORDS_LIKE = "A child record with this name and date of birth already exists"


class ChildRecordAdminForm(WagtailAdminModelForm):
    """A child record's form: its co-ordinator is someone who does casework, its school an active organisation (each
    keeps the one already recorded); the date of birth is typed as 14/6/2016 (cms.form_fields.typed_date)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.instance
        typed_date(self.fields["date_of_birth"], example=DATE_OF_BIRTH_EXAMPLE)
        self.fields["coordinator"].queryset = selectors.coordinator_choices(keep=record.coordinator_id)
        self.fields["coordinator"].label_from_instance = coordinator_label
        self.fields["school"].queryset = selectors.school_choices(keep=record.school_id)
        empty_choice_words(self.fields["coordinator"], "Select an EHC co-ordinator")
        empty_choice_words(self.fields["school"], "Select a school or setting")
        self.fields["last_name"].help_text = "Leave blank if the child has only one name"
        # Read only when another record with the same name and date of birth is kept already (SameChildCheckMixin).
        self.fields[DIFFERENT_CHILD] = forms.BooleanField(
            label="This is a different child",
            required=False,
            help_text="Tick this box, then save again, if this child is not the one above",
        )
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message


class ChildRecordFilterSet(WagtailFilterSet):
    coordinator = CoordinatorFilter(field_name="coordinator")

    class Meta:
        model = ChildRecord
        fields = ["status", "coordinator"]


class ChildRecordViewSet(ForbiddenWithoutPermissionMixin, ModelViewSet):
    model = ChildRecord
    name = "child_records"
    icon = "user"
    menu_label = "Child records"
    index_view_class = ChildRecordIndexView
    add_view_class = ChildRecordCreateView
    create_template_name = "advice_forms/casework/child_record_create.html"
    inspect_view_class = ChildRecordInspectView
    edit_view_class = ChildRecordEditView
    delete_view_class = ChildRecordDeleteView
    history_view_class = ChildRecordHistoryView
    usage_view_class = ChildRecordUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "full_name",
        "date_of_birth",
        "school",
        Column("coordinator", label="EHC co-ordinator", accessor=_coordinator_of_record, sort_key="coordinator"),
        "status",
    ]
    filterset_class = ChildRecordFilterSet
    search_fields = selectors.CHILD_RECORD_SEARCH_FIELDS
    search_backend_name = None  # plain database filters: children's details stay out of the search index
    form_fields = [
        "first_name",
        "last_name",
        "date_of_birth",
        "unique_pupil_number",
        "address",
        "school",
        "parent_carer_name",
        "parent_carer_contact",
        "coordinator",
        "status",
    ]
    inspect_view_fields = form_fields

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=ChildRecordAdminForm, fields=self.form_fields)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("share/<int:pk>/", self._forbid_without_permission(self.share_view), name="share"),
        ]

    def share_view(self, request, pk):
        if not request.user.has_perm("advice_forms.add_advicerequest"):
            return forbidden(request)
        child = get_object_or_404(ChildRecord, pk=pk)
        form = ShareForm(posted(request))
        other_school = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            other_school = None if data[OTHER_SCHOOL] else _other_school(child, data["account"])
        if request.method == "POST" and form.is_valid() and other_school is None:
            try:
                advice_request = request_services.advice_request_share(
                    child=child,
                    form_version=data["form_version"],
                    account=data["account"],
                    shared_by=request.user,
                    due_date=data["due_date"],
                    message=data["message"],
                    shows_child_name=data["shows_child_name"] == "name",
                    request=request,
                )
            except ValidationError as error:
                form.add_error("account", error)
            else:
                account = advice_request.account
                told = request_actions.account_told(account, who=account.display_name)
                messages.success(
                    request,
                    f"{advice_request.form_version.title} has been shared with {account.display_name}."
                    f" It is due on {govuk_date(advice_request.due_date)}. {told}.",
                    extra_tags=TAKES_FOCUS,
                )
                return redirect("child_records:inspect", pk=child.pk)
        if request.method == "GET":
            child_viewed(request, child, view="share")
        return render_nameless(
            request,
            "share",
            "Share a form",
            child,
            child=child,
            form=form,
            other_school=other_school,
            header_icon="mail",
            back_url=reverse("child_records:inspect", args=[child.pk]),
        )


# The share form's box the caseworker ticks to share with a school's team account though the child's record names
# another school (_other_school): a warning that asks to confirm, not a refusal, as a child may be moving schools.
OTHER_SCHOOL = "other_school"


def _other_school(child, account):
    """The account's organisation when it is a school or setting other than the one the child's record names (a
    slip of the list that would show the child to the wrong school), else None: a service (an EP service, health)
    advises on children of every school, and a record naming no school has nothing to compare."""
    organisation = account.organisation
    if organisation is None or child.school_id is None or organisation.pk == child.school_id:
        return None
    return organisation if organisation.kind in SETTING_KINDS else None


def _account_label(account):
    """Short enough for the select to fit a narrow screen: the work address names the organisation already."""
    return f"{account.display_name} ({account.email})"


def _version_labels(versions):
    """{version id: label} for the form select: each version's name, and where two published forms share it (a file
    imported twice), when each was published, so that no two options read alike."""
    names = Counter(str(version).casefold() for version in versions)
    labels = {}
    for version in versions:
        labels[version.pk] = str(version)
        if names[str(version).casefold()] > 1:
            labels[version.pk] += ", published " + govuk_datetime(version.published_at)
    return labels


class ShareForm(request_actions.DueDateForm):
    field_order = ["form_version", "account", "due_date", "message", "shows_child_name", OTHER_SCHOOL]

    form_version = forms.ModelChoiceField(
        label="Form",
        queryset=FormDefinitionVersion.objects.none(),
        help_text="The latest published version of each form. The request keeps this version if the form changes.",
        error_messages={"required": "Choose the form to share", "invalid_choice": "Choose a published form"},
    )
    account = forms.ModelChoiceField(
        label="Team account",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose the team account to share it with",
            "invalid_choice": "Choose an active team account",
        },
    )
    message = GovukTextField(
        label="Message to the team account",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the request in the portal, never in an email.",
    )
    shows_child_name = forms.ChoiceField(
        label="What the team account sees of the child's name",
        choices=[("name", "Their full name"), ("initials", "Only their initials")],
        initial="name",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the team account sees of the child's name"},
    )
    other_school = forms.BooleanField(
        label="Share it with this team account anyway",
        required=False,
        help_text="Tick this box, then share again, if this account should have the form though the child's record "
        "names another school or setting",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].queryset = selectors.latest_versions()
        labels = _version_labels(self.fields["form_version"].queryset)
        self.fields["form_version"].label_from_instance = lambda version: labels.get(version.pk, str(version))
        self.fields["account"].queryset = selectors.shareable_accounts()
        self.fields["account"].label_from_instance = _account_label
        empty_choice_words(self.fields["form_version"], "Select a form")
        empty_choice_words(self.fields["account"], "Select a team account")
        self.fields["account"].help_text = (
            "Only team accounts that can sign in now, of active organisations. Not listed: an invited account until it "
            "has chosen its password, an account waiting to confirm its email address or for approval to join, one "
            "switched off, and a dormant account (not signed in for "
            f"{settings.PORTAL_DORMANT_DAYS} days) until a portal administrator reactivates it (Accounts, then Team "
            "accounts)."
        )
        days = settings.PORTAL_ADVICE_DUE_DAYS
        due_date = self.fields["due_date"]
        due_date.help_text = f"Six weeks from today unless you change it ({days} days). {due_date.help_text}"
        due_date.initial = self.default_due_date()

    @staticmethod
    def default_due_date():
        return timezone.localdate() + datetime.timedelta(days=settings.PORTAL_ADVICE_DUE_DAYS)

    def due_date_example(self) -> str:
        """The date the box is filled with, so the hint's example never contradicts it."""
        return typed_date_text(self.default_due_date())


# Review


class ReturnForm(forms.Form):
    reason = GovukTextField(
        label="What is needed",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The team account sees this at the top of the request, and its answers reopen for changes.",
        # Blank or only spaces: CharField strips before its required check.
        error_messages={"required": request_services.RETURN_REASON_REQUIRED},
    )
    sections = forms.MultipleChoiceField(
        label="Sections that need changing (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The team account's task list marks the sections you tick as needing changes, and shows your reason "
        "on them. Tick none if the changes are not in particular sections.",
        error_messages={"invalid_choice": request_services.RETURN_SECTION_UNKNOWN},
    )

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        sent = request_services.submission_sent_sections(submission) if submission is not None else []
        self.fields["sections"].choices = [(section.key, section.title) for section in sent]


def _submission_summary(submission):
    """The answers as the SEND service reads them: a team that saw the child by initials only had the child's details
    hidden, which staff read from the child record (selectors.records_for_staff)."""
    records = selectors.records_for_staff(submission.records or None, submission.request.child)
    return FormBuilder.for_version(submission.form_version).summary(submission.answers, records=records)


def _mark_changes(summary, before) -> int:
    """Mark each row of ``summary`` whose answer in words is not the one ``before`` (the version submitted before)
    gave, or that it did not ask; return how many, so a caseworker reading a version sent back after a return sees
    what the professional changed."""
    given = {(part.section.key, row.field.key): row.value for part in before for row in part.rows if row.field.asks}
    count = 0
    for part in summary:
        for row in part.rows:
            if row.field.asks and given.get((part.section.key, row.field.key)) != row.value:
                row.changed = True
                count += 1
    return count


def _changes_waiting(user, child) -> dict:
    """What the review page says of reported changes to the child's details not yet dealt with (the advice may rest on
    details said to be wrong), for staff who may see them (on the child's own page of them): how many, when the first
    was reported, and where to read it: Reported changes, where it is dealt with, for the staff who deal with the
    child, otherwise the child's own page of reported changes. One query; nothing of what was reported."""
    if not user.has_perm(VIEW):
        return {}
    waiting = selectors.change_reports_waiting_for_child(child)
    if not waiting:
        return {}
    first_pk, first_reported = waiting[0]
    if selectors.deals_with_child(user, child):
        url = f"{reverse('casework_change_reports')}?report={first_pk}#report-{first_pk}"
    else:
        url = reverse("casework_child_change_reports", args=[child.pk])
    return {"changes_waiting": len(waiting), "change_first_reported": first_reported, "changes_url": url}


def _details_changed_since(submission, advice_request) -> bool:
    """Whether the child's record was corrected after the version was submitted, so its frozen answers (which stay as
    they were) differ from the page's header: the child's own fields as frozen (``child_fields_digest``) against now.
    A version submitted before the digest was frozen compares the words its answers show."""
    records = (submission.records or {}) if submission is not None else {}
    if (records.get("child") or {}).get("initials_only"):
        return False  # its answers show no details of the child but the record's now (``_submission_summary``)
    if digest := records.get(selectors.CHILD_FIELDS):
        return digest != selectors.child_fields_digest(advice_request.child)
    frozen = records.get("child")
    if not frozen:
        return False
    now = selectors.child_details_for_request(advice_request)
    return any(frozen.get(name) != now.get(name) for name in now.keys() | frozen.keys())


def _read_number(data) -> int:
    """The version the review page showed when Accept or Return was pressed (its hidden ``submission`` field, in
    ``data``: the post, or the query of accept's confirmation page); 0, which no version has, when it does not say, so
    the decision is refused and the page shown again."""
    sent = data.get("submission", "")
    return int(sent) if sent.isdecimal() else 0  # "²" passes isdigit(), and int() refuses it


# The field that only accept's confirmation page posts: an Accept without it (a review page opened before accepting
# asked to be confirmed, or a script) is shown the confirmation, not taken.
ACCEPT_CONFIRMED = "confirmed"


def _kind_choices():
    return FormKind.choices


class ReviewQueueFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(field_name="form_version__kind", choices=_kind_choices, label="Form kind")
    coordinator = CoordinatorFilter(field_name="child__coordinator")
    # Declared, so Wagtail's widget for a model's yes-or-no filter ("All", "Yes", "No") is given by hand: django-filter
    # itself offers "Unknown" for either answer.
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Past its due date", widget=BooleanRadioSelect
    )

    class Meta:
        model = AdviceRequest
        fields = ["kind", "coordinator", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(due_date__lt=today) if value else queryset.filter(due_date__gte=today)


def _review_url(advice_request):
    return reverse("review_queue:review", args=[advice_request.pk])


class RequestListingView(ReferenceSearchMixin, generic.IndexView):
    """A listing of requests whose rows open the review page; nothing is added, edited or deleted here."""

    def get_edit_url(self, instance):
        return _review_url(instance)

    def get_add_url(self):
        return None

    def get_delete_url(self, instance):
        return None

    def get_inspect_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        return [MenuItem("Review", url=_review_url(instance), icon_name="view", priority=10)]

    def search_queryset(self, queryset):
        """The child records' search: every word in the child's name or pupil number, or a submission's reference."""
        return selectors.requests_matching(queryset, self.search_query) if self.is_searching else queryset


class ReviewQueueIndexView(RequestListingView):
    page_title = "Review queue"
    paginator_class = IdsFirstPaginator  # the last page as quick as the first
    default_ordering = "due_date"
    # Each column's ?ordering= key and what it sorts by (a key no column has is ignored: Wagtail sorts by the default);
    # the request's id comes last, in the same direction, so rows that tie keep their place from one page to the next.
    sorted_by = {
        "due_date": ("due_date",),
        "submitted": ("last_submitted_at",),
        "child": ("child",),  # the child record's own ordering: by last name, or the one name a child has
        "form": ("form_version__title", "form_version__version_label"),
    }

    def get_base_queryset(self):
        return selectors.review_queue()

    def order_queryset(self, queryset):
        key = self.ordering
        sign = "-" if key.startswith("-") else ""
        return queryset.order_by(*(sign + field for field in (*self.sorted_by[key.lstrip("-")], "pk")))


def _child_column(advice_request):
    return advice_request.child.full_name


def _form_column(advice_request):
    return advice_request.form_version.title_with_label


def _account_column(advice_request):
    return request_actions.holder_name(advice_request.account)


def _coordinator_column(advice_request):
    """The child's co-ordinator (the request's ``coordinator_does_casework``: selectors.review_queue and
    overdue_requests annotate it)."""
    coordinator = advice_request.child.coordinator
    if coordinator is None:
        return "Not allocated"
    return coordinator_name(coordinator, does_casework=advice_request.coordinator_does_casework)


def _request_columns(*, sortable=False):
    """The columns that name a request in the staff's request lists: its child (linked to the review), form and
    team account; the child and form ``sortable`` (ReviewQueueIndexView.sorted_by)."""
    return [
        TitleColumn(
            "child",
            label="Child",
            accessor=_child_column,
            get_url=_review_url,
            sort_key="child" if sortable else None,
            ascending_title_text=SORTED_BY_NAME[0],
            descending_title_text=SORTED_BY_NAME[1],
        ),
        Column("form", label="Form", accessor=_form_column, sort_key="form" if sortable else None),
        Column("account", label="Team account", accessor=_account_column),
    ]


def _due_column(advice_request):
    days = advice_request.days_left
    when = govuk_date(advice_request.due_date)
    if days >= 0:
        return when
    return f"{when} ({-days} day{'s' if days != -1 else ''} overdue)"


class RequestViewSetMixin(ForbiddenWithoutPermissionMixin):
    model = AdviceRequest
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []
    search_fields = [f"child__{field}" for field in selectors.CHILD_RECORD_SEARCH_FIELDS]  # shows the search box
    search_backend_name = None  # plain database filters (search_queryset): children's details stay out of the index

    def get_urlpatterns(self):
        # Only the listing: add, edit and delete do not exist for requests (sharing and transitions are services).
        keep = {"index", "index_results"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep]


class ReviewQueueViewSet(RequestViewSetMixin, ModelViewSet):
    name = "review_queue"
    icon = "tasks"
    menu_label = "Review queue"
    index_view_class = ReviewQueueIndexView
    filterset_class = ReviewQueueFilterSet
    list_display = [
        *_request_columns(sortable=True),
        Column("coordinator", label="EHC co-ordinator", accessor=_coordinator_column),
        TimeColumn("last_submitted_at", label="Submitted", sort_key="submitted"),
        Column("due", label="Due", accessor=_due_column, sort_key="due_date"),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/", self._forbid_without_permission(self.review_view), name="review"),
            path("<int:pk>/accept/", self._forbid_without_permission(self.accept_view), name="accept"),
            path(
                "<int:pk>/accept/confirm/",
                self._forbid_without_permission(require_GET(self.accept_confirm_view)),
                name="accept_confirm",
            ),
            path("<int:pk>/return/", self._forbid_without_permission(self.return_view), name="return"),
            path("<int:pk>/due-date/", self._forbid_without_permission(request_actions.due_date_view), name="due_date"),
            path("<int:pk>/remind/", self._forbid_without_permission(request_actions.remind_view), name="remind"),
            path(
                "submissions/<int:pk>/pdf/",
                self._forbid_without_permission(self.submission_pdf_view),
                name="submission_pdf",
            ),
        ]

    def _advice_request(self, pk):
        return get_object_or_404(
            AdviceRequest.objects.select_related(
                "child", "child__school", "child__coordinator", "form_version", "account", "account__organisation"
            ),
            pk=pk,
        )

    def review_view(self, request, pk, return_form=None, accept_form=None, status=200):
        if not request.user.has_perm("advice_forms.view_advicerequest"):
            return forbidden(request)
        advice_request = self._advice_request(pk)
        # Newest first, each with what became of it: the earlier ones' returns (reason, sections) in the same query.
        history = selectors.submission_history(advice_request)
        for row in history:
            if submission_seen_by_initials(row["submission"]):
                row["pdf_size"] = ""  # the SEND service's copy is made on each download (downloads.file_response)
        submissions = [row["submission"] for row in history]
        latest = submissions[0] if submissions else None
        previous = submissions[1] if len(submissions) > 1 else None
        summary = _submission_summary(latest) if latest else []
        changed = _mark_changes(summary, _submission_summary(previous)) if previous else 0
        child_viewed(request, advice_request.child, view="review", advice_request=advice_request.pk)
        changes = _changes_waiting(request.user, advice_request.child)
        response = render_nameless(
            request,
            "review",
            "Review advice",
            advice_request,
            advice_request=advice_request,
            child=advice_request.child,
            coordinator=_coordinator_of_child(advice_request.child),
            details_changed=_details_changed_since(latest, advice_request),
            documents_count=selectors.current_documents_count(advice_request.child),
            return_sections=selectors.return_section_titles(advice_request.latest_return),
            **changes,
            latest=latest,
            latest_pdf_size=history[0]["pdf_size"] if history else "",
            earlier=history[1:],
            summary=summary,
            changed=changed,
            previous=previous,
            can_act=all(
                workflow.allows(
                    action, state=advice_request.state, actor=request.user, account_id=advice_request.account_id
                )
                for action in (Action.ACCEPT, Action.RETURN)
            ),
            return_form=return_form or ReturnForm(submission=latest),
            # The decision refused, if any: the page's title and error summary speak of it (form_page.html).
            form=accept_form or return_form or ReturnForm(submission=latest),
            header_icon="tasks",
            queue_url=reverse("review_queue:index"),
        )
        response.status_code = status
        return response

    def _decided_too_early(self, request, pk, form, newer):
        """A decision on a page showing an earlier version: the page again, with the version it missed and the
        decision's form as posted (a return's words kept), its error summary saying why nothing was done."""
        form.add_error(None, str(newer))
        if isinstance(form, ReturnForm):
            return self.review_view(request, pk, return_form=form, status=409)
        return self.review_view(request, pk, accept_form=form, status=409)

    def accept_confirm_view(self, request, pk):
        """Accept's first step, reached from the review page with the version it showed: what accepting does, and the
        button that does it. Nothing is written; a request that cannot be accepted, or whose latest version is not
        the one read, is refused here as the accept itself would refuse it."""
        if not request.user.has_perm("advice_forms.change_advicerequest"):
            return forbidden(request)
        advice_request = self._advice_request(pk)
        if advice_request.state == workflow.RequestState.ACCEPTED:
            # Back after accepting comes here: what was asked has been done, which is no error.
            messages.info(request, "This advice has been accepted.")
            return redirect("review_queue:review", pk=pk)
        try:
            workflow.transition_check(
                Action.ACCEPT, state=advice_request.state, actor=request.user, account_id=advice_request.account_id
            )
            latest = request_services.submission_read_check(
                advice_request=advice_request, read_number=_read_number(request.GET)
            )
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal), extra_tags=TAKES_FOCUS)
            return redirect("review_queue:review", pk=pk)
        except request_services.NewerSubmission as newer:
            form = forms.Form({})
            form.is_valid()
            return self._decided_too_early(request, pk, form, newer)
        return render_nameless(
            request,
            "accept_confirm",
            "Accept this advice",
            advice_request,
            advice_request=advice_request,
            child=advice_request.child,
            latest=latest,
            confirmed_field=ACCEPT_CONFIRMED,
            review_url=_review_url(advice_request),
            header_icon="tasks",
        )

    def accept_view(self, request, pk):
        if not request.user.has_perm("advice_forms.change_advicerequest"):
            return forbidden(request)
        advice_request = self._advice_request(pk)
        # A GET (the address reloaded or bookmarked: accepting is POST only) goes to the review page, as return's
        # does: the confirmation needs the version read, which only the review page's Accept button sends, and the
        # caseworker reads the advice before accepting it. The checks above answer a GET as they answer a POST.
        if request.method != "POST":
            return redirect("review_queue:review", pk=pk)
        read_number = _read_number(request.POST)
        if request.POST.get(ACCEPT_CONFIRMED) != "yes":  # the review page's Accept: confirm first
            confirm_url = reverse("review_queue:accept_confirm", args=[pk])
            return redirect(f"{confirm_url}?submission={read_number}" if read_number else confirm_url)
        form = forms.Form(request.POST)
        form.is_valid()
        try:
            request_services.submission_accept(
                advice_request=advice_request, actor=request.user, read_number=read_number, request=request
            )
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal), extra_tags=TAKES_FOCUS)
            return redirect("review_queue:review", pk=pk)
        except request_services.NewerSubmission as newer:
            return self._decided_too_early(request, pk, form, newer)
        accepted = f"Accepted: {advice_request.form_version.title} for {advice_request.child}."
        messages.success(request, accepted, extra_tags=TAKES_FOCUS)
        return redirect("review_queue:index")

    def return_view(self, request, pk):
        if not request.user.has_perm("advice_forms.change_advicerequest"):
            return forbidden(request)
        advice_request = self._advice_request(pk)
        if request.method != "POST":  # reloaded or bookmarked (POST only): the review page, whose form returns
            return redirect("review_queue:review", pk=pk)
        latest = advice_request.submissions.select_related("form_version").order_by("-number").first()
        form = ReturnForm(request.POST, submission=latest)
        if not form.is_valid():
            return self.review_view(request, pk, return_form=form)
        try:
            request_services.submission_return(
                advice_request=advice_request,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                sections=form.cleaned_data["sections"],
                read_number=_read_number(request.POST),
                request=request,
            )
        except ValidationError as error:  # the service's own checks, said beside the field they name
            form.add_error(None, error)
            return self.review_view(request, pk, return_form=form)
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal), extra_tags=TAKES_FOCUS)
            return redirect("review_queue:review", pk=pk)
        except request_services.NewerSubmission as newer:
            return self._decided_too_early(request, pk, form, newer)
        messages.success(
            request,
            f"Returned to {advice_request.account.display_name}: the form is open again for them, with your reason.",
            extra_tags=TAKES_FOCUS,
        )
        return redirect("review_queue:index")

    def submission_pdf_view(self, request, pk):
        """A submitted PDF, filed now if the task has not run yet, sent on to the child's document download (which
        checks, audits and may hand the bytes to the web server)."""
        if not request.user.has_perm("advice_forms.view_submission"):
            return forbidden(request)
        submission = get_object_or_404(Submission.objects.select_related("request"), pk=pk)
        document = submission_pdf_store(submission_id=submission.pk)
        return redirect("casework_document_download", child_id=submission.request.child_id, document_id=document.pk)


# Overdue advice


class OverdueFilterSet(WagtailFilterSet):
    whose = django_filters.ChoiceFilter(
        choices=[("mine", "Children I co-ordinate"), ("all", "All co-ordinators")],
        method="filter_whose",
        label="Whose children",
        empty_label=None,
    )

    class Meta:
        model = AdviceRequest
        fields = ["whose"]

    def filter_whose(self, queryset, name, value):
        return queryset  # applied in the view, where "mine" is the default


class OverdueIndexView(RequestListingView):
    page_title = "Overdue advice"

    def get_base_queryset(self):
        everyone = self.request.GET.get("whose") == "all"
        return selectors.overdue_requests(coordinator=None if everyone else self.request.user)


class OverdueAdviceViewSet(RequestViewSetMixin, ModelViewSet):
    name = "overdue_advice"
    icon = "warning"
    menu_label = "Overdue advice"
    index_view_class = OverdueIndexView
    filterset_class = OverdueFilterSet
    list_display = [
        *_request_columns(),
        Column("state", label="State", accessor=lambda r: r.get_state_display()),
        Column("coordinator", label="EHC co-ordinator", accessor=_coordinator_column),
        Column("due", label="Due", accessor=_due_column),
        request_actions.RequestActionsColumn("actions", label="Actions"),
    ]


def caseworkers_only(request):
    """Whether this member of staff sees casework in the admin's menu and on its dashboard."""
    return request.user.has_perm(VIEW)


class CaseworkToDoPanel(Component):
    """The admin dashboard's "Casework to do" for caseworkers: how many are waiting in each list of the Casework menu,
    each linked to its list, counted by the reads those lists make (advice_forms.selectors.casework_to_do)."""

    name = "casework_to_do"
    template_name = "advice_forms/casework/to_do_panel.html"
    order = 100  # first: Wagtail's own panels start at 110

    LINES = [  # (what selectors.casework_to_do counts, what it is, the list's URL)
        ("review", "Submissions waiting for review", "review_queue:index"),
        ("overdue", "Overdue advice requests for children you co-ordinate", "overdue_advice:index"),
        ("access", "Requests for access to a document waiting for a decision", "casework_access_requests"),
        ("changes", "Reported changes to a child's details not yet dealt with", "casework_change_reports"),
    ]

    def get_context_data(self, parent_context):
        counts = selectors.casework_to_do(parent_context["request"].user)
        rows = [(label, counts[key], reverse(url_name)) for key, label, url_name in self.LINES]
        return {"rows": [row for row in rows if row[1]]}  # only what is waiting; none says "Nothing is waiting"


class ChildRecordSearchArea(SearchArea):
    """The admin's search (the sidebar's box, and the dashboard's for staff without pages to search: cms's
    wagtailadmin/home.html) finds child records for staff who may see them: the Child records listing, searched as its
    own box searches (selectors.child_records_matching), listing only what they may open. After Pages (order 100), so
    a superuser's search still finds pages first, and before Images and Documents."""

    def __init__(self):
        super().__init__(
            "Child records", reverse("child_records:index"), name="child-records", icon_name="user", order=150
        )

    def is_shown(self, request):
        return request.user.has_perm(VIEW)


class CaseworkGroup(ViewSetGroup):
    menu_label = "Casework"
    menu_icon = "folder-open-inverse"
    menu_order = 240
    items = (ChildRecordViewSet, ReviewQueueViewSet, OverdueAdviceViewSet)

    def get_submenu_items(self):
        # The professionals' requests for access and reported changes (advice_forms.admin.records) sit here too.
        extra = [
            AdminMenuItem("Access requests", reverse("casework_access_requests"), icon_name="key", order=400),
            AdminMenuItem("Reported changes", reverse("casework_change_reports"), icon_name="edit", order=410),
        ]
        for item in extra:
            item.is_shown = caseworkers_only
        return super().get_submenu_items() + extra
