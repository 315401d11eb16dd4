"""Outcomes of a request's child: listed by Type; added (always new), edited and deleted by their author only."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from advice_forms.portal.records import back_to, record_form_data, render_record, step_return_url
from advice_forms.record_forms import OutcomeForm
from advice_forms.selectors import (
    account_team,
    opens_others_writing,
    outcomes_by_type,
    outcomes_hidden_by_initials,
    own_outcome_for_request,
    request_for_account,
)
from advice_forms.services import outcomes as outcome_services
from advice_forms.workflow import NotEditable
from portal_pages.access import professional_required
from portal_pages.kept_typing import keeps_typing

BACK_TEXT = "Back to outcomes"

NOT_EDITABLE = (
    "This advice has been accepted, so its outcomes can no longer be changed here. "
    "Ask the EHC co-ordinator if something needs to change."
)


def _while_editable(view):
    """For the views that change outcomes: the account's request and, where the URL names one, the account's own
    outcome on that child. Once the advice is accepted (the outcome's own request, for an outcome), they go
    back to the list with the reason instead, also when it is accepted while they save. Opened from a wizard step
    (``?step=``), they go back to that step."""

    @wraps(view)
    def checked(request, pk, outcome_pk=None):
        advice_request = request_for_account(request.user, pk)
        outcome = None if outcome_pk is None else own_outcome_for_request(advice_request, outcome_pk)
        back = step_return_url(request, advice_request, reverse("portal:request_outcomes", args=[advice_request.pk]))
        if not (outcome.advice_request if outcome else advice_request).takes_supporting:
            messages.error(request, NOT_EDITABLE)
            return redirect(back)
        try:
            if outcome is None:
                return view(request, advice_request, back)
            return view(request, advice_request, outcome, back)
        except NotEditable:  # accepted between the check above and the service's own, under the request's lock
            messages.error(request, NOT_EDITABLE)
            return redirect(back)

    return checked


def _fields(form):
    data = form.cleaned_data
    return {
        "team": data["team"],
        "need_type": data["need_type"],
        "provision": data["provision"],
        "timescale": data["timescale"],
    }


@professional_required
@require_http_methods(["GET"])
def request_outcomes(request, pk):
    advice_request = request_for_account(request.user, pk)
    return render_record(
        request,
        advice_request,
        "outcomes",
        groups=outcomes_by_type(advice_request),
        initials_only=not opens_others_writing(advice_request),
        outcomes_hidden=outcomes_hidden_by_initials(advice_request),
    )


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
@_while_editable
def request_outcome_add(request, advice_request, back):
    data, kept = record_form_data(request)
    form = OutcomeForm(data, own_team=account_team(request.user))
    if request.method == "POST" and form.is_valid():
        outcome = outcome_services.outcome_create(
            advice_request=advice_request,
            account=request.user,
            outcome=form.cleaned_data["outcome"],
            request=request,
            **_fields(form),
        )
        messages.success(request, f"Your outcome has been added under {outcome.need_type.display_name}.")
        return redirect(back)
    return render_record(
        request, advice_request, "outcome_form", form=form, kept=kept, adding=True, **back_to(back, BACK_TEXT)
    )


@keeps_typing
@professional_required
@require_http_methods(["GET", "POST"])
@_while_editable
def request_outcome_edit(request, advice_request, outcome, back):
    newer = kept = None
    if request.method == "POST":
        form = OutcomeForm(request.POST, instance=outcome)
        if form.is_valid():
            try:
                outcome_services.outcome_update(
                    outcome=outcome,
                    account=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    outcome_text=form.cleaned_data["outcome"],
                    request=request,
                    **_fields(form),
                )
            except outcome_services.OutcomeStale as stale:
                # Keep what they typed, show what was saved meanwhile; saving again now is a deliberate choice.
                newer = stale.outcome
                data = request.POST.copy()
                data["version"] = str(newer.version)
                form = OutcomeForm(data, instance=newer)
                form.is_valid()
            else:
                messages.success(request, "Your outcome has been saved.")
                return redirect(back)
    else:
        # Typing kept at a time-out carries the version it was typed against: saving it over a newer one is refused.
        data, kept = record_form_data(request)
        form = OutcomeForm(data, instance=outcome)
    return render_record(
        request,
        advice_request,
        "outcome_form",
        form=form,
        kept=kept,
        outcome=outcome,
        newer=newer,
        adding=False,
        **back_to(back, BACK_TEXT),
    )


@professional_required
@require_http_methods(["GET", "POST"])
@_while_editable
def request_outcome_delete(request, advice_request, outcome, back):
    if request.method == "POST":
        outcome_services.outcome_delete_own(outcome=outcome, account=request.user, request=request)
        messages.success(request, "Your outcome has been deleted.")
        return redirect(back)
    return render_record(request, advice_request, "outcome_delete", outcome=outcome, **back_to(back, BACK_TEXT))
