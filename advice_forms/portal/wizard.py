"""The never-lose-work wizard: one step per shown section of the request's pinned form version.

Built on django-formtools' NamedUrlWizardView (a URL per step, the steps helper, conditions per step),
with its known gaps closed (STACK-NOTES.md):

- `form_list` and `condition_dict` are built per request from the pinned FormDefinitionVersion;
- the storage is the AdviceRequest row, not the session: a step shows the last invalid post kept in
  `raw_steps` (with its errors), or else the saved answers; a GET never resets anything;
- every POST goes first to `services.drafts.draft_step_save`, valid or not, and only then decides where to go.
"""

from collections import OrderedDict

from django import forms
from django.conf import settings
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView

from advice_forms.fields import RepeatingGroupField
from advice_forms.form_builder import FormBuilder, SectionForm
from advice_forms.selectors import request_for_account
from advice_forms.services.drafts import draft_step_save
from advice_forms.workflow import RequestNotEditable
from portal_pages.access import refusal


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


def _hide_errors(form):
    form._errors = ErrorDict()
    for form_field in form.fields.values():
        if isinstance(form_field, RepeatingGroupField):
            form_field.row_errors, form_field.group_errors = {}, []


def return_to_check(request):
    return request.GET.get("return") == "check"


def arrived_for_attention(request):
    """Whether the step was opened from a "needs attention" link (check answers' list of what to put right)."""
    return request.GET.get("attention") == "1"


class AdviceStepWizard(NamedUrlWizardView):
    storage_name = "advice_forms.portal.wizard.AdviceRequestStorage"
    template_name = "advice_forms/portal/step.html"

    @classmethod
    def as_step_view(cls):
        # formtools wants a form list up front; the real one is built per request in dispatch().
        return cls.as_view(form_list=[("unused", forms.Form)], url_name="portal:request_step")

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
        self.condition_dict = {s.key: (lambda wizard, s=s: s.visible(wizard.advice_request.answers)) for s in sections}
        if kwargs["step"] not in self.form_list:
            raise Http404("No such step")
        return super().dispatch(request, *args, **kwargs)

    # --- urls ---------------------------------------------------------------------------------

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.advice_request.pk, "step": step})

    def detail_url(self):
        return reverse("portal:request_detail", kwargs={"pk": self.advice_request.pk})

    def check_url(self):
        return reverse("portal:request_check_answers", kwargs={"pk": self.advice_request.pk})

    def _refuse_if_closed(self, step):
        """A redirect when the step cannot be edited or shown now, else None."""
        if not self.advice_request.is_editable:
            messages.error(
                self.request,
                f"This request is {self.advice_request.get_state_display().lower()}, so its answers cannot be changed.",
            )
            return redirect(self.detail_url())
        if step not in self.get_form_list():
            title = self.builder.section(step).title
            messages.info(self.request, f"You cannot start “{title}” yet: it depends on an answer in another section.")
            return redirect(self.detail_url())
        return None

    def _forget_conditions(self):
        for name in ("_resolved_form_list", "_cache_signature"):
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
        if (refused := self._open_step(kwargs["step"])) is not None:
            return refused
        form = self.get_form(data=self.storage.current_step_data)
        if form.is_bound and not arrived_for_attention(request):
            # What was typed shows again, but its errors wait for a save or a "needs attention" link.
            _hide_errors(form)
            return self.render(form, show_errors=False)
        return self.render(form)

    def post(self, request, *args, **kwargs):
        step = kwargs["step"]
        if (refused := self._open_step(step)) is not None:
            return refused
        # Saved first, valid or not: nothing typed is lost whatever happens next.
        try:
            form, valid = draft_step_save(
                advice_request=self.advice_request,
                section_key=step,
                data=request.POST,
                actor=request.user,
                request=request,
                builder=self.builder,
            )
        except RequestNotEditable:
            self.advice_request.refresh_from_db()
            return self._refuse_if_closed(step)
        self._forget_conditions()
        action = request.POST.get("action", "continue")
        title = self.builder.section(step).title
        if form.row_action is not None:
            # "Add another" / "Remove": show the step again with the rows changed, not yet its errors.
            _hide_errors(form)
            return self.render(form, show_errors=False)
        if action == "later":
            if valid:
                messages.success(
                    request, f"Your answers to “{title}” are saved. You can come back to them at any time."
                )
            else:
                messages.info(
                    request,
                    f"What you typed in “{title}” is saved, but some answers need correcting before you can submit.",
                )
            return redirect(self.detail_url())
        if action == "back":
            previous = self.get_prev_step(step)
            return redirect(self.get_step_url(previous) if previous else self.detail_url())
        if not valid:
            return self.render(form)
        if return_to_check(request):
            return redirect(self.check_url())
        following = self.get_next_step(step)
        return redirect(self.get_step_url(following) if following else self.check_url())

    def render_done(self, form, **kwargs):
        return redirect(self.check_url())

    def get_context_data(self, form, **kwargs):
        show_errors = kwargs.pop("show_errors", True)
        context = super().get_context_data(form=form, **kwargs)
        step = self.steps.current
        shown = list(self.get_form_list())
        context.update(
            {
                "advice_request": self.advice_request,
                "builder": self.builder,
                "section": self.builder.section(step),
                "step_number": shown.index(step) + 1,
                "step_count": len(shown),
                "errors": form.error_summary() if show_errors and form.is_bound else [],
                "show_errors": show_errors,
                "return_to_check": return_to_check(self.request),
                "section_saved": step in (self.advice_request.started_sections or []),
                "autosave_seconds": settings.PORTAL_AUTOSAVE_SECONDS,
                "autosave_url": reverse(
                    "portal:request_step_autosave", kwargs={"pk": self.advice_request.pk, "step": step}
                ),
            }
        )
        return context
