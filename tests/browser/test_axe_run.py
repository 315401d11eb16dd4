"""The axe run the browser tests share (``axe_run``: the ``axe_violations`` fixture, the every-page walk, the landmark
checks) reports what axe finds: working out only the violations (AXE_VIOLATIONS_JS) must not lose one. A page made to
fail, no server."""

import pytest

from tests.browser.conftest import axe_run

# The browser tests' session fixtures keep the database's rows, so even a test that uses none has one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FAILING_PAGE = """<!doctype html><html lang="en"><head><title>A page made to fail</title></head><body>
<p>Outside every landmark</p>
<main><h1>A page made to fail</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
<input type="text" id="unnamed"><input type="text" id="also-unnamed"></main></body></html>"""


def test_the_violations_of_the_wcag_run_come_back_each_with_every_node(page, axe_violations):
    page.set_content(FAILING_PAGE)

    violations = axe_violations(page)

    assert {violation["id"]: violation["nodes"] for violation in violations} == {
        "image-alt": [["img"]],
        "label": [["#unnamed"], ["#also-unnamed"]],
    }


def test_a_run_of_named_rules_reports_only_those(page):
    page.set_content(FAILING_PAGE)

    violations = axe_run(page, "rule", ["region"])

    assert [(violation["id"], [node["target"] for node in violation["nodes"]]) for violation in violations] == [
        ("region", [["p"]])
    ]
