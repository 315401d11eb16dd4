"""An error message shown beside a field or in an error summary has no full stop at its end (GOV.UK Design System,
"Error message"); one of two sentences keeps the stop between them. About thirty of ours ended with one while the
rest did not ("This account cannot sign in yet.", "Choose an image.").

Two scans: every form of ours, built as a page builds it (tests/test_empty_choices.py's list), for the error
messages its fields and the form itself carry; and the code of our apps for the words it gives ValidationError,
add_error and a block's required or deleted message, followed through the constants and small functions that hold
them. Notification banners (messages.error) are sentences and keep their full stops."""

import ast
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from faq.captures import parse_capture
from tests.test_empty_choices import APPS, _our_forms

# Words given to a ValidationError that is shown in a notification banner, not beside a field.
BANNERS = {
    # advice_forms/admin/request_actions.py remind_view: messages.error, after the "Send a reminder" button
    "A reminder was sent to {} at {}. You can send another from {}: one every {} minutes at most.",
}
CALLS = {"ValidationError": 0, "StructBlockValidationError": 0, "add_error": 1}
CLASS_MESSAGES = {"required_message", "deleted_message"}


def _ends_with_full_stop(words) -> bool:
    return str(words).rstrip().endswith(".")


def _django_and_wagtail_defaults():
    """Every default error message of a form or model field class that is not ours: those words are Django's."""
    seen, defaults = set(), set()
    stack = [forms.Field, models.Field]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] not in APPS:
            defaults |= {str(words) for words in vars(cls).get("default_error_messages", {}).values()}
    return defaults


def _form_messages(form):
    for name, field in form.fields.items():
        for code, words in field.error_messages.items():
            yield f"{name} [{code}]", words
    for code, words in (getattr(form, "error_messages", None) or {}).items():
        yield f"form [{code}]", words


def _upstream_form_messages(form):
    """The form-wide messages of the Django and Wagtail forms ours extend (a user form's "duplicate_username")."""
    return {
        str(words)
        for cls in type(form).__mro__
        if cls.__module__.split(".")[0] not in APPS
        for words in (vars(cls).get("error_messages") or {}).values()
    }


def test_no_error_message_of_our_forms_ends_with_a_full_stop(superuser, home_page):
    theirs = _django_and_wagtail_defaults()
    scanned, stopped = set(), []
    for name, form in _our_forms(superuser, home_page):
        scanned.add(name)
        stopped += [
            f"{name}: {where}: {words}"
            for where, words in _form_messages(form)
            if str(words) not in theirs | _upstream_form_messages(form) and _ends_with_full_stop(words)
        ]

    assert stopped == []
    assert {"SignInForm", "team_accounts edit form", "InvitationForm", "AvailabilityForm"} <= scanned


def _text(node):
    """A string literal or f-string as written, each placeholder as {}; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


class _Module:
    """One module of ours: its string constants (module, class and local names) and what its functions return."""

    def __init__(self, path):
        self.path = path
        self.tree = ast.parse(path.read_text())
        self.names, self.returns = {}, {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    key = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
                    if key:
                        self.names.setdefault(key, []).append(node.value)
            elif isinstance(node, ast.FunctionDef):
                self.returns[node.name] = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]


def _words(node, module, modules, depth=0):
    """Every string an expression given as an error message may be, followed through names and calls."""
    if depth > 4 or node is None:
        return
    if (text := _text(node)) is not None:
        yield text
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for element in node.elts:
            yield from _words(element, module, modules, depth + 1)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _words(value, module, modules, depth + 1)
    elif isinstance(node, ast.IfExp):
        yield from _words(node.body, module, modules, depth + 1)
        yield from _words(node.orelse, module, modules, depth + 1)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _words(value, module, modules, depth + 1)
    elif isinstance(node, (ast.Name, ast.Attribute)):
        key = node.id if isinstance(node, ast.Name) else node.attr
        # A name is the module's own when it sets it; a constant may come from another module of ours.
        owners = [module] if key in module.names or key.islower() else modules
        for owner in owners:
            for value in owner.names.get(key, []):
                yield from _words(value, owner, modules, depth + 1)
    elif isinstance(node, ast.Call):
        called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for owner in (module, *modules):
            for value in owner.returns.get(called, []):
                yield from _words(value, owner, modules, depth + 1)
            if called in owner.returns:
                break


def _message_argument(call, position):
    keyword = {0: "message", 1: "error"}[position]
    given = [kw.value for kw in call.keywords if kw.arg == keyword]
    return given[0] if given else (call.args[position] if len(call.args) > position else None)


def _error_words_in_our_code():
    paths = [
        path
        for app in APPS
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    ]
    modules = [_Module(path) for path in paths]
    for module in modules:
        for node in ast.walk(module.tree):
            where = f"{module.path.relative_to(settings.BASE_DIR)}:{getattr(node, 'lineno', '')}"
            if isinstance(node, ast.Call):
                called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if called in CALLS:
                    for words in _words(_message_argument(node, CALLS[called]), module, modules):
                        yield where, words
            elif isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if isinstance(statement, ast.Assign) and any(
                        isinstance(target, ast.Name) and target.id in CLASS_MESSAGES for target in statement.targets
                    ):
                        for words in _words(statement.value, module, modules):
                            yield where, words


def test_no_error_message_our_code_raises_ends_with_a_full_stop():
    found = list(_error_words_in_our_code())
    stopped = [f"{where}: {words}" for where, words in found if _ends_with_full_stop(words) and words not in BANNERS]

    assert stopped == []
    # The scan follows constants and functions to their words, in each app.
    texts = {words for _where, words in found}
    assert {
        "An account with this address exists already",  # portal_pages: a constant of another module
        "Choose a picture, or write a capture that takes one",  # faq: a block's required message
        "Choose an image",  # cms: a block's required message
        "Choose an active team account",  # advice_forms: a service's refusal, shown beside the field
    } <= texts
    assert len(found) > 100


@pytest.mark.parametrize(
    "capture",
    ["go to /portal/\nclick Sign in", "wave at /portal/\nshow page", "show page\nshow page"],
    ids=["no-show-last", "not-an-action", "two-shows"],
)
def test_a_capture_scripts_errors_end_without_a_full_stop(capture):
    """A capture's lines are checked by parse_capture; each problem is shown beside the capture box."""
    with pytest.raises(ValidationError) as refused:
        parse_capture(capture)

    assert [words for words in refused.value.messages if _ends_with_full_stop(words)] == []
