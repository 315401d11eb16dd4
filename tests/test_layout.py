"""Imports run one way (DESIGN.md, "Layout"): faq -> cms, advice_forms -> portal_pages -> cms; bench may import
anything and nothing imports bench; no module of cms imports another app of ours; no import cycles.

Reads every project module's imports with ``ast`` (module-level and function-level alike; migrations and tests
excepted), so an import written inside a function to dodge a cycle still counts. An import names the module it
imports (``import a.b.c`` and ``from a.b import c`` reach ``a.b.c`` when it is a module), as import-linter reads them.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cms", "faq", "advice_forms", "portal_pages", "bench", "settings")
# What each app may import of our other apps. bench alone may import every app.
MAY_IMPORT = {
    "cms": set(),
    "faq": {"cms"},
    "portal_pages": {"cms"},
    "advice_forms": {"portal_pages", "cms"},
    "bench": set(APPS) - {"bench"},
    "settings": set(),
}


def _modules():
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _imported_modules(module, path, node, modules):
    """The project modules one import statement reaches: ``from a.b import c`` reaches a.b.c when that is a
    module, else a.b (c is a name in it); a relative import is read against the importing module's package."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
    return {target for target in (_resolve(name, modules) for name in names) if target and target != module}


def _resolve(name, modules):
    """The project module a dotted name lies in (the longest prefix that is one), or None."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _import_nodes(path):
    """Every import statement of a module, module-level and function-level alike."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def import_graph():
    """({module: {imported module: [line, ...]}}, {module: path}) over the project's own modules."""
    modules = _modules()
    graph = defaultdict(lambda: defaultdict(list))
    for module, path in modules.items():
        for node in _import_nodes(path):
            for target in _imported_modules(module, path, node, modules):
                graph[module][target].append(node.lineno)
    return {module: dict(targets) for module, targets in graph.items()}, modules


@pytest.fixture(scope="module")
def graph():
    return import_graph()[0]


def _app(module):
    return module.split(".")[0]


def _forbidden_edges(graph):
    return {
        (module, target): lines
        for module, targets in graph.items()
        for target, lines in targets.items()
        if _app(module) != _app(target) and _app(target) not in MAY_IMPORT[_app(module)]
    }


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan), each as a set of module names."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_the_reader_sees_function_level_relative_and_submodule_imports():
    graph, modules = import_graph()

    assert {"cms.models", "advice_forms.models", "advice_forms.models.taxonomies", "bench.topology"} <= set(modules)
    assert not any("migrations" in module for module in modules)
    # An app's ready() imports its own modules inside a function; serve_prod reaches bench.topology through
    # `from bench import`.
    assert "advice_forms.casework_setup" in graph["advice_forms.apps"]
    assert "bench.topology" in graph["bench.management.commands.serve_prod"]


def test_no_forbidden_edges(graph):
    forbidden = sorted(
        f"{module} -> {target} (line {lines[0]})" for (module, target), lines in _forbidden_edges(graph).items()
    )

    assert not forbidden, "Imports against the layout (DESIGN.md): " + "; ".join(forbidden)


def test_no_import_cycles(graph):
    cycles = [sorted(cycle) for cycle in _cycles(graph)]

    assert not cycles, f"Import cycles: {cycles}"


def _included_by_name(path):
    """The dotted module names a module passes as strings to ``include(...)``: Django imports them when the URLconf
    loads, so they are imports the ``import`` reader does not see."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and ast.unparse(node.func).split(".")[-1] == "include"):
            continue
        target = node.args[0]
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            names.append(target.value)
    return names


def test_urlconfs_include_by_name_only_what_they_may_import():
    """The root URLconf (cms/urls.py) mounts every app; any other URLconf includes only what its app may import, so
    portal_pages never loads advice_forms' URLs: advice_forms.portal.urls composes the "portal" namespace instead."""
    modules = _modules()
    forbidden = sorted(
        f"{module} includes {name}"
        for module, path in modules.items()
        if module != "cms.urls"
        for name in _included_by_name(path)
        if _app(name) in APPS and _app(name) != _app(module) and _app(name) not in MAY_IMPORT[_app(module)]
    )

    assert {"faq.urls", "advice_forms.portal.urls", "bench.urls"} <= set(_included_by_name(modules["cms.urls"]))
    assert not forbidden, "URLconfs against the layout (DESIGN.md): " + "; ".join(forbidden)


def test_cms_imports_no_other_app_of_ours(graph):
    outside = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _app(module) == "cms"
        for target in targets
        if _app(target) != "cms"
    )

    assert not outside


def test_the_form_builder_imports_taxonomies_only_of_the_models(graph):
    models = {target for target in graph["advice_forms.form_builder"] if target.startswith("advice_forms.models")}

    assert models == {"advice_forms.models.taxonomies"}
    assert not {t for t in graph.get("advice_forms.models.taxonomies", {}) if t.startswith("advice_forms.")}


def test_cms_pdf_alone_imports_weasyprint():
    """WeasyPrint costs about a second to import and must render with the restricted URL fetcher: one module owns it."""
    importers = sorted(
        module
        for module, path in _modules().items()
        for node in _import_nodes(path)
        # A relative import names a module of ours, never WeasyPrint.
        if not getattr(node, "level", 0)
        for name in ([alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module])
        if name.split(".")[0] == "weasyprint"
    )

    assert set(importers) == {"cms.pdf"}, f"WeasyPrint is imported by {importers}; only cms.pdf may import it"


SERVICES_MODULE_MOST_LINES = 300


def test_no_services_module_is_over_300_lines():
    """A services package holds one sub-domain a module; a module past 300 lines holds more than one, so split it. An
    app's single services.py (cms, faq) is held to the same."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in [*ROOT.glob("*/services/*.py"), *ROOT.glob("*/services.py")]
        if (lines := len(path.read_text().splitlines())) > SERVICES_MODULE_MOST_LINES
    }
    assert not long, f"Split these services modules by sub-domain: {long}"


# Calls that write to the database: a model's, a manager's or a queryset's.
WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}


def _writes(node):
    """The write calls under ``node`` (line, name), leaving out a form's own ``save()``: Django's way to save it."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "save":
        return []
    found = []
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
        found.append((node.lineno, node.func.attr))
    for child in ast.iter_child_nodes(node):
        found.extend(_writes(child))
    return found


def test_no_forms_module_writes():
    """A forms module validates and shows; what writes lives in a services module (or a module of writes of its own,
    like cms.two_factor), so a form helper never saves as a side effect of being called."""
    paths = [*ROOT.glob("*/forms.py"), *ROOT.glob("*/forms/*.py")]
    writes = {
        f"{path.relative_to(ROOT)}:{line}": name
        for path in paths
        for line, name in _writes(ast.parse(path.read_text()))
    }
    assert paths
    assert not writes, f"Forms modules that write to the database: {writes}"
