"""Audit event names live in one list per app (portal_pages.events for accounts, advice_forms.events for a child's
advice, faq.events for guidance, cms.events for the site core): every ``audit_record`` call names a member of a list,
never a string written at the call, and no module but the lists spells an event's value. Reads the code with
``ast``, as tests/test_layout.py does."""

import ast

import pytest
from wagtail import hooks

from advice_forms.events import CaseworkEvent
from cms.events import SiteEvent
from faq.events import GuidanceEvent
from portal_pages.events import AccountEvent
from tests.test_layout import _modules

EVENT_LISTS = (AccountEvent, CaseworkEvent, GuidanceEvent, SiteEvent)
EVENT_MODULES = {"portal_pages.events", "advice_forms.events", "faq.events", "cms.events"}


def _audit_calls(tree):
    """Each ``audit_record`` call, with the names of its function's parameters that are typed as an event list
    (a helper such as ``_account_move(action: AccountEvent)`` passes on the member its caller named)."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "audit_record":
                yield node, _event_parameters(functions, node)


def _event_parameters(functions, call):
    names = set()
    for function in functions:
        if function.lineno <= call.lineno <= function.end_lineno:
            arguments = function.args.args + function.args.kwonlyargs
            names |= {a.arg for a in arguments if a.annotation is not None and _is_event_list(a.annotation)}
    return names


def _is_event_list(annotation):
    named = annotation.id if isinstance(annotation, ast.Name) else getattr(annotation, "attr", "")
    return named in {events.__name__ for events in EVENT_LISTS}


def _strings(node):
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.fixture(scope="module")
def trees():
    return {module: ast.parse(path.read_text(), filename=str(path)) for module, path in _modules().items()}


def test_every_audit_record_call_names_an_event_from_a_list(trees):
    calls, offenders = 0, []
    for module, tree in trees.items():
        for call, event_parameters in _audit_calls(tree):
            calls += 1
            action = next((keyword.value for keyword in call.keywords if keyword.arg == "action"), None)
            if action is None or call.args:
                offenders.append(f"{module}:{call.lineno} passes no action= keyword")
            elif _strings(action) or isinstance(action, ast.JoinedStr):
                offenders.append(f"{module}:{call.lineno} writes the action as a string: {ast.unparse(action)}")
            elif not all(
                isinstance(n, ast.Attribute) or (isinstance(n, ast.Name) and n.id in event_parameters)
                for n in _operands(action)
            ):
                offenders.append(f"{module}:{call.lineno} names the action by a bare name: {ast.unparse(action)}")
    assert calls > 30  # the walk found the project's calls
    assert not offenders, "\n".join(offenders)


def _operands(node):
    """The expressions an action may come from: both branches of ``a if c else b``, else the node itself."""
    if isinstance(node, ast.IfExp):
        return [*_operands(node.body), *_operands(node.orelse)]
    return [node]


def test_no_module_but_the_lists_spells_an_event_value(trees):
    values = {event.value for events in EVENT_LISTS for event in events}
    spelled = [
        f"{module}: {value}"
        for module, tree in trees.items()
        if module not in EVENT_MODULES
        for value in _strings(tree)
        if value in values
    ]
    assert not spelled, "\n".join(spelled)


def test_the_lists_share_no_value_and_each_is_registered_for_the_audit_log():
    values = [event.value for events in EVENT_LISTS for event in events]
    assert len(values) == len(set(values))
    registered = [events for _heading, events in (register() for register in hooks.get_hooks("register_audit_events"))]
    assert set(registered) == set(EVENT_LISTS)
