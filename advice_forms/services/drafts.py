"""Writes of a professional's draft: each posted wizard step saved as it arrives, valid or not, so nothing
typed is lost; the first save moves a request from to do to in progress.

A team account is a shared mailbox, so two people (or two tabs) may have one step open. Each section has a
revision, counted up by every save that changes it; the step's page posts back the revision it was drawn from (and
an id of its own), and a save from an older copy that would change what is saved now is refused (DraftStale):
nothing is written, and the page says so rather than overwriting someone's newer words."""

import datetime
import json
import re

from django import forms
from django.db import transaction
from django.utils import timezone

from advice_forms import workflow
from advice_forms.fields import ROW_ACTION, RepeatingGroupField, posted_names
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest
from advice_forms.services.draft_files import draft_dropped_files_withdraw, draft_removed_files, draft_uploads_file
from advice_forms.services.requests import request_transition
from advice_forms.workflow import Action, RequestNotEditable

# Posted names that are buttons or tokens, not answers: never kept in a draft.
_NOT_ANSWERS = {
    "csrfmiddlewaretoken",
    "action",
    "row-action",
    "return",
    "clear",
    "clear-keys",
    "shown-at-render",
    "kept-at-render",
    "step-revision",
    "step-page",
}

# Widgets a browser posts nothing for while nothing is chosen.
_SILENT_WHEN_EMPTY = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput, forms.FileInput)

# The step's buttons: "Save and continue" and the like, "Add another" and "Remove" (a row, or a saved file), and
# "Yes, remove them" / "Keep my answers" for answers a change hides.
_BUTTONS = ("action", ROW_ACTION, "clear")

# What a save writes to the request, and copies back to the caller's instance.
_DRAFT_FIELDS = ("answers", "raw_steps", "section_saves", "started_sections", "completed_sections", "draft_saved_at")


class DraftNothingTyped(Exception):
    """A post that answers no question the step draws and presses no button (see draft_nothing_typed): refused,
    nothing written, as saving it would blank the step."""


class DraftStale(Exception):
    """A save from a copy of the section older than the one saved since (by another tab or another person),
    which would have changed it: refused, nothing written. ``form`` is bound to what was posted, to show it again;
    ``saved_at`` is when the section was last saved; ``revision`` is its revision now."""

    def __init__(self, *, form, saved_at, revision):
        super().__init__("The section was saved elsewhere since this copy was opened.")
        self.form, self.saved_at, self.revision = form, saved_at, revision


def draft_step_revision(advice_request, section_key) -> str:
    """The revision of a section's saved answers (and kept typing) as they are now, for its page to post back."""
    return str(((advice_request.section_saves or {}).get(section_key) or {}).get("revision", 0))


def draft_typing(data):
    """A posted step without its buttons: only what was typed, which is all autosave saves. autosave.js posts the
    form's fields, which never include a submit button; a hand-made autosave post naming one ("Remove this file")
    would otherwise withdraw a file the account uploaded, or take answers away, that nobody chose to."""
    typed = data.copy()
    for name in _BUTTONS:
        typed.pop(name, None)
    return typed


def draft_nothing_typed(data, fields) -> bool:
    """Whether a post answers no question the page draws and presses no button (a hand-made post), for a step whose
    page always sends one (a text box, list or date, empty or not): saving it would blank the step. Radios, checkboxes
    and files alone post nothing when unticked: an answer. ``fields``: the form's ``fields`` (not ``base_fields``: a
    question hidden by another section is not drawn), posted as ``<name>`` or ``<name>-<part>``."""
    parts = tuple(f"{name}-" for name in fields)
    if any(name in fields or name.startswith(parts) or name in _BUTTONS for name in data):
        return False
    return any(not isinstance(field.widget, _SILENT_WHEN_EMPTY) for field in fields.values())


def _as_stored(value):
    """``value`` as the database gives it back (tuples become lists), so what a save would write compares equal to
    what is saved when nothing changes."""
    return json.loads(json.dumps(value))


def _changed_sections(before_answers, before_raw, answers, raw_steps) -> set:
    keys = set(before_answers) | set(answers) | set(before_raw) | set(raw_steps)
    return {
        key
        for key in keys
        if _as_stored([answers.get(key), raw_steps.get(key)]) != [before_answers.get(key), before_raw.get(key)]
    }


def _stale_copy(locked, section_key, revision, page) -> bool:
    """Whether the post came from an older copy of the section than the saved one. A page that made the latest
    save itself is not stale: its autosave may land just before its own Save, which still carries the revision the
    page was drawn with."""
    if revision is None:
        return False
    saved = (locked.section_saves or {}).get(section_key) or {}
    if str(revision) == str(saved.get("revision", 0)):
        return False
    return not (page and saved.get("page") == page)


def _raw_draft(form, data) -> dict:
    """The posted step as {name: [values]}, without buttons and tokens, with "Add another" / "Remove" applied
    (so showing it again does not repeat the action)."""
    raw = {name: [str(v) for v in values] for name, values in data.lists() if name not in _NOT_ANSWERS}
    for name, form_field in form.fields.items():
        if not isinstance(form_field, RepeatingGroupField):
            continue
        html_name = form.add_prefix(name)
        rows = form_field.widget.value_from_datadict(data, None, html_name)
        for key in posted_names(form_field.widget, raw, html_name):
            del raw[key]
        raw.update({key: [value] for key, value in form_field.widget.raw_cells(html_name, rows).items()})
    return {
        name: [_nul_out(str(value)) for value in values]
        for name, values in raw.items()
        if not _CONTROL_CHARACTER.search(name)
    }


# PostgreSQL's jsonb holds no NUL: a typed one (refused beside its question) is left out of the kept typing, the rest
# kept. Between two words it becomes a space, so they stay apart ("ab\x00cd" is "ab cd"); beside a space or a line
# break it goes, which keeps the line breaks of a long answer as typed.
_NUL_BETWEEN_WORDS = re.compile(r"(?<=[^\s\x00])\x00+(?=[^\s\x00])")


# No question's field name holds a control character: a posted name with one is a hand-made post, and one with a NUL
# would be refused by jsonb on PostgreSQL. Such a name is left out of the kept typing.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def _nul_out(text: str) -> str:
    return _NUL_BETWEEN_WORDS.sub(" ", text).replace("\x00", "")


@transaction.atomic
def draft_step_save(
    *,
    advice_request,
    section_key: str,
    data,
    actor,
    request=None,
    prefix=None,
    builder=None,
    files=None,
    upload_flags=None,
    revision=None,
    page="",
    blank_refused=False,
):
    """Write one posted wizard step to the request's draft, valid or not, before anything else happens.

    Valid: the section's answers replace the saved ones and the section counts as completed, whichever button was
    pressed ("Add another", or "Add an outcome" going to a page around the form), once nothing in it stops a
    submission (the task list's one rule, ``selectors.request_task_list``, which check answers reads). Invalid: the raw
    post is kept in ``raw_steps`` so the step shows it again with its errors; nothing typed is lost.
    The first save moves a request from to do to in progress. Returns ``(form, valid)``; the form is
    bound to ``data`` for re-rendering. Raises RequestNotEditable for a submitted or accepted request.
    ``builder`` may be the caller's FormBuilder of the request's pinned version (a request's version never
    changes), which saves reading the version again. A file question's new upload (``files``, checked as every
    upload is) is filed as one of the child's documents, and its answer names that document, even when other answers
    of the step are refused. Every file answer the save drops is withdrawn (its uploader's own, as the documents page
    withdraws it) and answers no more: one its "Remove this file" button took away, one a new upload replaced, and one
    "Yes, remove them" removed for a question a change hides, on this page or in another section.

    ``revision`` and ``page``: the section's revision the posting page was drawn with and that page's own id (None:
    not checked). A post from an older copy that would change what is saved now raises DraftStale, writing nothing;
    an older copy that changes nothing is saved as usual. Each section a save changes counts its revision up.
    ``blank_refused``: a post that answers no question the step draws (the request's answers as saved now decide which
    are drawn) and presses no button raises DraftNothingTyped, writing nothing; the one form built serves both.
    """
    page = str(page or "")[:64]
    locked = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not workflow.state_allows(Action.EDIT, locked.state):
        raise RequestNotEditable(locked.state)
    workflow.actor_check(Action.EDIT, actor=actor, account_id=locked.account_id)
    if builder is None or builder.version.pk != locked.form_version_id:
        builder = FormBuilder.for_version(locked.form_version)
    form = builder.form_class_for(section_key)(
        data=data,
        files=files,
        answers=locked.answers,
        prefix=prefix,
        upload_flags=upload_flags,
        raw_steps=locked.raw_steps,
    )
    if blank_refused and draft_nothing_typed(data, form.fields):
        raise DraftNothingTyped()
    valid = form.is_valid()
    started = list(locked.started_sections)
    completed = list(locked.completed_sections)
    raw_steps = dict(locked.raw_steps)
    answers = dict(locked.answers)
    if section_key not in started:
        started.append(section_key)
    if valid:
        answers[section_key] = form.answers()
        # Answers in other sections that this step's answers hide, which the professional agreed to remove.
        for other_section, key in form.clear_elsewhere:
            answers[other_section] = {k: v for k, v in (answers.get(other_section) or {}).items() if k != key}
            if other_section in raw_steps:
                kept = raw_steps[other_section]
                names = builder.posted_names(other_section, key, kept)
                raw_steps[other_section] = {name: values for name, values in kept.items() if name not in names}
        raw_steps.pop(section_key, None)
    else:
        raw_steps[section_key] = _raw_draft(form, data)
    # A file taken away by "Remove this file" is no longer an answer, valid or not (a required one is then asked for).
    removed = draft_removed_files(form, (locked.answers or {}).get(section_key) or {})
    if removed:
        answers[section_key] = {k: v for k, v in (answers.get(section_key) or {}).items() if k not in removed}
    if _stale_copy(locked, section_key, revision, page) and (
        form.new_uploads() or _changed_sections(locked.answers, locked.raw_steps, answers, raw_steps)
    ):
        saved = (locked.section_saves or {}).get(section_key) or {}
        saved_at = datetime.datetime.fromisoformat(saved["saved_at"]) if saved.get("saved_at") else None
        raise DraftStale(
            form=form, saved_at=saved_at or locked.draft_saved_at, revision=draft_step_revision(locked, section_key)
        )
    if removed:
        form.show_as_removed(removed)
    if valid:
        answers[section_key].update(draft_uploads_file(form, locked, actor=actor, request=request))
        if section_key not in completed:
            completed.append(section_key)
    else:
        # A file that passed its checks is kept, though others on the step were refused: filed, and shown as uploaded.
        filed = draft_uploads_file(form, locked, actor=actor, request=request)
        if filed:
            answers[section_key] = {**(answers.get(section_key) or {}), **filed}
            form.show_as_uploaded(filed)
        if section_key in completed:
            completed.remove(section_key)
    draft_dropped_files_withdraw(locked.answers, answers, locked, builder=builder, actor=actor, request=request)
    now = timezone.now()
    saves = dict(locked.section_saves or {})
    for key in _changed_sections(locked.answers, locked.raw_steps, answers, raw_steps):
        revision_now = int((saves.get(key) or {}).get("revision", 0))
        saves[key] = {"revision": revision_now + 1, "saved_at": now.isoformat(), "page": page}
    locked.answers, locked.raw_steps, locked.section_saves = answers, raw_steps, saves
    locked.started_sections, locked.completed_sections = started, completed
    locked.draft_saved_at = now
    if workflow.state_allows(Action.START, locked.state):
        request_transition(locked, action=Action.START, actor=actor, request=request, data={"section": section_key})
    locked.save(update_fields=[*_DRAFT_FIELDS, "updated_at"])
    for name in (*_DRAFT_FIELDS, "state"):
        setattr(advice_request, name, getattr(locked, name))
    return form, valid
