"""A caseworker's actions on a request still with its team account, offered wherever an overdue request is shown
(the overdue list, the child's record, the request's page): change its due date, and send a reminder now.

HTTP glue: the rules (which states, who, how often) live in advice_forms.services.requests and advice_forms.workflow.
ReviewQueueViewSet (casework.py) registers the views, behind its 403 for staff without casework permissions.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import BaseColumn

from advice_forms import workflow
from advice_forms.admin.records import render_nameless
from advice_forms.models import AdviceRequest
from advice_forms.services import due_dates
from advice_forms.workflow import Action
from cms.flash_messages import TAKES_FOCUS
from cms.form_fields import date_ahead_example, typed_date
from cms.formats import govuk_date
from cms.forms import posted
from cms.permissions import forbidden

CHANGE = "advice_forms.change_advicerequest"
# Where an action goes back to: the page it was taken from (the request's own page unless one of these).
BACK = {"overdue": "overdue_advice:index", "record": "child_records:inspect"}


class DueDateForm(forms.Form):
    # Typed (cms.form_fields.typed_date): Wagtail's date picker opened under the box and lay over the button below it,
    # so a click on the button chose a day of the calendar instead of sending the form.
    due_date = forms.DateField(label="Due date", error_messages={"required": "Enter the due date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        typed_date(self.fields["due_date"], example=self.due_date_example(), thing="due")

    def due_date_example(self) -> str:
        """The date the hint gives as an example of a due date."""
        return date_ahead_example()

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise ValidationError("The due date must be today or in the future")
        return due_date


def holder_name(account) -> str:
    """A team account's name where a caseworker sees who holds a request, with why it cannot sign in beside it in a
    word or two ("Oakfield Primary SENCO (dormant)": User.cannot_sign_in_because): no reminder can reach it, so the
    form is best shared with another."""
    reason = account.cannot_sign_in_because
    return f"{account.display_name} ({reason})" if reason else account.display_name


# What the account's message and email hold of a new due date (due_dates.advice_request_due_date_change).
NEW_DUE_DATE_TOLD = {"inbox": " with the new date", "email_says": "that a due date has changed"}


def account_told(account=None, *, who="the team account", inbox="", email_says="that a message is waiting") -> str:
    """How a team account hears of what a caseworker does, as the page confirming it and the message after it say
    (accept, share, a new due date): ``who`` "is told in its portal inbox" (``inbox``: what the message holds
    besides, " with the new date"), and by an email that says only ``email_says``; for an account that cannot sign
    in (``User.can_sign_in``), which inbox_message_send never emails, that the message waits and why no email is
    sent. ``account`` None: one still to be chosen from those that can sign in (ShareForm offers no other)."""
    told = f"{who} is told in its portal inbox{inbox}"
    if account is None or account.can_sign_in:
        return f"{told}, and by an email that says only {email_says}"
    return (
        f"{told}, where the message waits until it can sign in again; no email is sent, because the account is "
        f"{account.cannot_sign_in_because}"
    )


def actions_for(user, advice_request) -> dict:
    """Which actions advice_forms/casework/request_actions.html offers ``user`` on ``advice_request``: no "Send a
    reminder" to an account that cannot sign in (``User.can_sign_in``; due_dates refuses the click too). The account
    is read only where the workflow offers the reminder, as the button's words read it then anyway."""

    def may(action):
        return workflow.allows(action, state=advice_request.state, actor=user, account_id=advice_request.account_id)

    may_remind = may(Action.REMIND_NOW) and advice_request.account.can_sign_in
    return {"may_change_due_date": may(Action.CHANGE_DUE_DATE), "may_remind": may_remind}


def _back_url(request, advice_request):
    back = request.POST.get("back") or request.GET.get("back")
    if back == "overdue":
        return reverse(BACK[back])
    if back == "record":
        return reverse(BACK[back], args=[advice_request.child_id])
    return reverse("review_queue:review", args=[advice_request.pk])


def _request(pk):
    return get_object_or_404(AdviceRequest.objects.select_related("child", "form_version", "account"), pk=pk)


def due_date_view(request, pk):
    if not request.user.has_perm(CHANGE):
        return forbidden(request)
    advice_request = _request(pk)
    back_url = _back_url(request, advice_request)
    try:  # the permission is checked above: only the state can refuse here
        workflow.transition_check(
            Action.CHANGE_DUE_DATE, state=advice_request.state, actor=request.user, account_id=advice_request.account_id
        )
    except workflow.TransitionNotAllowed as refusal:
        messages.error(request, str(refusal), extra_tags=TAKES_FOCUS)
        return redirect(back_url)
    # Bound on any POST, an empty one too: it gets "Enter the due date", not a fresh form without a word.
    form = DueDateForm(posted(request), initial={"due_date": advice_request.due_date})
    if request.method == "POST" and form.is_valid():
        try:
            changed = due_dates.advice_request_due_date_change(
                advice_request=advice_request,
                due_date=form.cleaned_data["due_date"],
                actor=request.user,
                request=request,
            )
        except workflow.TransitionNotAllowed as refusal:
            messages.error(request, str(refusal), extra_tags=TAKES_FOCUS)
        else:
            told = account_told(changed.account, who=changed.account.display_name, **NEW_DUE_DATE_TOLD)
            messages.success(
                request, f"The due date is now {govuk_date(changed.due_date)}. {told}.", extra_tags=TAKES_FOCUS
            )
        return redirect(back_url)
    return render_nameless(
        request,
        "due_date",
        "Change the due date",
        advice_request,
        advice_request=advice_request,
        form=form,
        back=request.GET.get("back", request.POST.get("back", "")),
        back_url=back_url,
        new_due_date_told=NEW_DUE_DATE_TOLD,
        header_icon="date",
    )


def remind_view(request, pk):
    if not request.user.has_perm(CHANGE):
        return forbidden(request)
    advice_request = _request(pk)
    if request.method != "POST":  # reloaded or bookmarked (POST only): the page whose button sends it, nothing sent
        return redirect(_back_url(request, advice_request))
    try:
        reminded = due_dates.advice_request_remind_now(
            advice_request=advice_request, actor=request.user, request=request
        )
    except (workflow.TransitionNotAllowed, ValidationError) as refusal:
        messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])), extra_tags=TAKES_FOCUS)
    else:
        minutes = int(due_dates.REMINDER_AGAIN_AFTER.total_seconds() // 60)
        messages.success(
            request,
            f"A reminder has been sent to {reminded.account.display_name}. You can send another in {minutes} minutes.",
            extra_tags=TAKES_FOCUS,
        )
    return redirect(_back_url(request, advice_request))


class RequestActionsColumn(BaseColumn):
    """The overdue list's column of actions: the Overdue tag, "Change due date" and "Send a reminder"."""

    cell_template_name = "advice_forms/casework/request_actions_cell.html"

    class Media:
        css = {"all": ["advice_forms/admin.css"]}

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), "advice_request": instance}
