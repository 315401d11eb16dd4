"""Professional involvement (contacts), the parent or carer's contribution, and reporting a change of details."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from advice_forms.form_builder import FormBuilder
from advice_forms.models import FormKind
from advice_forms.portal.records import back_to, record_form_data, render_record, request_page_url, step_return_url
from advice_forms.record_forms import ContactForm, ContributionForm, DetailsChangeForm
from advice_forms.selectors import (
    account_team,
    child_details_rows,
    contacts_for_request,
    contribution_for_request,
    own_contact_for_request,
    request_for_account,
)
from advice_forms.services import involvement as involvement_services
from advice_forms.workflow import NotEditable
from portal_pages.access import professional_required
from portal_pages.kept_typing import keeps_typing

CONTACTS_BACK_TEXT = "Back to professional involvement"
CONTRIBUTION_REFUSED = "This request has been submitted, so the contribution can no longer be changed."


@professional_required
@require_http_methods(["GET"])
def request_contacts(request, pk):
    advice_request = request_for_account(request.user, pk)
    return render_record(request, advice_request, "contacts", contacts=contacts_for_request(advice_request))


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
def request_contact_add(request, pk):
    advice_request = request_for_account(request.user, pk)
    back = step_return_url(request, advice_request, reverse("portal:request_contacts", args=[advice_request.pk]))
    data, kept = record_form_data(request)
    form = ContactForm(data, own_team=account_team(request.user))
    if request.method == "POST" and form.is_valid():
        contact = involvement_services.contact_create(
            advice_request=advice_request, account=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, f"{contact.name} has been added to the professionals involved.")
        return redirect(back)
    return render_record(
        request, advice_request, "contact_form", form=form, kept=kept, adding=True, **back_to(back, CONTACTS_BACK_TEXT)
    )


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
def request_contact_edit(request, pk, contact_pk):
    advice_request = request_for_account(request.user, pk)
    contact = own_contact_for_request(advice_request, contact_pk)
    back = step_return_url(request, advice_request, reverse("portal:request_contacts", args=[advice_request.pk]))
    kept = None
    if request.method == "POST":
        if "remove" in request.POST:
            involvement_services.contact_remove(contact=contact, by=request.user, request=request)
            messages.success(request, f"{contact.name} has been removed from the professionals involved.")
            return redirect(back)
        form = ContactForm(request.POST, instance=contact)
        if form.is_valid():
            involvement_services.contact_update(
                contact=contact, account=request.user, data=form.cleaned_data, request=request
            )
            messages.success(request, f"The details of {contact.name} have been saved.")
            return redirect(back)
    else:
        data, kept = record_form_data(request)
        form = ContactForm(data, instance=contact)
    return render_record(
        request,
        advice_request,
        "contact_form",
        form=form,
        kept=kept,
        contact=contact,
        adding=False,
        **back_to(back, CONTACTS_BACK_TEXT),
    )


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
def request_contribution(request, pk):
    """On an ERSA (or a form that asks for it): the SENCO records how the parent or carer took part and wishes to be
    contacted."""
    advice_request = request_for_account(request.user, pk)
    back = step_return_url(request, advice_request, request_page_url(advice_request))
    if advice_request.form_version.kind != FormKind.ERSA and not FormBuilder.for_version(
        advice_request.form_version
    ).asks("record_contribution"):
        raise Http404("Only an ERSA request records the parent or carer's contribution.")
    contribution = contribution_for_request(advice_request)
    kept = None
    if request.method == "POST":
        if not advice_request.is_editable:
            messages.error(request, CONTRIBUTION_REFUSED)
            return redirect(back)
        form = ContributionForm(request.POST)
        if form.is_valid():
            try:
                involvement_services.contribution_save(
                    advice_request=advice_request, account=request.user, data=form.cleaned_data, request=request
                )
            except NotEditable:  # submitted while the page was open
                messages.error(request, CONTRIBUTION_REFUSED)
            else:
                messages.success(request, "The parent or carer's contribution has been saved.")
            return redirect(back)
    else:
        initial = {}
        if contribution is not None:
            initial = {
                "contribution_methods": contribution.contribution_methods,
                "communication_methods": contribution.communication_methods,
                "interpreter_needed": "yes" if contribution.interpreter_needed else "no",
                "interpreter_language": contribution.interpreter_language,
                "parent_views": contribution.parent_views,
            }
        data, kept = record_form_data(request)
        form = ContributionForm(data, initial=initial)
    return render_record(
        request,
        advice_request,
        "contribution",
        form=form,
        kept=kept,
        contribution=contribution,
        child_details=child_details_rows(advice_request),
    )


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
def request_details_change(request, pk):
    """'Report a change to these details': a message to the co-ordinator, instead of asking anyone to email."""
    advice_request = request_for_account(request.user, pk)
    back = step_return_url(request, advice_request, request_page_url(advice_request))
    data, kept = record_form_data(request)
    form = DetailsChangeForm(data)
    if request.method == "POST" and form.is_valid():
        involvement_services.details_change_report(
            advice_request=advice_request, account=request.user, details=form.cleaned_data["details"], request=request
        )
        messages.success(request, "Thank you. The EHC co-ordinator has been told about the change.")
        return redirect(back)
    return render_record(
        request,
        advice_request,
        "details_change",
        form=form,
        kept=kept,
        child_details=child_details_rows(advice_request),
    )
