"""The admin menus of advice forms, registered here and imported by nothing: "Advice forms" (form definitions,
dropdown lists, Teams and Types, form definition files in and out, for form designers) and "Casework" (child
records, the review queue, overdue advice, access requests and reported changes, for SEND caseworkers, whose
dashboard opens on "Casework to do" and whose admin search finds child records), with the
child record's pages around the form, a definition's "Download as JSON", the rule that keeps in-use terms, lists
and forms from deletion, the list of casework events the audit log filters by, and the operators' gauge of
submissions made today (/metrics)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.widgets import Button

from advice_forms.admin import records
from advice_forms.admin.casework import CaseworkGroup, CaseworkToDoPanel, ChildRecordSearchArea, caseworkers_only
from advice_forms.admin.definition_files import may_download
from advice_forms.admin.form_design import AdviceFormsGroup
from advice_forms.events import CaseworkEvent
from advice_forms.models import (
    DOCUMENT_TYPES_PURPOSE,
    AdviceRequest,
    ContactState,
    Document,
    DocumentState,
    DropdownList,
    FormDefinition,
    NeedType,
    Outcome,
    OutcomeState,
    ProfessionalContact,
    Team,
)
from advice_forms.selectors import (
    dropdown_list_drafts_using,
    dropdown_list_in_published_use,
    requests_by_inbox_link,
    submissions_today_count,
    taxonomy_term_usage,
)
from advice_forms.templatetags.advice_records import child_name
from advice_forms.workflow import RequestState
from cms.admin_choosers import MAY_CHOOSE_PAGES_HOOK
from cms.models import AUDIT_STATES_HOOK
from cms.selectors import TASK_WORDS_HOOK
from portal_pages.selectors import INBOX_ABOUT_HOOK

hooks.register("register_admin_viewset", AdviceFormsGroup)


@hooks.register("insert_global_admin_css")
def form_builder_css():
    """The form builder's own styles (advice_forms/static/advice_forms/form-builder.css), scoped by its classes."""
    return format_html('<link rel="stylesheet" href="{}">', static("advice_forms/form-builder.css"))


@hooks.register("register_snippet_listing_buttons")
def definition_download_button(snippet, user, next_url=None):
    """ "Download as JSON" among a form definition's actions in the list (a form definition file)."""
    if isinstance(snippet, FormDefinition) and may_download(user):
        yield Button(
            "Download as JSON",
            url=reverse("advice_forms_definition_files:download", args=[snippet.pk]),
            icon_name="download",
            priority=60,
        )


@hooks.register("before_delete_snippet")
def keep_what_is_in_use(request, instances):
    """Terms, lists and forms that answers, requests or draft forms rely on are retired or kept, never deleted."""
    refusals = []
    for instance in instances:
        if isinstance(instance, (Team, NeedType)) and taxonomy_term_usage(instance):
            refusals.append(f"{instance} is in use, so it cannot be deleted. Untick “active” to stop new use.")
        elif isinstance(instance, DropdownList) and dropdown_list_in_published_use(instance):
            refusals.append(f"Published forms use “{instance}”, so it cannot be deleted. Retire its options instead.")
        elif isinstance(instance, DropdownList) and (drafts := dropdown_list_drafts_using(instance)):
            forms = ", ".join(f"“{title}”" for title in drafts)
            refusals.append(
                f"Draft forms use “{instance}” ({forms}), so it cannot be deleted. Choose another list for their "
                "questions first."
            )
        elif isinstance(instance, DropdownList) and instance.purpose == DOCUMENT_TYPES_PURPOSE:
            refusals.append(
                f"“{instance}” gives the types professionals choose for an upload and names the type of every "
                "document filed, so it cannot be deleted. Retire its options instead."
            )
        elif isinstance(instance, FormDefinition) and instance.versions.exists():
            refusals.append(f"“{instance.title}” has published versions that requests rely on, so it is kept.")
    if refusals:
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None


hooks.register("register_admin_viewset", CaseworkGroup)
hooks.register("register_admin_search_area", ChildRecordSearchArea)


@hooks.register("construct_homepage_panels")
def casework_to_do_panel(request, panels):
    """A caseworker's dashboard opens on what is waiting for them; no one else's shows it."""
    if caseworkers_only(request):
        panels.append(CaseworkToDoPanel())


@hooks.register("register_audit_events")
def casework_events():
    """The audit log (portal_pages' "Accounts" menu) filters and labels by this list."""
    return "Casework", CaseworkEvent


@hooks.register(AUDIT_STATES_HOOK)
def casework_states():
    """The audit log shows a casework row's from and to states by these labels."""
    return (
        (AdviceRequest, RequestState),
        (Document, DocumentState),
        (Outcome, OutcomeState),
        (ProfessionalContact, ContactState),
    )


@hooks.register("register_portal_metrics")
def submissions_today_metric():
    """A gauge on /metrics (cms.metrics): how many submissions were made today."""
    return "portal_submissions_today", "Submissions made since midnight.", submissions_today_count


@hooks.register("register_admin_urls")
def casework_record_admin_urls():
    """A child record's documents, outcomes, contacts and contribution; linked from the record's page."""
    return records.urlpatterns()


@hooks.register(INBOX_ABOUT_HOOK)
def inbox_messages_name_the_child(account, links):
    """The inbox (portal_pages) shows beside each message about a request the child it is about, named as the
    request lets this account see them (the full name, or the initials), read now: never kept in the message."""
    return {link: child_name(advice_request) for link, advice_request in requests_by_inbox_link(account, links).items()}


@hooks.register(MAY_CHOOSE_PAGES_HOOK)
def form_designers_link_pages(user):
    """A form definition's guidance text and section intros have the "link" feature (advice_forms/blocks.py): whoever
    may add or change a definition may open the page chooser from them."""
    return user.has_perm("advice_forms.add_formdefinition") or user.has_perm("advice_forms.change_formdefinition")


@hooks.register(TASK_WORDS_HOOK)
def casework_task_words():
    return {
        "advice_forms.tasks.advice_requests_remind": "Send reminders of advice requests due",
        "advice_forms.tasks.submission_pdf_file": "File a submission's PDF in the child's documents",
    }
