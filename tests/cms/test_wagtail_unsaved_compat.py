"""cms/static/cms/admin/wagtail-unsaved-compat.js patches one getter of Wagtail's compiled core.js: these tests fail
when the installed Wagtail no longer has that getter, word for word, in its unsaved-changes controller.

The patch itself then stands down in the browser (it compares the same text), leaving Wagtail's own check: read the
new upstream getter, and either carry its change into the patch (and UPSTREAM_FORM_DATA) or, if upstream reads the
form in linear time now, remove the patch, its line in cms.wagtail_hooks.ADMIN_SCRIPTS and these tests.
"""

import re
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.urls import reverse

from tests.factories.advice_forms import definition, question, section

PATCH = Path(settings.BASE_DIR) / "cms" / "static" / "cms" / "admin" / "wagtail-unsaved-compat.js"
CORE_JS = Path(wagtail.__file__).parent / "admin" / "static" / "wagtailadmin" / "js" / "core.js"


def _upstream(constant):
    """An upstream text (UPSTREAM_FORM_DATA, ...) as the patch writes it: quoted pieces joined with +."""
    source = PATCH.read_text()
    match = re.search(rf"const {constant} =\s*(.*?);\n", source, re.DOTALL)
    assert match, f"{constant} is missing from the patch"
    pieces = re.findall(r"'([^']*)'|\"([^\"]*)\"", match.group(1))
    return "".join(single or double for single, double in pieces)


def _upstream_form_data():
    return _upstream("UPSTREAM_FORM_DATA")


def _unsaved_controller_class(core):
    """The text of the class that core.js registers as "w-unsaved", up to the next class."""
    name = re.search(r'\{controllerConstructor:([\w$]+),identifier:"w-unsaved"\}', core)
    assert name, 'core.js registers no controller as "w-unsaved"'
    start = core.index(f"class {name.group(1)} extends ")
    end = core.find("class ", start + 1)
    return core[start:end]


def test_wagtails_unsaved_changes_controller_still_has_the_patched_getter():
    upstream = _upstream_form_data()
    assert upstream.startswith("get formData(){") and upstream.endswith("}")
    core = CORE_JS.read_text()
    assert core.count(upstream) == 1, f"Wagtail {wagtail.__version__}'s core.js has changed the patched getter"
    assert upstream in _unsaved_controller_class(core)


@pytest.mark.parametrize(
    "constant, starts", [("UPSTREAM_SET_INITIAL_FORM_DATA", "setInitialFormData(){"), ("UPSTREAM_CLEAR", "clear(){")]
)
def test_wagtails_unsaved_changes_controller_still_copies_the_form_as_the_patch_expects(constant, starts):
    """The first copy, still taken two seconds after the page starts, by the method the patch replaces: when the
    delay goes, or the copy is taken otherwise, read upstream's change and carry it into the patch (or drop that part
    of it, and tests/browser/test_typed_as_the_editor_opens.py's upstream test)."""
    upstream = _upstream(constant)
    assert upstream.startswith(starts) and upstream.endswith("}")
    controller = _unsaved_controller_class(CORE_JS.read_text())
    assert controller.count(upstream) == 1, f"Wagtail {wagtail.__version__}'s core.js has changed {starts[:-3]}"
    assert "static initialDelayValue=2e3;" in controller
    assert re.search(r"\|\|\(0,[\w$]+\.[\w$]+\)\(this\.setInitialFormData,[\w$]+\.initialDelayValue\)\(\)", controller)


@pytest.mark.django_db
def test_the_definition_editor_loads_the_patch(designer_client):
    form = definition([section("Part 1", [question("short_text", "Name", key="name")])], publish=False)
    response = designer_client.get(reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[form.pk]))
    html = response.content.decode()
    core, patch = html.index("wagtailadmin/js/core.js"), html.index("cms/admin/wagtail-unsaved-compat.js")
    assert core < patch  # the patch reads the controller core.js has registered
