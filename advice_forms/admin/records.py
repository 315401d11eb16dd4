"""Staff pages, linked from a child record in the admin: its documents, uploads and submitted PDFs alike (the one
checked download, availability per account, refusing a request for access with a reason, delete with a reason),
outcomes (delete with a reason, the outcomes report PDF), contacts and contributions, each with its audit history, and
the changes to its details that professionals reported; and the lists of access requests and reported changes that
co-ordinators are emailed about, where a reported change is marked as dealt with. What each page lists comes from
advice_forms.selectors; every change goes through a service.

Everything here needs ``advice_forms.view_childrecord``; changes need ``advice_forms.change_childrecord``. Staff
without it get the admin's refusal (cms.permissions.forbidden), checked before anything is looked up or the method is
read, as at the Casework menu's viewsets.
"""

from functools import partial

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from advice_forms.downloads import file_response
from advice_forms.events import CaseworkEvent
from advice_forms.models import (
    AccessRequest,
    AdviceRequest,
    ChildRecord,
    Document,
    DocumentState,
    Outcome,
    OutcomeState,
    document_types_read_once,
)
from advice_forms.record_forms import AccessRefusalForm, AvailabilityForm, ReasonForm
from advice_forms.selectors import (
    access_requests_for_document,
    access_requests_waiting,
    accounts_seeing_child_by_initials,
    accounts_seeing_child_in_full,
    change_report_place,
    change_reports_for_child,
    change_reports_waiting,
    contacts_for_child,
    contributions_for_child,
    current_contacts,
    deals_with_child,
    documents_for_child,
    outcomes_for_child,
    outcomes_for_pdf,
)
from advice_forms.services import access_requests as access_services
from advice_forms.services import documents as document_services
from advice_forms.services import involvement as involvement_services
from advice_forms.services import outcomes as outcome_services
from advice_forms.templatetags.advice_records import request_marker
from cms.admin_views import (
    ADMIN_PAGE_SIZE,
    PAGE_PARAM,
    admin_list_page,
    back_to_list_row,
    list_number,
    list_return_url,
)
from cms.flash_messages import TAKES_FOCUS
from cms.forms import posted
from cms.models import AuditEntry
from cms.pdf import pdf_response, render_pdf
from cms.permissions import forbidden, forbidden_without
from cms.services import audit_record

VIEW = "advice_forms.view_childrecord"
CHANGE = "advice_forms.change_childrecord"


def child_viewed(request, child, **data):
    """Audit one view of a child record: ids only, never the child's details. Every page that shows a child's record
    records its view here. A HEAD is no view: a signed-in HEAD reaches the view as HEAD (cms.head_requests), and a
    class-based view (inspect, edit) or one that takes any method (review) answers it with its GET, so it is skipped
    here, the one place every such page passes through, rather than in each view's ``http_method_names``."""
    if request.method == "HEAD":
        return
    audit_record(action=CaseworkEvent.CHILD_RECORD_VIEWED, actor=request.user, target=child, request=request, data=data)


def _child(request, child_id):
    child = get_object_or_404(ChildRecord.objects.select_related("coordinator"), pk=child_id)
    child_viewed(request, child)
    return child


def _delete_with_reason(request, child, delete, *, title: str, thing: str, done: str, list_view: str, rows, anchor, pk):
    """Ask for a reason, then ``delete(by=, reason=, request=)`` and go back to the child's ``list_view``, listing
    ``rows``, at the page the Delete was pressed on and the row after the one deleted (which stays, as deleted:
    ``back_to_list_row``), each row ``#<anchor><pk>``; Cancel goes back to that page at the row ``pk`` itself."""
    form = ReasonForm(posted(request))
    list_url = reverse(list_view, args=[child.pk])
    if request.method == "POST" and form.is_valid():
        delete(by=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(request, done)
        return back_to_list_row(request, rows, list_url, anchor=anchor, list_anchor="listing", row_stays=True)
    return _render(
        request,
        "delete_with_reason",
        child,
        title,
        thing=thing,
        form=form,
        cancel_url=list_return_url(request, rows, list_url, row_anchor=f"{anchor}{pk}"),
    )


# Where a deletion's reason is kept: on the deleted row, never in its audit entry.
REASON_FIELDS = {CaseworkEvent.DOCUMENT_DELETED: "state_reason", CaseworkEvent.OUTCOME_DELETED: "deleted_reason"}


def _history(objects, item, *, only=()):
    """The audit entries of ``objects`` (a queryset), newest first, each with ``item_name``: ``item(obj)``, what the
    page calls the object, and ``why``: a deletion's reason. Entries hold ids only (the audit log is read by roles
    that see no casework), so both are read from the object, which is never deleted for real: a deleted one is named
    as it was when it was deleted, and deleted once, with its reason. The entries are read first (at most 200), then
    only their objects, and of those only the fields ``only`` names when it names any (``item``'s and the reason's):
    a child's hundreds of documents are not read whole to name the few in its history."""
    content_type = ContentType.objects.get_for_model(objects.model)
    ids = objects.order_by().annotate(audit_target=Cast("pk", CharField())).values("audit_target")
    entries = list(AuditEntry.objects.filter(target_type=content_type, target_id__in=ids).select_related("actor")[:200])
    if not entries:
        return []
    named = {entry.target_id for entry in entries}
    if only:
        related = {field.rsplit("__", 1)[0] for field in only if "__" in field}  # select_related() would join all
        objects = objects.model.objects.select_related(*related) if related else objects.model.objects.all()
        objects = objects.only(*only)
    by_id = {str(obj.pk): obj for obj in objects.filter(pk__in=named)}
    labels = dict(CaseworkEvent.choices)
    for entry in entries:  # "Document downloaded", not the stored code "document.downloaded"
        entry.action_label = labels.get(entry.action, entry.action)
        obj, reason_field = by_id[entry.target_id], REASON_FIELDS.get(entry.action)
        entry.item_name = item(obj)
        # An entry whose event is not its object's own (an outcome's deletion on a document) has no reason to show:
        # one such row must not make the child's tab unopenable.
        entry.why = getattr(obj, reason_field, "") if reason_field else ""
    return entries


def _document_name(document):
    """A document as a caseworker finds it in the list above: its title, and its file's name and size, which tell
    apart the files uploaded to one question (each titled with the question)."""
    file = ", ".join(filter(None, [document.original_filename, document.size_display]))
    return f"{document.title} ({file})"


def _outcome_name(outcome):
    """An outcome as a caseworker finds it in the list above: its Type and Team in words, as the list names them,
    and how its words begin."""
    return f"{outcome.need_type.display_name}, {outcome.team.display_name}: {Truncator(outcome.outcome).words(8)}"


NAMELESS_TITLE = "advice_forms/casework/nameless_title.html"


def nameless_title(context, template_names, what, record):
    """The context of NAMELESS_TITLE, the one template of every admin page about one child record or one request: it
    renders the first of ``template_names`` under the <title> "``what``: child record 12", or for an AdviceRequest
    "``what``: ERSA – request 7" (the portal's request_marker), which browsers keep in their history (on shared
    council computers too). ``what`` is what the page is, from the view's code, never from the record; the child's
    name stays in the page's heading."""
    marker = request_marker(record) if isinstance(record, AdviceRequest) else f"child record {record.pk}"
    return {**context, "titled_template": select_template(template_names), "title_what": what, "record_marker": marker}


def render_nameless(request, template, what, record, **context):
    """An admin page about one child record or one request: ``template`` (under advice_forms/casework/) in
    NAMELESS_TITLE, titled by ``what`` and the record's marker (``nameless_title``), its heading ``what`` unless the
    context says otherwise."""
    context = {"page_title": what, "header_title": what, **context}
    return TemplateResponse(
        request, NAMELESS_TITLE, nameless_title(context, [f"advice_forms/casework/{template}.html"], what, record)
    )


def _render(request, template, child, title, **context):
    """A child record's page: headed "``title``: the child's name", titled by ``title`` and the record's number."""
    return render_nameless(
        request, template, title, child, child=child, page_title=f"{title}: {child.full_name}", **context
    )


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def documents(request, child_id):
    child = _child(request, child_id)
    listed = admin_list_page(request, documents_for_child(child), noun="document", noun_plural="documents")
    listed["items"].object_list = document_types_read_once(listed["items"].object_list)
    return _render(
        request,
        "documents",
        child,
        "Documents",
        **listed,
        history=_history(
            documents_for_child(child), _document_name, only=("title", "original_filename", "size", "state_reason")
        ),
        may_change=request.user.has_perm(CHANGE),
    )


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def document_download(request, child_id, document_id):
    child = _child(request, child_id)
    document = get_object_or_404(Document.objects.select_related("submission"), pk=document_id, child=child)
    audit_record(action=CaseworkEvent.DOCUMENT_DOWNLOADED, actor=request.user, target=document, request=request)
    return file_response(document, for_staff=True)


def _availability_return(request, child, document):
    """Where "Who may download" goes back to, as (rows, list url, rows' anchor, the request for access): the Access
    requests list when it was opened from one of its rows (``?access=``, a waiting request for access to this
    document, with the list's ``p`` and ``row``), else the child's documents."""
    access_pk = list_number(request.GET.get("access"), lowest=1, highest=2**63 - 1)
    rows = access_requests_waiting(request.user)
    if access_pk is not None and rows.filter(pk=access_pk, document=document).exists():
        return rows, reverse("casework_access_requests"), "access-", access_pk
    return documents_for_child(child), reverse("casework_documents", args=[child.pk]), "document-", None


@forbidden_without(CHANGE)
@require_http_methods(["GET", "POST"])
def document_availability(request, child_id, document_id):
    child = _child(request, child_id)
    document = get_object_or_404(Document, pk=document_id, child=child, state=DocumentState.CURRENT)
    # An account that sees the child by initials only is never given its documents: not offered, and refused if
    # posted anyway (the service refuses it too).
    initials_only = list(accounts_seeing_child_by_initials(child).exclude(pk=document.uploaded_by_id))
    # A post with no box ticked is an answer (nobody but the uploader and staff); one without the form's closing
    # marker lost its body on the way and is refused, storing nothing.
    form = AvailabilityForm(
        posted(request),
        accounts=accounts_seeing_child_in_full(child).exclude(pk=document.uploaded_by_id),
        refused=initials_only,
        refused_message=document_services.initials_only_message,
        initial={"accounts": list(document.available_to.all())},
    )
    rows, list_url, anchor, access_pk = _availability_return(request, child, document)
    if request.method == "POST" and form.is_valid():
        try:
            document_services.document_availability_set(
                document=document, accounts=form.cleaned_data["accounts"], by=request.user, request=request
            )
        except document_services.SeesChildByInitials as refused:  # shared with initials only while the page was open
            form.add_error("accounts", str(refused))
        else:
            messages.success(request, f"Who may download “{document.title}” has been saved.", extra_tags=TAKES_FOCUS)
            # A request for access the answer granted has left the Access requests list, its next row in its place;
            # one it did not is still there (until it is refused: access_request_refuse), as a document always is, and
            # the caseworker lands back on the row just changed, as Cancel does.
            if access_pk is not None and not rows.filter(pk=access_pk).exists():
                return back_to_list_row(request, rows, list_url, anchor=anchor, list_anchor="listing")
            return redirect(list_return_url(request, rows, list_url, row_anchor=f"{anchor}{access_pk or document.pk}"))
    asked = access_requests_for_document(document)
    return _render(
        request,
        "document_availability",
        child,
        "Who may download",
        document=document,
        form=form,
        asked=asked,
        initials_only=initials_only,
        initials_only_message=document_services.initials_only_message(initials_only) if initials_only else "",
        cancel_url=list_return_url(
            request, rows, list_url, row_anchor=f"{anchor}{access_pk if access_pk else document.pk}"
        ),
        query=request.GET.urlencode(),
    )


@forbidden_without(CHANGE)
@require_http_methods(["GET", "POST"])
def access_request_refuse(request, child_id, document_id, access_id):
    """Refuse one waiting request for access to a document, with a reason, from "Who may download" (whose query
    string, naming the Access requests row it was opened from, if any, it keeps): back to the Access requests list
    when it was that row's request (it has left the list), else to "Who may download". One no longer waiting was
    answered meanwhile: said, and nothing stored."""
    child = _child(request, child_id)
    document = get_object_or_404(Document, pk=document_id, child=child, state=DocumentState.CURRENT)
    access = get_object_or_404(AccessRequest.objects.select_related("account"), pk=access_id, document=document)
    rows, list_url, anchor, access_pk = _availability_return(request, child, document)
    query = request.GET.urlencode()
    decision_url = reverse("casework_document_availability", args=[child.pk, document.pk])
    decision_url += f"?{query}" if query else ""
    form = AccessRefusalForm(posted(request))
    if access.resolved_at is not None:
        messages.error(request, "This request for access has already been answered", extra_tags=TAKES_FOCUS)
        return redirect(decision_url)
    if request.method == "POST" and form.is_valid():
        try:
            access_services.access_request_refuse(
                access=access, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except access_services.AccessRequestDecided:
            messages.error(request, "This request for access has already been answered", extra_tags=TAKES_FOCUS)
            return redirect(decision_url)
        messages.success(
            request,
            f"{access.account}’s request for access to “{document.title}” has been refused.",
            extra_tags=TAKES_FOCUS,
        )
        if access_pk == access.pk:  # opened from its row of the Access requests list, which it has left
            return back_to_list_row(request, rows, list_url, anchor=anchor, list_anchor="listing")
        return redirect(decision_url)
    return _render(
        request,
        "access_request_refuse",
        child,
        "Refuse a request for access",
        document=document,
        access=access,
        form=form,
        cancel_url=decision_url,
    )


@forbidden_without(CHANGE)
@require_http_methods(["GET", "POST"])
def document_delete(request, child_id, document_id):
    child = _child(request, child_id)
    document = get_object_or_404(Document, pk=document_id, child=child, state=DocumentState.CURRENT)
    return _delete_with_reason(
        request,
        child,
        partial(document_services.document_delete, document=document),
        title="Delete a document",
        thing=document.title,
        done=f"“{document.title}” has been deleted.",
        list_view="casework_documents",
        rows=documents_for_child(child),
        anchor="document-",
        pk=document.pk,
    )


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def outcomes(request, child_id):
    child = _child(request, child_id)
    return _render(
        request,
        "outcomes",
        child,
        "Outcomes",
        **admin_list_page(request, outcomes_for_child(child), noun="outcome", noun_plural="outcomes"),
        history=_history(
            outcomes_for_child(child),
            _outcome_name,
            only=("outcome", "deleted_reason", "need_type__code", "need_type__name", "team__code", "team__name"),
        ),
        may_change=request.user.has_perm(CHANGE),
    )


@forbidden_without(CHANGE)
@require_http_methods(["GET", "POST"])
def outcome_delete(request, child_id, outcome_id):
    child = _child(request, child_id)
    outcome = get_object_or_404(Outcome, pk=outcome_id, child=child, state=OutcomeState.CURRENT)
    return _delete_with_reason(
        request,
        child,
        partial(outcome_services.outcome_delete, outcome=outcome),
        title="Delete an outcome",
        thing=outcome.outcome[:200],
        done="The outcome has been deleted.",
        list_view="casework_outcomes",
        rows=outcomes_for_child(child),
        anchor="outcome-",
        pk=outcome.pk,
    )


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def outcomes_report(request, child_id):
    """The child's outcomes as a PDF, grouped by Type then Team, shown in the browser: its title and file name give the
    record's number, not the child's name (the outcomes_report.html template)."""
    child = _child(request, child_id)
    data = render_pdf(
        "advice_forms/pdf/outcomes_report.html",
        {
            "child": child,
            "outcome_groups": outcomes_for_pdf(child),
            "now": timezone.localtime(),
            "made_by": request.user.person_name,
        },
    )
    response = pdf_response(data, filename=f"outcomes-child-record-{child.pk}.pdf")
    response["Cache-Control"] = "no-store"
    return response


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def contacts(request, child_id):
    child = _child(request, child_id)
    return _render(
        request,
        "contacts",
        child,
        "Professional involvement",
        **admin_list_page(request, current_contacts(child), noun="professional", noun_plural="professionals"),
        history=_history(contacts_for_child(child), str, only=("name", "role")),
    )


def _contribution_name(contribution):
    """As the page heads each contribution."""
    return f"Recorded by {contribution.advice_request.account}"


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def contribution(request, child_id):
    child = _child(request, child_id)
    contributions = list(contributions_for_child(child))
    return _render(
        request,
        "contribution",
        child,
        "Contribution and communication method",
        contributions=contributions,
        history=_history(contributions_for_child(child), _contribution_name),
    )


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def child_change_reports(request, child_id):
    """Every change to the child's details a professional reported, dealt with or not; one waiting links to Reported
    changes, where it is dealt with, for the staff who deal with the child."""
    child = _child(request, child_id)
    return _render(
        request,
        "child_change_reports",
        child,
        "Reported changes",
        reports=change_reports_for_child(child),
        deals_with_child=deals_with_child(request.user, child),
    )


def _casework_list(request, template, title, heading, icon, **context):
    """A list of the Casework menu kept outside its viewsets (advice_forms/casework/``template``.html): the header bar
    of the others (Review queue, Overdue advice), with the breadcrumb back to the dashboard and the menu's icon."""
    header = {
        "page_title": title,
        "header_title": heading,
        "header_icon": icon,
        "breadcrumbs_items": [*WagtailAdminTemplateMixin.breadcrumbs_items, {"url": "", "label": title}],
    }
    return TemplateResponse(request, f"advice_forms/casework/{template}.html", {**header, **context})


@forbidden_without(VIEW)
@require_http_methods(["GET"])
def access_requests(request):
    listed = admin_list_page(
        request, access_requests_waiting(request.user), noun="access request", noun_plural="access requests"
    )
    return _casework_list(
        request, "access_requests", "Access requests", "Requests for access to documents", "key", **listed
    )


@forbidden_without(VIEW)
@require_http_methods(["GET", "POST"])
def change_reports(request):
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            return forbidden(request)
        report_pk = list_number(request.POST.get("report"), lowest=1, highest=2**63 - 1)
        if report_pk is None:
            raise Http404("No reported change is named.")
        # One already dealt with is not found: the page lists only those waiting.
        report = get_object_or_404(change_reports_waiting(request.user), pk=report_pk)
        involvement_services.details_change_report_resolve(report=report, by=request.user, request=request)
        messages.success(request, "The report has been marked as dealt with.")
        return back_to_list_row(
            request, change_reports_waiting(request.user), request.path, anchor="report-", list_anchor="reports"
        )
    linked = list_number(request.GET.get("report"), lowest=1, highest=2**63 - 1)
    if linked is not None:  # a link to one report (the review page's): the page it is on, at it
        place = change_report_place(request.user, linked)
        if place is not None:
            return redirect(f"{request.path}?{PAGE_PARAM}={place // ADMIN_PAGE_SIZE + 1}#report-{linked}")
    listed = admin_list_page(
        request, change_reports_waiting(request.user), noun="reported change", noun_plural="reported changes"
    )
    return _casework_list(
        request, "change_reports", "Reported changes", "Reported changes to child records", "edit", **listed
    )


def urlpatterns():
    base = "casework/child-records/<int:child_id>/"
    return [
        path(f"{base}documents/", documents, name="casework_documents"),
        path(f"{base}documents/<int:document_id>/download/", document_download, name="casework_document_download"),
        path(
            f"{base}documents/<int:document_id>/availability/",
            document_availability,
            name="casework_document_availability",
        ),
        path(
            f"{base}documents/<int:document_id>/access-requests/<int:access_id>/refuse/",
            access_request_refuse,
            name="casework_access_request_refuse",
        ),
        path(f"{base}documents/<int:document_id>/delete/", document_delete, name="casework_document_delete"),
        path(f"{base}outcomes/", outcomes, name="casework_outcomes"),
        path(f"{base}outcomes/report.pdf", outcomes_report, name="casework_outcomes_report"),
        path(f"{base}outcomes/<int:outcome_id>/delete/", outcome_delete, name="casework_outcome_delete"),
        path(f"{base}contacts/", contacts, name="casework_contacts"),
        path(f"{base}contribution/", contribution, name="casework_contribution"),
        path(f"{base}reported-changes/", child_change_reports, name="casework_child_change_reports"),
        path("casework/access-requests/", access_requests, name="casework_access_requests"),
        path("casework/reported-changes/", change_reports, name="casework_change_reports"),
    ]


def child_record_links(child):
    """(label, url) for the child record's admin page: the lead links these from it."""
    return [
        ("Documents", reverse("casework_documents", args=[child.pk])),
        ("Outcomes", reverse("casework_outcomes", args=[child.pk])),
        ("Professional involvement", reverse("casework_contacts", args=[child.pk])),
        ("Contribution and communication method", reverse("casework_contribution", args=[child.pk])),
        ("Reported changes", reverse("casework_child_change_reports", args=[child.pk])),
    ]
