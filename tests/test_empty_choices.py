"""No select or list of choices of ours shows Django's "---------": each empty choice says what to choose, in words
("Select an organisation"), and a listing filter's says "All", as Wagtail's own filters do. The scan builds every form
class of our apps' modules, every admin viewset's create and edit forms and listing filters (snippets included) and
every page editor of ours, so a new select is caught too, and the choice blocks of our page types' StreamFields
(which Wagtail gives an empty choice of its own)."""

import ast
import importlib
import inspect
import pkgutil
from collections import Counter
from pathlib import Path

import django_filters
from django import forms
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.blocks import FieldBlock, ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.models import get_page_models

from portal_pages.models import User

APPS = ("cms", "faq", "advice_forms", "portal_pages")
DJANGO_EMPTY_CHOICE = "---------"

# Forms that take arguments: what to build each with (the user: the superuser of the test).
ARGUMENTS = {
    "RedirectChoiceForm": lambda user, page: {"page": page},
    "AdminTokenForm": lambda user, page: {"user": user},
    "AdminDeviceForm": lambda user, page: {"request": _request_by(user), "instance": TOTPDevice(user=user)},
    "AvailabilityForm": lambda user, page: {"accounts": User.objects.all()},
    "AddDeviceForm": lambda user, page: {"user": user},
    "NewPasswordForm": lambda user, page: {"user": user},
}
# A section of a form definition is built by the form builder from the definition; its selects are the designer's
# (tests/advice_forms/test_form_builder.py), not one of ours.
NOT_SCANNED = {"SectionForm"}


def _request_by(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _our_modules():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                yield importlib.import_module(info.name)


def _classes_defined_in_our_modules(base):
    found = {}
    for module in _our_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == module.__name__:
                found[cls.__qualname__] = cls
    return found


def _viewset_forms(user):
    reverse("wagtailadmin_home")  # loading the admin's URLs registers its viewsets
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet) or viewset.model._meta.app_label not in APPS:
            continue
        model = viewset.model
        if viewset.get_form_fields() != [] or viewset.get_edit_handler():
            for for_update in (False, True):
                form_class = viewset.get_form_class(for_update=for_update)
                extra = {"for_user": user} if issubclass(form_class, WagtailAdminModelForm) else {}
                yield f"{viewset.name} {'edit' if for_update else 'create'} form", form_class(instance=model(), **extra)
        view_kwargs = {**viewset.get_common_view_kwargs(), **viewset.get_index_view_kwargs()}
        view_kwargs = {key: value for key, value in view_kwargs.items() if value is not viewset.UNDEFINED}
        filterset_class = viewset.index_view_class(**view_kwargs).filterset_class
        if filterset_class:
            yield f"{viewset.name} filters", filterset_class(None, queryset=model._default_manager.none()).form


def _our_forms(user, page):
    """(name, form) for every form of ours."""
    yield from _viewset_forms(user)
    for model in get_page_models():
        if model._meta.app_label in APPS:
            form_class = model.get_edit_handler().get_form_class()
            yield f"{model.__name__} editor", form_class(instance=model(), for_user=user)
    for name, form_class in _classes_defined_in_our_modules(forms.BaseForm).items():
        abstract = issubclass(form_class, forms.BaseModelForm) and form_class._meta.model is None
        if name in NOT_SCANNED or abstract:
            continue
        yield name, form_class(**ARGUMENTS.get(name, lambda user, page: {})(user, page))
    for name, filterset_class in _classes_defined_in_our_modules(django_filters.FilterSet).items():
        yield name, filterset_class(None, queryset=filterset_class._meta.model._default_manager.none()).form


def _choice_labels(field):
    for _value, label in field.widget.choices:
        if isinstance(label, (list, tuple)):  # a group of options
            yield from (str(inner) for _inner, inner in label)
        else:
            yield str(label)


def test_no_select_of_ours_shows_dashes_for_its_empty_choice(superuser, home_page):
    scanned, dashes = set(), []
    for name, form in _our_forms(superuser, home_page):
        scanned.add(name)
        dashes += [
            f"{name}: {field_name}"
            for field_name, field in form.fields.items()
            if isinstance(field.widget, forms.widgets.ChoiceWidget) and DJANGO_EMPTY_CHOICE in _choice_labels(field)
        ]

    assert dashes == []
    # The scan reaches each kind of form: a viewset's, its filters, a page editor, a plain form, a filter set.
    assert {
        "team_accounts edit form",
        "organisation create form",
        "child_records filters",
        "HelpPage editor",
        "ShareForm",
        "JoinDecisionForm",
        "TeamAccountFilterSet",
    } <= scanned


def _string_constants(path):
    """The strings a module of ours writes in its code (its docstrings left out)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_words_of_each_empty_choice_are_written_in_one_place(superuser, home_page):
    """Two selects offering the same things say the same words, from one constant given to empty_choice_words: the
    join decision's list of organisations wrote "Select an organisation" again beside the team accounts' one."""
    labels = {
        str(label)
        for _name, form in _our_forms(superuser, home_page)
        for field in form.fields.values()
        if isinstance(field.widget, forms.widgets.ChoiceWidget)
        for value, label in field.widget.choices
        if value in ("", None)
    }
    written = Counter(
        constant
        for app in APPS
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if "migrations" not in path.parts
        for constant in _string_constants(path)
    )

    assert "Select an organisation" in labels
    assert {label: written[label] for label in labels if written[label] > 1} == {}


def _blocks_within(block, path):
    yield path, block
    if isinstance(block, (StructBlock, StreamBlock)):
        for name, child in block.child_blocks.items():
            yield from _blocks_within(child, f"{path}.{name}")
    elif isinstance(block, ListBlock):
        yield from _blocks_within(block.child_block, path)


def _page_choice_blocks():
    """(where, block) for every block of our page types' StreamFields whose form field is a select."""
    for model in get_page_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for path, block in _blocks_within(field.stream_block, f"{model.__name__}.{field.name}"):
                    if isinstance(block, FieldBlock) and isinstance(block.field.widget, forms.widgets.ChoiceWidget):
                        yield path, block


def test_no_choice_block_of_our_pages_shows_dashes_and_each_shows_its_default():
    found = dict(_page_choice_blocks())

    assert [where for where, block in found.items() if DJANGO_EMPTY_CHOICE in _choice_labels(block.field)] == []
    # A value never chosen (a step saved before the choice existed) is shown as the default, not as nothing.
    assert {where: block.get_form_state(None) for where, block in found.items()} == {
        where: block.get_form_state(block.get_default()) for where, block in found.items()
    }
    assert "VisualGuidePage.steps.step.capture_width" in found


def test_no_filter_or_select_of_ours_offers_unknown_for_either_answer(superuser, home_page):
    """django-filter's own yes-or-no select offers "Unknown" for "either" (the review queue's "Past its due date"
    read "Unknown" when nothing was chosen); Wagtail's filters of a model's yes-or-no field say "All"."""
    unknown = [
        f"{name}: {field_name}"
        for name, form in _our_forms(superuser, home_page)
        for field_name, field in form.fields.items()
        if isinstance(field.widget, forms.widgets.ChoiceWidget) and "Unknown" in _choice_labels(field)
    ]

    assert unknown == []
