"""The "Accounts" menu of the Wagtail admin: organisations, team accounts (invitations), the audit log (filtered by
the events each app registers through the ``register_audit_events`` hook); and two-factor sign-in for Wagtail's
private pages and documents (``portal_pages.access.restricted_content_refusal``)."""

import re

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lower
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django_filters.widgets import SuffixedMultiWidget
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy

from cms.admin_views import (
    EitherEndPaginator,
    KeptFromDeletionMixin,
    LocalTimeExportMixin,
    NamedRowsMixin,
    TimeColumn,
    TimedHistoryMixin,
    UnchangedSaveMixin,
)
from cms.form_fields import TypedDateInput, empty_choice_words, typed_date_read
from cms.formats import govuk_datetime
from cms.forms import SummaryTakesFocusMixin
from cms.models import (
    AUDIT_EVENTS_HOOK,
    AUDIT_STATES_HOOK,
    BY_THE_PORTAL,
    AuditEntry,
    audit_event_labels,
    audit_ip_address_shown,
    audit_state_labels,
    audit_target_reference,
)
from cms.outbox import RetryRefused
from cms.permissions import NotFoundWithoutPermissionMixin
from cms.selectors import EMAILS_NOT_SENT_ADDRESSES_HOOK, TASK_WORDS_HOOK
from portal_pages import admin_views
from portal_pages.access import restricted_content_refusal
from portal_pages.events import AccountEvent
from portal_pages.forms import ACCOUNT_EXISTS, SELECT_ORGANISATION, _personal_domains
from portal_pages.models import AccountState, Organisation, User
from portal_pages.otp import DeviceKind
from portal_pages.roles import CHANGE_USER, may_manage_account, team_accounts
from portal_pages.services.accounts import account_invite
from portal_pages.services.devices import has_device
from portal_pages.services.joining import join_requests_waiting
from portal_pages.services.moves import account_organisation_moved

CASEWORK_VIEW = "advice_forms.view_childrecord"


# A role that may not open an organisation's or a team account's page gets a 404 for every id, as for one that does
# not exist (NotFoundWithoutPermissionMixin).


SELECT_KIND = "Select the kind of organisation"


class OrganisationEditView(NotFoundWithoutPermissionMixin, UnchangedSaveMixin, generic.EditView):
    pass


class OrganisationDeleteView(NotFoundWithoutPermissionMixin, KeptFromDeletionMixin, generic.DeleteView):
    instead = (
        "To stop new accounts joining it and new child records naming it, switch it off instead: untick Active on "
        "its edit page."
    )


class OrganisationHistoryView(NotFoundWithoutPermissionMixin, TimedHistoryMixin, history.HistoryView):
    pass


class OrganisationUsageView(NotFoundWithoutPermissionMixin, usage.UsageView):
    pass


# An address ending as registration and invitations match it: labels of letters, digits and inner hyphens, dotted.
DOMAIN_SHAPE = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]")


class OrganisationForm(forms.ModelForm):
    """Wagtail's plain model form for the viewset's fields, with a list of kinds that starts in words; address endings
    kept as registration matches them (lower case, one a line, no duplicates) and a URN as the DfE gives it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        empty_choice_words(self.fields["kind"], SELECT_KIND, required_error=SELECT_KIND)

    def clean_email_domains(self):
        domains = Organisation(email_domains=self.cleaned_data["email_domains"]).domains
        wrong = [domain for domain in domains if not DOMAIN_SHAPE.fullmatch(domain)]
        if wrong:
            raise ValidationError(
                "Enter each email address ending on its own line, like oakfield-primary.example.org, with no "
                "https://, @ or spaces: %(wrong)s is not one",
                params={"wrong": ", ".join(f"“{domain}”" for domain in wrong)},
            )
        return "\n".join(dict.fromkeys(domains))

    def clean_urn(self):
        urn = self.cleaned_data["urn"]
        if urn is not None and not 100000 <= urn <= 999999:
            raise ValidationError("Enter the URN as its 6 digits, like 123456, or leave it empty for a service")
        return urn


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView
    history_view_class = OrganisationHistoryView
    usage_view_class = OrganisationUsageView
    icon = "group"
    menu_label = "Organisations"
    form_fields = ["name", "kind", "email_domains", "is_active", "urn", "address"]
    list_display = [
        "name",
        "kind",
        Column("is_active", label="Active", accessor=lambda organisation: "Yes" if organisation.is_active else "No"),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "email_domains"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=OrganisationForm, formfield_callback=self.formfield_for_dbfield, fields=self.form_fields
        )


# Team accounts


ORGANISATION_REQUIRED = "Select the organisation"
TEAM_ORGANISATION_HELP = "The school, setting or service this team account belongs to."


def _organisations_to_offer(current_id=None):
    """Active organisations, and the account's own even when it is switched off, so saving an edit keeps it."""
    return Organisation.objects.filter(Q(is_active=True) | Q(pk=current_id))


class InvitationForm(WagtailAdminModelForm):
    """Staff create a team account for an organisation; it chooses its own password from the emailed link."""

    class Meta:
        model = User
        fields = ["organisation", "email", "display_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisation, email, name = self.fields["organisation"], self.fields["email"], self.fields["display_name"]
        organisation.required = True
        organisation.queryset = _organisations_to_offer()
        empty_choice_words(organisation, SELECT_ORGANISATION, required_error=ORGANISATION_REQUIRED)
        organisation.help_text = TEAM_ORGANISATION_HELP
        email.error_messages["required"] = "Enter the email address"
        name.required = True
        name.error_messages["required"] = "Enter the name"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email.rsplit("@", 1)[-1] in _personal_domains():
            raise ValidationError("Use the organisation's generic work address, not a personal one")
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(ACCOUNT_EXISTS)
        return email

    def clean(self):
        """An invited address ends with one of its organisation's address endings, as a registration's must: one
        without endings takes no invitation until they are added (registering to it asks to join instead)."""
        cleaned = super().clean()
        organisation, email = cleaned.get("organisation"), cleaned.get("email")
        if organisation:
            refusal = _address_refusal(organisation, email, self.for_user)
            if refusal:
                self.add_error("organisation" if not organisation.domains else "email", refusal)
        return cleaned


def _address_refusal(organisation, email, for_user, doing: str = "inviting someone to it") -> str:
    """Why ``email`` may not belong to ``organisation`` (its address endings do not take it, or it has none yet),
    or "" when it may: for an invitation and for a team account moved to another organisation. Those who may change
    organisations are told to add the ending; others, to ask a portal administrator."""
    where = f"(Accounts, then Organisations, then {organisation.name})"
    may_add = for_user is not None and for_user.has_perm("portal_pages.change_organisation")
    if not organisation.domains:
        ending = "its email address ending"
        add = f"Add {ending}" if may_add else f"Ask a portal administrator to add {ending}"
        return f"{organisation.name} has no email address endings yet. {add} {where} before {doing}"
    if email and not organisation.allows_email(email):
        add = "add it to the organisation first" if may_add else "ask a portal administrator to add it first"
        return (
            f"The address must end with @{' or @'.join(organisation.domains)}. If this organisation also uses "
            f"another email address ending, {add} {where}"
        )
    return ""


class TeamAccountEditForm(SummaryTakesFocusMixin, WagtailAdminModelForm):
    """An account that belongs to an organisation keeps one. An account waiting for a decision on its request to
    join has neither Organisation nor Active here: the decision, in Requests to join, links the organisation and
    lets it sign in, once (set here, the list named one organisation while the request still named another)."""

    class Meta:
        model = User
        fields = ["display_name", "organisation", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.join_waiting = (
            join_requests_waiting().filter(account_id=self.instance.pk).first() if self.instance.pk else None
        )
        if self.join_waiting:
            del self.fields["organisation"], self.fields["is_active"]
            return
        organisation = self.fields["organisation"]
        organisation.queryset = _organisations_to_offer(self.instance.organisation_id)
        organisation.required = self.instance.organisation_id is not None
        empty_choice_words(organisation, SELECT_ORGANISATION, required_error=ORGANISATION_REQUIRED)
        organisation.help_text = TEAM_ORGANISATION_HELP
        self.fields["is_active"].help_text = admin_views.ACCOUNT_ACTIVE_HELP

    def clean(self):
        """A team account moved to another organisation keeps an address that organisation's endings take, as an
        invitation to it must (the same words); an account that keeps its organisation is not checked again."""
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation and "organisation" in self.changed_data:
            refusal = _address_refusal(organisation, self.instance.email, self.for_user, "moving an account to it")
            if refusal:
                self.add_error("organisation", refusal)
        return cleaned


class TeamAccountNamesMixin(NamedRowsMixin):
    """The team-account views say "team account" where Wagtail would say "user"."""

    noun = "team account"
    noun_plural = "team accounts"


class TeamAccountsOnlyMixin(NotFoundWithoutPermissionMixin, TeamAccountNamesMixin):
    """Every team-account view finds only team accounts, as the list does: a staff or superuser id is a 404, as is
    any id to a role without the view's permission. Each names the account by its work address: the name it shows
    to others may be shared by several."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not team_accounts().filter(pk=instance.pk).exists():
            raise Http404
        return instance

    def get_page_subtitle(self):
        return self.object.email


def _account_actions(request_user, account, back: str = "") -> list[MenuItem]:
    """Reset two-factor sign-in and, for a dormant account, Reactivate: for those who may change team accounts (the
    views check it again). ``back`` is the admin page they come back to."""
    if not request_user.has_perm(CHANGE_USER):
        return []
    actions = [("Reset two-factor sign-in", "portal_reset_two_factor", "key", 40)]
    if account.account_state == AccountState.DORMANT:
        actions.append(("Reactivate", "portal_reactivate", "undo", 41))
    query = f"?{urlencode({'next': back})}" if back else ""
    return [
        MenuItem(label, url=reverse(url_name, args=[account.pk]) + query, icon_name=icon_name, priority=priority)
        for label, url_name, icon_name, priority in actions
    ]


class TeamAccountEditView(
    TeamAccountsOnlyMixin, UnchangedSaveMixin, admin_views.ActiveSwitchAuditedMixin, generic.EditView
):
    """Says which account this is and where it is in its life above the form, with its actions in the header. A
    refused save shows the GOV.UK error summary (its template), not Wagtail's banner as well."""

    page_title = "Edit team account"
    error_message = None

    def save_instance(self):
        """A move to another organisation is audited (ids only) beside Wagtail's own "Edited", which names no field."""
        moved_from = self.form.initial.get("organisation")
        with transaction.atomic():
            instance = super().save_instance()
            if "organisation" in self.form.changed_data:
                account_organisation_moved(
                    user=instance, from_organisation_id=moved_from, actor=self.request.user, request=self.request
                )
        return instance

    def get_success_message(self):
        return f"Team account {self.object.email} updated."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        join = context["form"].join_waiting
        if join and admin_views.may_approve_joining(self.request.user):
            context["decide_url"] = reverse("portal_join_request_decide", args=[join.pk])
        context["join_waiting"] = join
        return context

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(item.label, url=item.url, icon_name=item.icon_name, priority=item.priority)
            for item in _account_actions(self.request.user, self.object, back=self.request.path)
        ]


class TeamAccountDeleteView(
    TeamAccountsOnlyMixin, KeptFromDeletionMixin, admin_views.AccountDeletionAuditedMixin, generic.DeleteView
):
    page_title = "Delete team account"
    instead = admin_views.ACCOUNT_KEPT_INSTEAD


class TeamAccountHistoryView(TeamAccountsOnlyMixin, TimedHistoryMixin, history.HistoryView):
    pass


class TeamAccountUsageView(TeamAccountsOnlyMixin, usage.UsageView):
    pass


class TeamAccountCreateView(TeamAccountNamesMixin, admin_views.InvitationAddMixin, generic.CreateView):
    page_title = "Invite a team account"
    error_message = "The invitation was not sent: correct what the form says below."

    def invite(self):
        data = self.form.cleaned_data
        account = User(
            email=data["email"], display_name=data["display_name"].strip(), organisation=data["organisation"]
        )
        return account_invite(user=account, invited_by=self.request.user, request=self.request)

    def get_success_message(self, instance):
        return (
            f"{instance.email} has been invited. Once the account has chosen its password from the link in the email,"
            " forms can be shared with it."
        )


class TeamAccountIndexView(TeamAccountNamesMixin, generic.IndexView):
    add_item_label = "Invite a team account"

    def get_base_queryset(self):
        return team_accounts(super().get_base_queryset()).select_related("organisation")

    @cached_property
    def verbose_name_plural(self):  # "There are no team accounts."
        return self.noun_plural

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.verbose_name, paginator.verbose_name_plural = self.noun, self.noun_plural  # "3 team accounts"
        return paginator

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + _account_actions(self.request.user, instance)


class TeamAccountFilterSet(WagtailFilterSet):
    account_state = admin_views.account_state_filter()

    class Meta:
        model = User
        fields = ["organisation", "account_state"]


class TeamAccountViewSet(ModelViewSet):
    model = User
    name = "team_accounts"
    icon = "user"
    menu_label = "Team accounts"
    index_view_class = TeamAccountIndexView
    edit_template_name = "portal_pages/admin/team_account_edit.html"
    add_view_class = TeamAccountCreateView
    edit_view_class = TeamAccountEditView
    delete_view_class = TeamAccountDeleteView
    history_view_class = TeamAccountHistoryView
    usage_view_class = TeamAccountUsageView
    list_display = [
        "email",
        "display_name",
        "organisation",
        Column("account_state", label="State", accessor="shown_state", sort_key="account_state"),
        TimeColumn("last_login", label="Last signed in", sort_key="last_login"),
    ]
    filterset_class = TeamAccountFilterSet
    search_fields = ["email", "display_name"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return TeamAccountEditForm if for_update else InvitationForm


# Audit log


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Audit entries are written by services only: nobody adds, edits or deletes them in the admin."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and user.has_perm(self._get_permission_name("view"))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# Before Wagtail's own check of view restrictions, which counts a password alone as signed in.
@hooks.register("before_serve_page", order=-1)
def private_page_needs_the_code(page, request, serve_args, serve_kwargs):
    return restricted_content_refusal(request, page)


@hooks.register("before_serve_document", order=-1)
def private_document_needs_the_code(document, request):
    return restricted_content_refusal(request, document.collection)


@hooks.register(AUDIT_EVENTS_HOOK)
def account_events():
    return "Accounts", AccountEvent


@hooks.register(AUDIT_STATES_HOOK)
def account_states():
    return ((User, AccountState),)


@hooks.register(EMAILS_NOT_SENT_ADDRESSES_HOOK)
def team_account_addresses(user):
    """Reports → Emails not sent shows a portal administrator the emails to team accounts alone: the role manages
    those, and no staff account (whose password resets and notices the superuser's list shows)."""
    return team_accounts().values("email")


def _action_choices():
    """The events each app lists for the log (through the ``register_audit_events`` hook: a heading and a
    TextChoices), grouped and labelled, then any stored action that no list names, as it is stored."""
    groups, listed = [], set()
    for register in hooks.get_hooks(AUDIT_EVENTS_HOOK):
        heading, events = register()
        groups.append((heading, [(event.value, f"{event.label} ({event.value})") for event in events]))
        listed.update(event.value for event in events)
    stored = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    unlisted = [(action, action) for action in stored if action not in listed]
    return groups + ([("Other", unlisted)] if unlisted else [])


# The example a date under When gives, its day over 12 so that it reads one way only (5/12/2026: 5 December or
# 12 May?). Its boxes take 15/12/2026, 5/12/2026, 05/12/2026 or 2026-12-05 (cms.form_fields' TYPED_DATE_FORMATS), not
# "5 December 2026"; a mistyped one is told so beside the field and in the list's and the download's messages.
WHEN_EXAMPLE = "15/12/2026"


class TypedDateRangeWidget(SuffixedMultiWidget):
    """Wagtail's From and To boxes (DateRangePickerWidget's names, created_at_from and created_at_to) as typed dates
    (cms.form_fields.TypedDateInput): its date picker replaced a typed 5/12/2026 with today's date on leaving the box,
    and the list was filtered by that. Each box has a label, From or To, where Wagtail's had only a placeholder
    ("Date from"), which GOV.UK advises against: it goes as the person types, and reads as a value already given."""

    template_name = "portal_pages/admin/date_range_input.html"
    suffixes = ["from", "to"]
    labels = ["From", "To"]

    def __init__(self, attrs=None):
        super().__init__([TypedDateInput(), TypedDateInput()], attrs)

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subcontext, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subcontext["label"] = label
        return context


class AuditEntryFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "created_at" not in self.fields:  # the form alone, outside its filter set
            return
        when = self.fields["created_at"]
        when.help_text = f"For example, {WHEN_EXAMPLE}"
        for field, thing in zip(when.fields, ("start", "end"), strict=True):
            typed_date_read(field, example=WHEN_EXAMPLE, thing=thing)

    def errors_in_words(self) -> str:
        """Each filter in error by its label, with its errors: "When: Enter a real start date, like 15/12/2026." """
        said = []
        for name, errors in self.errors.items():
            words = " ".join(message.rstrip(".") + "." for message in errors)
            said.append(f"{self[name].label}: {words}" if name in self.fields else words)
        return " ".join(said)

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("created_at")
        if when and when.start and when.stop and when.start > when.stop:
            self.add_error("created_at", "The end date must be the same as or after the start date")
        return cleaned


class AuditEntryFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label="When", widget=TypedDateRangeWidget)
    action = django_filters.ChoiceFilter(choices=_action_choices, label="What happened")
    actor = django_filters.CharFilter(method="filter_actor", label="Who (name or email)")

    class Meta:
        model = AuditEntry
        fields = ["created_at", "action", "actor"]
        form = AuditEntryFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list of events, read once a request: given as the callable, it was read again (with a DISTINCT over the
        # whole log) each time the form's field was built, checked and drawn.
        self.filters["action"].extra["choices"] = _action_choices()

    def filter_actor(self, queryset, name, value):
        """Entries by an account whose name, as the Who column shows it (``User.person_name``: a member of staff's
        first and last names, a team account's name), or work address holds what was typed: the accounts are one
        subquery, nothing worked out an entry. A team account's people's names, which the column does not show, do
        not match."""
        typed = value.strip()
        named = User.objects.annotate(shown_name=User.person_name_sql()).filter(
            Q(shown_name__icontains=typed) | Q(email__icontains=typed)
        )
        return queryset.filter(actor__in=named.values("pk"))


def _with_account_emails(entries):
    """``entries``, each with what AuditEntry.target_reference shows of an account: its work address, read in one
    query for them all. Nothing else is looked up (str() of a casework target carries a child's name, so it is never
    called). Read for the entries shown only: worked out in the list's own query, it was worked out for every entry
    that query's OFFSET skips too (the last page of a 100,000-entry log took 1.1 s in the database)."""
    account_type = ContentType.objects.get_for_model(User)
    ids = {
        entry.target_id for entry in entries if entry.target_type_id == account_type.pk and entry.target_id.isdigit()
    }
    emails = {str(pk): email for pk, email in User.objects.filter(pk__in=ids).values_list("pk", "email")} if ids else {}
    for entry in entries:
        entry.target_account_email = emails.get(entry.target_id, "") if entry.target_type_id == account_type.pk else ""
    return entries


IP_ADDRESS = "IP address"
# The words the list, an entry's page and the downloads head each field with.
AUDIT_LABELS = {
    "created_at": "When",
    "action": "What happened",
    "actor": "Who",
    "target_reference": "Target",
    "ip_address": IP_ADDRESS,
}


def audit_reason_shown(entry, user) -> bool:
    """Whether ``user`` may read ``entry``'s reason (``reason_shown_on``)."""
    return reason_shown_on(entry.target_type.model_class() if entry.target_type_id else None, user)


def reason_shown_on(target_model, user) -> bool:
    """Whether ``user`` may read the reason of an entry about a ``target_model`` row. A reason on anything but an
    account is never shown to those who see no casework: casework reasons are kept on the casework rows, not here,
    and a guidance editor's reason is about a visitor's words."""
    return target_model in (None, User) or user.has_perm(CASEWORK_VIEW)


# What a download reads of each entry, in the order AuditEntryIndexView.to_row_dict unpacks it.
EXPORT_FIELDS = (
    "created_at",
    "action",
    "actor_id",
    "target_type_id",
    "target_id",
    "from_state",
    "to_state",
    "reason",
    "ip_address",
    KeyTextTransform("group", "data"),  # a role group's name (``audit_target_reference``), not the whole data
)
EXPORT_CHUNK = 2000
# The most entries the Excel download holds: openpyxl writes about 7,000 rows a second of CPU, and a sync gunicorn
# worker still writing after 30 s is killed mid-file, streamed or not. The CSV download, about five times as fast,
# holds at most settings.PORTAL_AUDIT_CSV_MAX_ROWS (100,000 by default: about 13 s through gunicorn), and the Excel
# one never more than that.
XLSX_MOST_ENTRIES = 50_000


def _accounts_looked_up(accounts, names, emails):
    """A download's lookups of ``accounts``: each one's name by its id, its work address by its id as text (what an
    entry's target holds)."""
    for account in accounts:
        names[account.pk], emails[str(account.pk)] = account.person_name, account.email


def _who_sql():
    """``AuditEntry.who`` as a database expression: the actor's ``person_name``, or "The portal" for no actor."""
    return Case(
        When(actor__isnull=True, then=Value(BY_THE_PORTAL)),
        default=User.person_name_sql(through="actor__"),
        output_field=CharField(),
    )


def audit_event_html(action: str, label: str):
    """An event in words with its stored code on a smaller line below ("Signed in" over "account.signed_in"), as the
    filter offers both: the words for the reader, the code for whoever searches by it or reads the downloads."""
    if label == action:  # no app lists it
        return action
    return format_html('{}<br><small class="w-text-text-meta">{}</small>', label, action)


class AuditEntryIndexView(LocalTimeExportMixin, generic.IndexView):
    """Targets are named by kind and id, and searched by action, target id and actor's address only (the Who filter
    also matches the name the Who column shows): the log is read by the portal administrator, who sees no casework,
    so a child's name must neither show nor match. An
    event is found by its code or by its words ("signed in"), which are the apps' own, never anything typed.

    Its CSV and Excel downloads give what the list shows, with each event in words, and the reason where the entry's
    page would show it to the reader (``audit_reason_shown``). A download reads the entries' columns a chunk at a
    time and each account's name, each kind of target and each state's words once, so it neither holds the log
    nor asks anything again for each row: a year's log (100,000 entries) took 22 s and 450 MB."""

    paginator_class = EitherEndPaginator  # the log's last pages, read from its oldest end

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", "target_type")

    def order_queryset(self, queryset):
        """The log sorted by a column (?ordering=) is sorted by id after it, in the same direction: entries made in the
        same second kept no order from one page to the next, and the last pages were read past every other entry
        (``EitherEndPaginator`` reads from the far end only a list ordered last by id). Who sorts by the name the
        column shows (``AuditEntry.who``), whatever its case, not by the user model's own order."""
        if (self.ordering or "").lstrip("-") == "actor":
            queryset = queryset.alias(shown_who=Lower(_who_sql())).order_by(self.ordering.replace("actor", "shown_who"))
        else:
            queryset = super().order_queryset(queryset)
        ordering = queryset.query.order_by
        last = ordering[-1] if ordering else None
        if isinstance(last, str) and last.lstrip("-") not in ("pk", "id"):
            queryset = queryset.order_by(*ordering, "-pk" if last.startswith("-") else "pk")
        return queryset

    @cached_property
    def filters_invalid(self):
        """Whether the filter form was filled in wrongly (a mistyped date under When). Wagtail then drops every
        filter and lists the whole log; here it lists nothing, and downloads nothing."""
        return self.filters is not None and self.filters.is_bound and not self.filters.is_valid()

    def filter_queryset(self, queryset):
        return queryset.none() if self.filters_invalid else super().filter_queryset(queryset)

    @cached_property
    def no_results_message(self):
        if self.filters_invalid:
            return f"Correct the filter to see the entries it chooses. {self.filters.form.errors_in_words()}"
        return super().no_results_message

    def get_filename(self):
        return f"audit-log-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def event_labels(self):
        return audit_event_labels()

    def paginate_queryset(self, queryset, page_size):
        """The page's entries, each with its event's words from the view's one copy of them (``action_label``),
        which the Event column and each entry's name read: working them out asks every app; and each target
        account's address (``_with_account_emails``)."""
        paginated = super().paginate_queryset(queryset, page_size)
        for entry in _with_account_emails(paginated[2]):  # the page's entries, as the table then reads them
            entry.action_label = self.event_labels.get(entry.action, entry.action)
        return paginated

    def search_queryset(self, queryset):
        found = super().search_queryset(queryset)
        if not self.is_searching:
            return found
        query = self.search_query.casefold()
        named = [action for action, label in self.event_labels.items() if query in label.casefold()]
        return (found | queryset.filter(action__in=named)) if named else found

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        """When, in the admin's one format ("5 December 2026 at 9:41am"), linking to the entry's page."""
        column_class = self._get_title_column_class(column_class)
        return column_class(
            field_name,
            label="When",
            sort_key=field_name,
            accessor=lambda entry: govuk_datetime(entry.created_at),
            get_url=self.get_inspect_url,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        if self.filters_invalid:
            return self._listing_with_error(
                f"Correct the filter before downloading: nothing was downloaded. {self.filters.form.errors_in_words()}"
            )
        # Not through the listing's context, which counts the whole list with len() and so holds every entry.
        queryset = self.get_queryset()
        if refusal := self._download_refusal(request.GET.get("export"), queryset.count()):
            return self._listing_with_error(refusal)
        self.export_lookups = self._export_lookups()
        rows = queryset.values_list(*EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
        return self.as_spreadsheet(rows, request.GET.get("export"))

    def _download_refusal(self, export_format, count):
        """Why a download of ``count`` entries is refused before any of it is written, or None. A download still
        being written when gunicorn's time-out ends the worker gives the administrator an error page and no file
        (a CSV of about 500,000 entries), so each format holds at most so many entries."""
        csv_most = settings.PORTAL_AUDIT_CSV_MAX_ROWS
        excel = export_format == self.FORMAT_XLSX
        most = min(XLSX_MOST_ENTRIES, csv_most) if excel else csv_most
        if count <= most:
            return None
        fewer = "Choose dates under When, or filter by what happened or who, to download fewer"
        if excel and count <= csv_most:
            fewer += f", or download the list as CSV, which holds up to {csv_most:,} entries"
        return (
            f"The {'Excel' if excel else 'CSV'} download holds at most {most:,} entries, and this list has {count:,}. "
            f"{fewer}. Nothing was downloaded."
        )

    def _listing_with_error(self, message):
        """Back to the list, with the same filters and ``message`` at its top."""
        messages.error(self.request, message)
        listing = self.request.GET.copy()
        del listing["export"]
        return redirect(f"{self.request.path}?{listing.urlencode()}" if listing else self.request.path)

    def _export_lookups(self):
        """What a download's rows are worked out from, read once: each account's name by id and work address by the
        id an entry's target holds (text), each kind of target (its content type, model and whether the reader sees
        its reasons) by content type id, and each state's words."""
        names, emails = {}, {}
        _accounts_looked_up(User.objects.all(), names, emails)
        kinds = {}
        for target_type in ContentType.objects.all():
            model = target_type.model_class()
            kinds[target_type.pk] = (target_type, model, reason_shown_on(model, self.request.user))
        return names, emails, kinds, audit_state_labels()

    def _export_accounts_read(self, ids):
        """Accounts the lookups do not hold: made since they were read (the entries are read as the file is written,
        after them), or a target account since deleted. Each is read once, so its rows name it as the others are
        named, and the download never stops part-way for want of it."""
        names, emails, _kinds, _states = self.export_lookups
        _accounts_looked_up(User.objects.filter(pk__in=ids), names, emails)
        for pk in ids:
            names.setdefault(pk, f"Account {pk}")
            emails.setdefault(str(pk), "")

    def to_row_dict(self, item):
        """A download's row from an entry's ``EXPORT_FIELDS``, in the viewset's ``list_export`` order."""
        created_at, action, actor_id, type_id, target_id, from_state, to_state, reason, ip_address, group = item
        names, emails, kinds, states = self.export_lookups
        target_type, model, reason_shown = kinds.get(type_id, (None, None, True))
        unread = {actor_id} - names.keys() if actor_id else set()
        if model is User and target_id.isdigit() and target_id not in emails:
            unread.add(int(target_id))
        if unread:
            self._export_accounts_read(unread)
        account_email = emails.get(target_id, "") if model is User else ""
        return {
            "created_at": created_at,
            "action_label": self.event_labels.get(action, action),
            "action": action,
            "actor_display": names[actor_id] if actor_id else BY_THE_PORTAL,  # as the list says (AuditEntry.who)
            "target_reference": audit_target_reference(target_type, target_id, account_email, group or ""),
            "get_from_state_display": states.get((model, from_state), from_state),
            "get_to_state_display": states.get((model, to_state), to_state),
            "reason_display": reason if reason_shown else "",
            "ip_address": audit_ip_address_shown(ip_address),  # as the list and the entry's page say
        }


# What an entry's data leads with (a device's kind before its id, a group's name before its permissions), and the
# words of a key that its own do not say well.
AUDIT_DATA_FIRST = ("device_kind", "group")
AUDIT_DATA_WORDS = {"is_superuser": "Superuser", "email_domain": "Email address ending"}


def _data_value_words(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    return str(value)


def audit_data_lines(data: dict, labels: dict) -> list[str]:
    """An entry's data as lines of "what: value" ("Device kind: Authenticator app"), not a dict, with each value in
    words (``labels``: a key's words for its stored value). A list is its items ("SEND caseworker, Form designer")
    or "none"; what was added and what was removed share a line ("Roles added: Caseworker; removed: none"). In the
    same order on every database (PostgreSQL's jsonb keeps no order)."""
    lines = []
    for key, value in sorted(data.items(), key=lambda item: (item[0] not in AUDIT_DATA_FIRST, item[0])):
        if key.endswith("_removed") and f"{key.removesuffix('_removed')}_added" in data:
            continue  # said with what was added
        words = labels[key](value) or value if key in labels else _data_value_words(value)
        if key.endswith("_added") and (removed := f"{key.removesuffix('_added')}_removed") in data:
            words = f"{words}; removed: {_data_value_words(data[removed])}"
        lines.append(f"{AUDIT_DATA_WORDS.get(key) or capfirst(key.replace('_', ' '))}: {words}")
    return lines


class AuditEntryInspectView(NotFoundWithoutPermissionMixin, generic.InspectView):
    """An entry's page, with the viewset's ``inspect_view_fields`` (the viewset passes its own to the view, so a
    ``fields`` set here would be ignored and every column shown: the target's type and id, not its reference)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not audit_reason_shown(self.object, request.user):
            self.fields = [field for field in self.fields if field != "reason"]

    def get_field_label(self, field_name, field):
        return AUDIT_LABELS.get(field_name) or super().get_field_label(field_name, field)

    def get_action_display_value(self):
        return audit_event_html(self.object.action, self.object.action_label)

    def get_created_at_display_value(self):
        return govuk_datetime(self.object.created_at)

    def get_ip_address_display_value(self):
        return self.object.ip_address_shown  # "Not recorded", not "None"

    def get_actor_display_value(self):
        return self.object.who  # "The portal", not "None"

    def get_data_display_value(self):
        """The entry's data in words (``audit_data_lines``), a device's kind in its words ("Authenticator app"), and why
        a try of an email was refused ("Their list was out of date")."""
        if not isinstance(self.object.data, dict):
            return self.object.data
        labels = {
            "device_kind": dict(DeviceKind.choices).get,
            "account_state": self.object.state_label,
            "refused": dict(RetryRefused.choices).get,
        }
        return linebreaksbr("\n".join(audit_data_lines(self.object.data, labels))) or "-"

    def get_object(self, queryset=None):
        entry = get_object_or_404(AuditEntry.objects.select_related("actor", "target_type"), pk=self.pk)
        return _with_account_emails([entry])[0]


# Nobody edits or deletes an entry; the log's other pages of one entry, like its inspect page, answer 404 to a role
# that may not open them, whether or not the id exists (how many entries there are is itself a fact about activity).


class AuditEntryEditView(NotFoundWithoutPermissionMixin, generic.EditView):
    pass


class AuditEntryDeleteView(NotFoundWithoutPermissionMixin, generic.DeleteView):
    pass


class AuditEntryHistoryView(NotFoundWithoutPermissionMixin, history.HistoryView):
    pass


class AuditEntryUsageView(NotFoundWithoutPermissionMixin, usage.UsageView):
    pass


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    name = "audit_log"
    icon = "history"
    menu_label = "Audit log"
    index_view_class = AuditEntryIndexView
    inspect_view_class = AuditEntryInspectView
    edit_view_class = AuditEntryEditView
    delete_view_class = AuditEntryDeleteView
    history_view_class = AuditEntryHistoryView
    usage_view_class = AuditEntryUsageView
    list_display = [
        "created_at",
        Column(
            "action",
            label=AUDIT_LABELS["action"],
            sort_key="action",
            accessor=lambda entry: audit_event_html(entry.action, entry.action_label),
        ),
        Column("actor", label=AUDIT_LABELS["actor"], sort_key="actor", accessor="who"),
        Column("target_reference", label="Target"),
        "from_state",
        "to_state",
        Column("ip_address", label=IP_ADDRESS, sort_key="ip_address", accessor="ip_address_shown"),
    ]
    list_export = [
        "created_at",
        "action_label",
        "action",
        "actor_display",
        "target_reference",
        "get_from_state_display",
        "get_to_state_display",
        "reason_display",
        "ip_address",
    ]
    export_headings = {
        "created_at": "When",
        "action_label": "What happened",
        "action": "Event",
        "actor_display": "Who",
        "target_reference": "Target",
        "get_from_state_display": "From state",
        "get_to_state_display": "To state",
        "reason_display": "Reason",
        "ip_address": IP_ADDRESS,
    }
    search_fields = ["action", "target_id", "actor__email"]
    filterset_class = AuditEntryFilterSet
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "action",
        "actor",
        "target_reference",
        "from_state",
        "to_state",
        "reason",
        "ip_address",
        "data",
    ]
    copy_view_enabled = False
    form_fields = []

    @property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(AuditEntry)


class AccountsViewSetGroup(ViewSetGroup):
    menu_label = "Accounts"
    menu_icon = "group"
    menu_order = 600
    items = (OrganisationViewSet, TeamAccountViewSet, AuditEntryViewSet)


@hooks.register("register_admin_viewset")
def register_accounts_viewsets():
    return AccountsViewSetGroup()


@hooks.register("register_admin_urls")
def account_admin_urls():
    return [
        path("accounts/<int:user_id>/reset-two-factor/", admin_views.reset_two_factor, name="portal_reset_two_factor"),
        path("accounts/<int:user_id>/reactivate/", admin_views.reactivate, name="portal_reactivate"),
        path("users/<int:user_id>/password-link/", admin_views.send_password_link, name="portal_send_password_link"),
        path("accounts/requests-to-join/", admin_views.join_requests, name="portal_join_requests"),
        path(
            "accounts/requests-to-join/<int:join_id>/",
            admin_views.join_request_decide,
            name="portal_join_request_decide",
        ),
    ]


class JoinRequestsMenuItem(AdminMenuItem):
    """The "Requests to join" menu item, with how many wait in its label, "Requests to join (3)" (Wagtail's menu items
    have no badge, and "(3 waiting)" was cut short in the sidebar at 1366 px): the item is made once for every
    request, so the count is read in ``render_component``, for each."""

    def is_shown(self, request):
        return admin_views.may_approve_joining(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        if waiting := admin_views.join_requests_waiting_count(request):
            component.label = f"{self.label} ({waiting})"
        return component


class JoinRequestsWaitingPanel(Component):
    """The admin dashboard tells those who decide requests to join how many wait, with the link to them."""

    name = "join_requests_waiting"
    template_name = "portal_pages/admin/join_requests_panel.html"
    order = 100  # first, before Wagtail's own panels (110 on)

    def __init__(self, waiting: int):
        self.waiting = waiting

    def get_context_data(self, parent_context):
        return {"waiting": self.waiting, "url": reverse("portal_join_requests")}


@hooks.register("construct_homepage_panels")
def join_requests_waiting_panel(request, panels):
    if admin_views.may_approve_joining(request.user) and (waiting := admin_views.join_requests_waiting_count(request)):
        panels.append(JoinRequestsWaitingPanel(waiting))


@hooks.register("register_admin_menu_item")
def join_requests_menu_item():
    return JoinRequestsMenuItem(
        "Requests to join", reverse("portal_join_requests"), icon_name="user", name="requests-to-join", order=601
    )


# After Wagtail's own (order 0), so these replace them in the bulk action registry: superusers only.
for action_class in admin_views.USER_BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class, order=1)


@hooks.register("register_user_listing_buttons")
def user_listing_account_buttons(user, request_user):
    """Also in Wagtail's own Users list: staff lose phones too. Reset 2FA only for an account with a device to
    remove (an invited account has none yet)."""
    if may_manage_account(request_user, user):
        if has_device(user):
            yield ListingButton("Reset 2FA", reverse("portal_reset_two_factor", args=[user.pk]), priority=110)
        if user.account_state == AccountState.DORMANT:
            yield ListingButton("Reactivate", reverse("portal_reactivate", args=[user.pk]), priority=111)


@hooks.register("register_admin_urls")
def session_admin_urls():
    return [path("keep-alive/", admin_views.keep_alive, name="portal_admin_keep_alive")]


@hooks.register("insert_global_admin_js")
def session_timeout_dialog():
    """The portal's time-out warning, for staff: the same dialog and script, in the admin's own button styles.

    Wagtail gives this hook no request, so the forms' CSRF fields are filled in the browser from the admin's own
    configuration (admin-session-timeout.js), which also leaves the dialog out of the sign-in pages.
    """
    return render_to_string("portal_pages/includes/admin_session_timeout.html")


@hooks.register(TASK_WORDS_HOOK)
def account_task_words():
    return {
        "portal_pages.tasks.accounts_mark_dormant": "Mark unused accounts dormant",
        "portal_pages.tasks.devices_remove_unconfirmed": "Remove unconfirmed authenticator apps",
        "portal_pages.tasks.password_reset_request": "Send a password reset email",
        "portal_pages.tasks.admin_password_reset_request": "Send a staff password reset email",
        "portal_pages.tasks.account_verification_resend": "Send the email address confirmation again",
        "portal_pages.tasks.account_register": "Register a team account",
    }
