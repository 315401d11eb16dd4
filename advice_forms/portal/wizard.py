"""The never-lose-work wizard: one step per shown section of the request's pinned form version.

Built on django-formtools' NamedUrlWizardView (a URL per step, the steps helper, conditions per step),
with its known gaps closed (STACK-NOTES.md):

- `form_list` and `condition_dict` are built per request from the pinned FormDefinitionVersion;
- the storage is the AdviceRequest row, not the session: a step shows the last invalid post kept in
  `raw_steps` (with its errors), or else the saved answers; a GET never resets anything;
- every POST goes first to `services.drafts.draft_step_save`, valid or not, and only then decides where to go;
- a POST from an older copy of the step than the one saved since (another tab, or someone else signed in to the
  team account) is refused: the step shows again, with a 409, holding what this person typed and saying what happened;
- a POST to a request submitted (or accepted) since the step was opened is refused too, with a 403: nothing is
  written, and the step shows again holding the typing, with a banner saying it cannot be saved and how to keep it.

Record-backed questions (outcomes, contacts, contribution, the child's details) show the child record's rows, read
by `selectors.request_records`. Their "Add", "Change", "Delete" and "Report a change" are buttons of the step's
form: the step is saved first, then the professional goes to the same page around the form that the request page
links to (which checks the row is theirs), and comes back to the step (`?step=`, with `return=check` when the step was
opened from check answers). A required one with no rows stops "Save and continue" as an unanswered question does, and
shows its error on a "needs attention" link, in the words check answers uses (`selectors.request_problems`).
"""

import re
import uuid
from collections import OrderedDict

from django import forms
from django.conf import settings
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView

from advice_forms.fields import RepeatingGroupField
from advice_forms.form_builder import FormBuilder, SectionForm
from advice_forms.messages import lower_first
from advice_forms.portal.records import kept_at_time_out, return_to_check, step_query
from advice_forms.selectors import request_for_account, request_problems, request_records, task_list_position
from advice_forms.services.drafts import DraftNothingTyped, DraftStale, draft_step_revision, draft_step_save
from advice_forms.uploads import checked_upload_parsing, not_uploaded_message
from advice_forms.workflow import RequestNotEditable, RequestState
from cms.formats import govuk_datetime, govuk_time
from portal_pages.access import refusal
from portal_pages.kept_typing import keeps_typing, typing_take

# "Save and come back later" names this many answers to correct, then says how many more there are.
PROBLEMS_NAMED = 3


def saved_with_problems(title, form):
    """What "Save and come back later" says of a step saved with errors: the answers to correct, in the words of their
    errors (the first few, "and N more"), and each chosen file it could not keep (a draft cannot hold one)."""
    refused = form.refused_uploads()
    problems = list(dict.fromkeys(m for _href, m in form.error_summary() if m not in refused))
    if problems:
        named = [lower_first(m) for m in problems[:PROBLEMS_NAMED]]
        if len(problems) > PROBLEMS_NAMED:
            named.append(f"and {len(problems) - PROBLEMS_NAMED} more")
        these = "this answer needs" if len(problems) == 1 else "these answers need"
        listed = "; ".join(named)
        text = f"What you typed in “{title}” is saved, but {these} correcting before you can submit: {listed}."
    else:
        text = f"What you typed in “{title}” is saved, but some answers need correcting before you can submit."
    if refused:
        files = "This file was not kept" if len(refused) == 1 else "These files were not kept"
        text += f" {files}: {'; '.join(refused)}."
    return text


def saved_elsewhere_when(saved_at) -> str:
    """ "at 10:42am" (today) or "on 1 December 2026 at 10:42am": when a section was saved from another copy."""
    if saved_at is None:
        return ""
    if timezone.localdate(saved_at) == timezone.localdate():
        return f"at {govuk_time(saved_at)}"
    return f"on {govuk_datetime(saved_at)}"


def saved_elsewhere_message(saved_at) -> str:
    """What autosave says when it is refused because the section was saved from another copy since."""
    return (
        f"Not saved. This section was saved somewhere else {saved_elsewhere_when(saved_at)}: in another tab, or by "
        "someone else signed in to your team account. What you typed is still on this page. Save it to see your "
        "choices."
    )


# What autosave's status line says once a save meets a request submitted (or accepted) since the page was opened.
CLOSED_MESSAGE = (
    "Not saved. This form has been submitted, so what you typed cannot be saved. It is still on this page: the message "
    "at the top of the page says how to keep it."
)


def closed_while_open(advice_request, *, files=()) -> dict:
    """What a step's banner says when a save meets its request submitted or accepted since the page was opened: when
    it was submitted, and the files chosen in the refused post (``files``, their names), which were not uploaded."""
    submission = advice_request.submissions.order_by("-number").first()
    return {
        "when": saved_elsewhere_when(submission.submitted_at) if submission is not None else "",
        "accepted": advice_request.state == RequestState.ACCEPTED,
        "files": not_uploaded_message(files, again=False),
        "message": CLOSED_MESSAGE,
        "request_url": reverse("portal:request_detail", kwargs={"pk": advice_request.pk}),
    }


class AdviceRequestStorage(BaseStorage):
    """formtools storage read from the AdviceRequest the view put on ``request.advice_request``.

    Drafts belong to the request (the team account), so they outlive sessions and browsers. Writes go
    through ``services.drafts.draft_step_save`` only; this class never writes.
    """

    def __init__(self, prefix, request=None, file_storage=None):
        super().__init__(prefix, request, file_storage)
        self.advice_request = request.advice_request
        self._current_step = None

    def init_data(self):
        pass

    def reset(self):
        """A GET never throws a draft away."""

    def _get_current_step(self):
        return self._current_step

    def _set_current_step(self, step):
        self._current_step = step

    def _get_extra_data(self):
        return {}

    def _set_extra_data(self, extra_data):
        pass

    def get_step_data(self, step):
        raw = (self.advice_request.raw_steps or {}).get(step)
        return MultiValueDict(raw) if raw else None

    def set_step_data(self, step, cleaned_data):
        raise NotImplementedError("Drafts are written by advice_forms.services.drafts.draft_step_save.")

    def get_step_files(self, step):
        return None

    def set_step_files(self, step, files):
        pass

    def update_response(self, response):
        pass


NOTHING_RECEIVED = (
    "Nothing was received from the page, so nothing was saved. Your saved answers are below: check them and save again."
)


def _hide_errors(form):
    if form._errors is None:
        form.full_clean()  # checked first: text kept in error in a question its answers hide is still drawn in sight
    form._errors = ErrorDict()
    for form_field in form.fields.values():
        if isinstance(form_field, RepeatingGroupField):
            form_field.row_errors, form_field.row_error_parts, form_field.group_errors = {}, {}, []


# A record-backed question's buttons: action value "record:<what>[:<row id>]" -> the page around the form it opens.
RECORD_PAGES = {
    "outcome-add": ("portal:request_outcome_add", False),
    "outcome-change": ("portal:request_outcome_edit", True),
    "outcome-delete": ("portal:request_outcome_delete", True),
    "contact-add": ("portal:request_contact_add", False),
    "contact-change": ("portal:request_contact_edit", True),
    "contribution-change": ("portal:request_contribution", False),
    "details-report": ("portal:request_details_change", False),
}


def record_page_url(advice_request, step, action, *, back_to_check=False):
    """The page a record-backed question's button opens, returning to ``step`` (and from there to check answers, with
    ``back_to_check``); None for an unknown action. The page itself finds the row among the account's own (another's
    id is not found)."""
    what, _, row = action.removeprefix("record:").partition(":")
    if what not in RECORD_PAGES:
        return None
    name, needs_row = RECORD_PAGES[what]
    if needs_row and not row.isdecimal():  # "²" passes isdigit(), and int() refuses it
        return None
    args = [advice_request.pk, int(row)] if needs_row else [advice_request.pk]
    return f"{reverse(name, args=args)}{step_query(step, back_to_check=back_to_check)}"


def arrived_for_attention(request):
    """Whether the step was opened from a "needs attention" link (check answers' list of what to put right)."""
    return request.GET.get("attention") == "1"


class AdviceStepWizard(NamedUrlWizardView):
    storage_name = "advice_forms.portal.wizard.AdviceRequestStorage"
    template_name = "advice_forms/portal/step.html"

    @classmethod
    def as_step_view(cls):
        # formtools wants a form list up front; the real one is built per request in dispatch().
        view = csrf_protect(cls.as_view(form_list=[("unused", forms.Form)], url_name="portal:request_step"))

        @csrf_exempt  # a file question's upload is checked while the body is read, so CSRF is checked just after
        def step_view(request, *args, **kwargs):
            if request.method == "POST" and request.content_type == "multipart/form-data":
                checked_upload_parsing(request)
            return view(request, *args, **kwargs)

        return keeps_typing(step_view)

    def dispatch(self, request, *args, **kwargs):
        refused = refusal(request)
        if refused is not None:
            return refused
        self.advice_request = request_for_account(request.user, kwargs["pk"])
        request.advice_request = self.advice_request
        self.builder = FormBuilder.for_version(self.advice_request.form_version)
        sections = self.builder.sections()
        # Step names only: a step's form class is built when it is shown (building every one would read every
        # dropdown list, Team and Type on each request).
        self.form_list = OrderedDict((s.key, SectionForm) for s in sections)
        self.condition_dict = {s.key: (lambda wizard, s=s: wizard._conditions().section(s)) for s in sections}
        if kwargs["step"] not in self.form_list:
            raise Http404("No such step")
        return super().dispatch(request, *args, **kwargs)

    # --- urls ---------------------------------------------------------------------------------

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.advice_request.pk, "step": step})

    def detail_url(self):
        return reverse("portal:request_detail", kwargs={"pk": self.advice_request.pk})

    def check_url(self, step=None):
        """Check answers; with ``step``, opened at that section's answers (its heading takes focus)."""
        url = reverse("portal:request_check_answers", kwargs={"pk": self.advice_request.pk})
        return f"{url}#{self.builder.section(step).anchor}" if step else url

    def _refuse_if_closed(self, step):
        """A redirect when the step cannot be edited or shown now, else None."""
        if not self.advice_request.is_editable:
            messages.error(
                self.request,
                f"This request is {self.advice_request.get_state_display().lower()}, so its answers cannot be changed.",
            )
            return redirect(self.detail_url())
        if step not in self.get_form_list():
            section = self.builder.section(step)
            if self._conditions().waiting(section.condition):
                text = f"You cannot start “{section.title}” yet: it depends on an answer in another section."
            else:
                text = f"“{section.title}” is not needed: it is only needed when {section.condition_text}."
            messages.info(self.request, text)
            return redirect(self.detail_url())
        return None

    def _conditions(self):
        """The Shown of the request's saved answers, one for every step's condition: built again only once a save (or
        a reload) has replaced the answers, never per step."""
        answers = self.advice_request.answers
        kept = self.__dict__.get("_conditions_kept")
        if kept is None or kept[0] is not answers:
            kept = self._conditions_kept = (answers, self.builder.shown(answers))
        return kept[1]

    def _forget_conditions(self):
        for name in ("_resolved_form_list", "_cache_signature", "_conditions_kept", "_records_read"):
            self.__dict__.pop(name, None)

    # --- forms --------------------------------------------------------------------------------

    def get_form_prefix(self, step=None, form=None):
        return None

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        return self.builder.form_class_for(step)(data=data, answers=self.advice_request.answers)

    def _open_step(self, step):
        """Make ``step`` the current one, unless the request is closed: then the refusal to return instead."""
        refused = self._refuse_if_closed(step)
        if refused is None:
            self.storage.current_step = step
        return refused

    def get(self, request, *args, **kwargs):
        if not self.advice_request.is_editable and (kept := typing_take(request)) is not None:
            # Typed before a time-out into a request submitted or accepted since: shown to copy, as a late post is.
            return self._render_closed(kwargs["step"], data=kept.data, files=kept.file_names)
        if (refused := self._open_step(kwargs["step"])) is not None:
            return refused
        if (kept := typing_take(request)) is not None:
            return self._render_kept_at_time_out(kept)
        form = self.get_form(data=self.storage.current_step_data)
        if arrived_for_attention(request):
            form.record_problems = self._record_problems(form)
        elif form.is_bound:
            # What was typed shows again, but its errors wait for a save or a "needs attention" link.
            _hide_errors(form)
            return self.render(form, show_errors=False)
        return self.render(form)

    def post(self, request, *args, **kwargs):
        step = kwargs["step"]
        if not self.advice_request.is_editable and (request.POST or request.FILES):
            return self._render_closed(step)
        if (refused := self._open_step(step)) is not None:
            return refused
        # Nothing arrived but the token and hidden fields (a dropped body, a script), or no question the page draws and
        # no button (the save checks that, with the form it builds): saving it would replace the step's answers with
        # blanks. A file, even one refused for its size, is something.
        no_files = not request.FILES and not getattr(request, "portal_oversized_uploads", None)
        if not request.POST and no_files:
            return self._nothing_received(step)
        action = request.POST.get("action", "continue")
        leaving = (
            record_page_url(self.advice_request, step, action, back_to_check=return_to_check(request))
            if action.startswith("record:")
            else None
        )
        # Saved first, valid or not: nothing typed is lost whatever happens next.
        try:
            form, valid = draft_step_save(
                advice_request=self.advice_request,
                section_key=step,
                data=request.POST,
                files=request.FILES,
                upload_flags={
                    "oversized": getattr(request, "portal_oversized_uploads", set()),
                    "names": getattr(request, "portal_oversized_names", {}),
                },
                actor=request.user,
                request=request,
                builder=self.builder,
                revision=request.POST.get("step-revision"),
                page=request.POST.get("step-page", ""),
                blank_refused=no_files,
            )
        except DraftNothingTyped:
            return self._nothing_received(step)
        except RequestNotEditable:
            self.advice_request.refresh_from_db()
            return self._render_closed(step)
        except DraftStale as stale:
            return self._render_saved_elsewhere(stale)
        self._forget_conditions()
        if leaving is not None:
            return redirect(leaving)
        title = self.builder.section(step).title
        if form.row_action is not None:
            # "Add another" / "Remove": show the step again with the rows changed, not yet its errors.
            _hide_errors(form)
            return self.render(form, show_errors=False)
        if action == "later":
            # A required record-backed question with no rows is named as any answer still to correct is.
            form.record_problems = self._record_problems(form)
            if valid and not form.record_problems:
                messages.success(
                    request, f"Your answers to “{title}” are saved. You can come back to them at any time."
                )
            else:
                messages.info(request, saved_with_problems(title, form))
            return redirect(self.detail_url())
        if action == "back":
            previous = self.get_prev_step(step)
            return redirect(self.get_step_url(previous) if previous else self.detail_url())
        # A required record-backed question with no rows stops the step as an unanswered question does.
        form.record_problems = self._record_problems(form)
        if not valid or form.record_problems:
            return self.render(form)
        if form.asks_before_going_on:
            # Saved, hidden answers kept: the step shows what a save would remove, or the questions just opened.
            return self.render(form)
        if return_to_check(request):
            return redirect(self.check_url(step))
        following = self.get_next_step(step)
        return redirect(self.get_step_url(following) if following else self.check_url())

    def _nothing_received(self, step):
        messages.error(self.request, NOTHING_RECEIVED)
        return redirect(self.get_step_url(step))

    def _render_saved_elsewhere(self, stale):
        """The step again, holding what this person posted (not saved), drawn from the section's current revision so
        that saving it again is a deliberate choice that saves."""
        self.advice_request.refresh_from_db()
        self._forget_conditions()
        form = stale.form
        _hide_errors(form)
        response = self.render(
            form,
            show_errors=False,
            saved_elsewhere={
                "when": saved_elsewhere_when(stale.saved_at),
                "files": not_uploaded_message(uploaded.name for uploaded in form.new_uploads().values()),
            },
        )
        response.status_code = 409
        return response

    def _render_kept_at_time_out(self, kept):
        """The step holding what was posted after the session timed out (not saved then: nobody was signed in), for
        the account that typed it, now signed in again, to check and save. It carries the revision and page id the
        page it was typed into had: a save of the section made meanwhile (a colleague on the same team account) makes
        saving it show "saved somewhere else", as for any older copy, not overwrite that save."""
        form = self.get_form(data=kept.data)
        _hide_errors(form)
        copy = {"step_revision": kept.data.get("step-revision"), "step_page": kept.data.get("step-page", "")}
        return self.render(form, show_errors=False, kept_at_time_out=kept_at_time_out(kept), kept_copy=copy)

    def _render_closed(self, step, data=None, files=None):
        """The step again, refused (403), holding what this person posted (or, with ``data``, typed before a time-out)
        to a request submitted or accepted since the page was opened: nothing is saved (nothing can be), and the
        banner says how to keep the typing."""
        if step not in self.get_form_list():
            return self._refuse_if_closed(step)
        self.storage.current_step = step
        data = self.request.POST if data is None else data
        form = self.builder.form_class_for(step)(data=data, answers=self.advice_request.answers)
        _hide_errors(form)
        if files is None:
            files = [uploaded.name for _name, chosen in self.request.FILES.lists() for uploaded in chosen]
        response = self.render(form, show_errors=False, closed=closed_while_open(self.advice_request, files=files))
        response.status_code = 403
        return response

    def _page_id(self):
        """The id a step's page posts back with its revision. A step shown again by its own POST (a row added, errors,
        a question to answer first) carries on the page that posted: an autosave it sent just before may land after
        that POST, and must not make its continuation look like someone else's copy."""
        posted = self.request.POST.get("step-page", "") if self.request.method == "POST" else ""
        return posted if re.fullmatch(r"[0-9a-f]{32}", posted) else uuid.uuid4().hex

    def render_done(self, form, **kwargs):
        return redirect(self.check_url())

    def _record_problems(self, form):
        """{field key: message} of this step's required record-backed questions whose rows the record lacks, as
        check answers names them (``selectors.request_problems``); read only when the step has such a question."""
        record_keys = {spec.key for spec in form.record_questions()}
        if not record_keys:
            return {}
        missing, _unchecked = request_problems(self.advice_request, self.builder, records=self._records(form))
        return {
            m.field_key: m.reason for m in missing if m.section_key == form.section.key and m.field_key in record_keys
        }

    def _records(self, form):
        """The child record's rows, read only when this step has a record-backed question, and once a request (the
        step's problems and its drawing read the same rows)."""
        if not form.record_questions():
            return None
        if "_records_read" not in self.__dict__:
            self._records_read = request_records(self.advice_request)
        return self._records_read

    def get_context_data(self, form, **kwargs):
        show_errors = kwargs.pop("show_errors", True)
        saved_elsewhere = kwargs.pop("saved_elsewhere", None)
        closed = kwargs.pop("closed", None)
        kept_typing = kwargs.pop("kept_at_time_out", None)
        kept_copy = kwargs.pop("kept_copy", None) or {}
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        step_number, step_count = task_list_position(self.builder, step)
        context.update(
            {
                "advice_request": self.advice_request,
                "builder": self.builder,
                "section": self.builder.section(step),
                "records": self._records(form),
                "step_number": step_number,
                "step_count": step_count,
                "changes_needed": step in self.advice_request.return_sections,
                "errors": form.error_summary() if show_errors and (form.is_bound or form.record_problems) else [],
                "show_errors": show_errors,
                "return_to_check": return_to_check(self.request),
                "section_saved": step in (self.advice_request.started_sections or []),
                "saved_elsewhere": saved_elsewhere,
                "closed": closed,
                "kept_at_time_out": kept_typing,
                "reopen_url": self.request.get_full_path(),
                # The copy this page holds: a save from it is refused once the section is saved from another copy.
                "step_revision": kept_copy.get("step_revision") or draft_step_revision(self.advice_request, step),
                "step_page": kept_copy.get("step_page") or self._page_id(),
                "autosave_seconds": settings.PORTAL_AUTOSAVE_SECONDS,
                "autosave_url": reverse(
                    "portal:request_step_autosave", kwargs={"pk": self.advice_request.pk, "step": step}
                ),
            }
        )
        return context
