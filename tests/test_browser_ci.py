"""Browser tests without Chromium: skipped on a developer's machine, failed in CI (CI=true), so a CI that lacks
Chromium cannot pass without them. A failing browser test runs once more, or as often as BROWSER_RERUNS says."""

import os
import subprocess
import sys
from pathlib import Path

from tests.child_env import child_env

ROOT = Path(__file__).resolve().parents[1]


def _run_browser_tests(ci: bool, **changes):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "BROWSER_RERUNS")}
    env = child_env(env, PORTAL_CHROMIUM="/nonexistent/chromium", **({"CI": "true"} if ci else {}), **changes)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/browser/test_site_pages.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_in_ci_a_browser_test_without_chromium_fails():
    run = _run_browser_tests(ci=True)

    assert run.returncode == 1, run.stdout[-2000:]
    assert "No Chromium at /nonexistent/chromium: CI runs every browser test" in run.stdout
    assert " skipped" not in run.stdout.splitlines()[-1]
    assert " rerun" in run.stdout.splitlines()[-1]  # each failing browser test ran once more


def test_browser_reruns_0_runs_a_failing_browser_test_once():
    run = _run_browser_tests(ci=True, BROWSER_RERUNS="0")

    assert run.returncode == 1, run.stdout[-2000:]
    assert " rerun" not in run.stdout.splitlines()[-1]


def test_browser_reruns_not_a_whole_number_stops_the_run_saying_what_it_takes():
    """It stopped the run with a ValueError's traceback from the conftest."""
    run = _run_browser_tests(ci=True, BROWSER_RERUNS="one")

    assert run.returncode == 4, run.stdout[-2000:]  # pytest's usage error
    said = run.stdout + run.stderr
    assert "BROWSER_RERUNS is how often a failing browser test runs again: 0, 1 or more, not 'one'" in said
    assert "ValueError" not in said


def test_elsewhere_a_browser_test_without_chromium_is_skipped_and_the_run_says_so():
    run = _run_browser_tests(ci=False)

    assert run.returncode == 0, run.stdout[-2000:]
    assert "Browser tests skipped: no Chromium at /nonexistent/chromium" in run.stdout
    assert " skipped" in run.stdout.splitlines()[-1] and "failed" not in run.stdout.splitlines()[-1]
