"""Documents of a request's child (uploads and submitted PDFs): list, upload, download through the one checked view
(the answer itself is downloads.file_response, shared with the admin's), withdraw an upload, request access."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from advice_forms.downloads import file_response
from advice_forms.events import CaseworkEvent
from advice_forms.models import AccessRequestState, document_types_read_once
from advice_forms.portal.records import (
    back_to,
    kept_at_time_out,
    record_context,
    record_form_data,
    render_record,
    step_return_url,
)
from advice_forms.record_forms import DocumentUploadForm
from advice_forms.selectors import (
    access_request_states,
    document_for_request,
    documents_for_request,
    documents_hidden_by_initials,
    opens_others_writing,
    own_upload_for_request,
    request_for_account,
)
from advice_forms.services.access_requests import document_access_request
from advice_forms.services.documents import document_upload, document_withdraw
from advice_forms.uploads import checked_upload_parsing
from advice_forms.workflow import NotEditable
from cms.services import audit_record
from portal_pages.access import professional_required
from portal_pages.kept_typing import keeps_typing

BACK_TEXT = "Back to documents"
UPLOAD_REFUSED = "This advice has been accepted, so documents can no longer be added to it."
WITHDRAW_REFUSED = (
    "The request this document was uploaded with has been submitted, so it can no longer be withdrawn. "
    "Ask the EHC co-ordinator to delete it."
)
INITIALS_ONLY = (
    "The SEND service has shared only the child's initials with your team, so your team can download only the "
    "documents it added. If you need the others, ask the EHC co-ordinator to share the child's full details with "
    "your team."
)
# The same, said once, when the record holds documents other teams added that the page does not list.
INITIALS_ONLY_HIDDEN = (
    "Your team sees this child by initials only, so the documents other teams added to the child’s record are not "
    "shown here, and your team can download only the documents it added. If you need the others, ask the EHC "
    "co-ordinator to share the child’s full details with your team."
)


def _documents_back(request, advice_request):
    """Where a document's own pages go back to: the wizard step they were opened from (``?step=``), else the list."""
    return step_return_url(request, advice_request, reverse("portal:request_documents", args=[advice_request.pk]))


@keeps_typing  # the title and type: a chosen file cannot be kept, so the page asks for it again
@csrf_exempt  # the upload's size and name are checked while the body is read, so CSRF is checked just after
@professional_required
@require_http_methods(["GET", "POST"])
def request_documents(request, pk):
    if request.method == "POST":
        checked_upload_parsing(request)
    return _request_documents(request, pk)


@csrf_protect
def _request_documents(request, pk):
    advice_request = request_for_account(request.user, pk)
    form = kept = None
    if advice_request.takes_supporting:
        if request.method == "POST":
            form = DocumentUploadForm(
                request.POST,
                request.FILES,
                oversized=bool(request.portal_oversized_uploads),
            )
            if form.is_valid():
                try:
                    document = document_upload(
                        advice_request=advice_request,
                        account=request.user,
                        uploaded=form.cleaned_data["file"],
                        title=form.cleaned_data["title"],
                        document_type=form.cleaned_data["document_type"],
                        request=request,
                    )
                except NotEditable:  # accepted while the file came in
                    messages.error(request, UPLOAD_REFUSED)
                else:
                    messages.success(request, f"“{document.title}” has been uploaded.")
                return redirect("portal:request_documents", pk=advice_request.pk)
        else:
            data, kept = record_form_data(request)
            # A chosen file is never kept: typing kept at a time-out is shown as typed, not checked for the file
            # (the banner already asks for it again), until the professional presses Upload.
            form = DocumentUploadForm(initial=data.dict() if kept else None)
    elif request.method == "POST":
        messages.error(request, UPLOAD_REFUSED)
        return redirect("portal:request_documents", pk=advice_request.pk)
    documents = document_types_read_once(documents_for_request(advice_request))
    hidden = documents_hidden_by_initials(advice_request)
    asked = access_request_states(request.user, [d.pk for d in documents])
    for document in documents:
        document.access_requested = asked.get(document.pk) == AccessRequestState.WAITING
        document.access_refused = asked.get(document.pk) == AccessRequestState.REFUSED
    return render(
        request,
        "advice_forms/records/documents.html",
        record_context(
            advice_request,
            documents=documents,
            form=form,
            kept_at_time_out=kept_at_time_out(kept),
            initials_only=None
            if opens_others_writing(advice_request)
            else (INITIALS_ONLY_HIDDEN if hidden else INITIALS_ONLY),
            documents_hidden=hidden,
        ),
    )


@professional_required
@require_http_methods(["GET"])
def request_document(request, pk, document_pk):
    """The file, for its uploader and the accounts it was made available to; otherwise a way to ask for it."""
    advice_request = request_for_account(request.user, pk)
    document = document_for_request(advice_request, document_pk)
    if document.downloadable:
        audit_record(action=CaseworkEvent.DOCUMENT_DOWNLOADED, actor=request.user, target=document, request=request)
        return file_response(document)
    if not opens_others_writing(advice_request):
        raise Http404("Through this request the account sees the child by initials only: none of its documents.")
    asked = access_request_states(request.user, [document.pk]).get(document.pk)
    return render_record(
        request,
        advice_request,
        "document_request_access",
        document=document,
        access_requested=asked == AccessRequestState.WAITING,
        access_refused=asked == AccessRequestState.REFUSED,
        **back_to(_documents_back(request, advice_request), BACK_TEXT),
    )


@professional_required
@require_POST
def request_document_access(request, pk, document_pk):
    advice_request = request_for_account(request.user, pk)
    document = document_for_request(advice_request, document_pk)
    if not opens_others_writing(advice_request):
        messages.error(request, INITIALS_ONLY)
    elif not document.downloadable:
        document_access_request(document=document, account=request.user, advice_request=advice_request, request=request)
        messages.success(
            request,
            f"You have asked for access to “{document.title}”. The EHC co-ordinator has been told, and the "
            "document will show a download link in the documents list once they allow it.",
        )
    return redirect(_documents_back(request, advice_request))


@professional_required
@require_http_methods(["GET", "POST"])
def request_document_withdraw(request, pk, document_pk):
    advice_request = request_for_account(request.user, pk)
    document = own_upload_for_request(advice_request, document_pk)
    back = _documents_back(request, advice_request)
    if document.advice_request is None or not document.advice_request.is_editable:
        messages.error(request, WITHDRAW_REFUSED)
        return redirect(back)
    if request.method == "POST":
        from_form = document.waits_for_its_form
        try:
            document_withdraw(document=document, account=request.user, request=request)
        except NotEditable:  # submitted while the page was open
            messages.error(request, WITHDRAW_REFUSED)
        else:
            messages.success(
                request, f"“{document.title}” has been {'removed from your form' if from_form else 'withdrawn'}."
            )
        return redirect(back)
    return render_record(request, advice_request, "document_withdraw", document=document, **back_to(back, BACK_TEXT))
