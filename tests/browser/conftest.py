"""Browser journeys: Playwright for Python driving Debian's Chromium, with axe-core checks.

When /usr/bin/chromium is missing every browser test is skipped, and the run says so in one line; in CI
(CI=true) every browser test fails instead, so a CI without Chromium cannot stay green without them.
"""

import json
import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

from faq.captures import CHROMIUM, CHROMIUM_ARGS  # one way to start Chromium, for tests and captures

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SKIP_REASON = f"Browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's violations of the rules of one kind ("tag" or "rule") and values, run in the page once AXE_JS is. Only the
# violations are worked out in full (resultTypes, axe's advice for speed) and only they come back to the test: no
# test reads the passes or the rules that apply nowhere, which axe otherwise describes node by node.
AXE_VIOLATIONS_JS = """async ([kind, values]) => (await axe.run(document, {
    runOnly: {type: kind, values: values}, resultTypes: ["violations"]
})).violations"""


def axe_run(page, kind, values, source=None):
    """axe's violations in ``page`` of the rules of one ``kind`` ("tag" or "rule") and ``values``, every node of each;
    axe (``source``, else AXE_JS read now) is put in the page through the DevTools protocol, which the page's Content
    Security Policy does not govern (a script tag would be blocked)."""
    page.evaluate(source or AXE_JS.read_text())
    return page.evaluate(AXE_VIOLATIONS_JS, [kind, values])


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


# A journey through Wagtail's editor on a loaded two-worker run now and then clicks before the admin's scripts have
# set up what it clicks, and fails once in several runs (seen in the condition picker and the section-one build,
# which now wait for a new block to slide open: tests/browser/editor.py's slid_open; and in an autosave test that
# lost a save's message by chance, which the sessions now keep: cms/session_backends/).
# Such a test runs once more before it counts as failed, and the summary line names it as "rerun": a journey that
# fails twice still fails the run, and a rerun is a lead to follow, not a pass to forget. `BROWSER_RERUNS=0` in the
# environment turns the rerun off, to count how often a journey fails when looking into one.
def _browser_reruns() -> int:
    reruns = os.environ.get("BROWSER_RERUNS", "1")
    if not (reruns.isascii() and reruns.isdigit()):
        raise pytest.UsageError(
            f"BROWSER_RERUNS is how often a failing browser test runs again: 0, 1 or more, not {reruns!r}"
        )
    return int(reruns)


BROWSER_RERUNS = _browser_reruns()


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if _is_browser_test(item)]
    if os.path.exists(CHROMIUM) or _in_ci():
        for item in browser_items:
            item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS))
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in browser_items:
        item.add_marker(skip)


def pytest_runtest_setup(item):
    """In CI a browser test without Chromium fails at once, before its fixtures start a server."""
    if _is_browser_test(item) and _in_ci() and not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: CI runs every browser test (apt-get install chromium)")


def pytest_terminal_summary(terminalreporter):
    if not os.path.exists(CHROMIUM) and not _in_ci():
        terminalreporter.write_line(SKIP_REASON)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls there; the
    # test's own ORM calls are synchronous, so the guard is relaxed for browser tests alone.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# When a browser test ends, what its pages still had on the way (an autosave a field's blur sent, a preview) is waited
# for before its database is emptied: a request that reached the live server after that failed the teardown and left
# rows the rerun then met (seen twice in CI, each time in a different test). The server's side is counted with
# Django's request signals; the browser's side, for the `page` fixture, with Playwright's request events.
# What a page sends as its context closes is not among them: the step's leaving save (autosave.js, on pagehide, a
# keepalive fetch that outlives the page and that the page's routes no longer answer) reaches the live server after
# the close, during the wait or after it (3 of 46 runs of the autosave files' tests on PostgreSQL; in stop 58's CI it
# came after, its transaction met the flush's TRUNCATE, the teardown failed, and the rerun's setup met the first run's
# school). So once a test's contexts are closed, the live server refuses every request, before any view or query,
# until the test's teardown has emptied the database.
IN_FLIGHT_WAIT_SECONDS = 10


class LateRequest(Exception):
    """A request that reached the live server after its test's pages were closed."""


class _ServerRequests:
    """The live server's threads that have started a request and not yet finished it. The test's own thread (Django's
    test client, whose streamed answers finish only when read) is not counted; a thread that died mid-request is not
    waited for. While ``refusing``, a request is refused as it starts (the live server answers 500)."""

    def __init__(self):
        self.threads = set()
        self.lock = threading.Lock()
        self.refusing = False
        self.refused = []

    def started(self, environ=None, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return
        with self.lock:
            if self.refusing:
                request = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}" if environ else "a request"
                self.refused.append(request)
                raise LateRequest(f"{request} reached the live server after its test's pages were closed")
            self.threads.add(threading.current_thread())

    def finished(self, **kwargs):
        with self.lock:
            self.threads.discard(threading.current_thread())

    def refuse(self, refusing=True):
        with self.lock:
            self.refusing = refusing

    def busy(self):
        with self.lock:
            self.threads = {thread for thread in self.threads if thread.is_alive()}
            return bool(self.threads)

    def wait_until_idle(self):
        deadline = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.02)


SERVER_REQUESTS = _ServerRequests()
request_started.connect(SERVER_REQUESTS.started, dispatch_uid="browser-tests-requests-started")
request_finished.connect(SERVER_REQUESTS.finished, dispatch_uid="browser-tests-requests-finished")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before any fixture of a browser test is torn down (the database emptied among them), the live server has
    answered every request the test's pages sent (a test that closes its own context sends nothing after)."""
    if _is_browser_test(item):
        SERVER_REQUESTS.wait_until_idle()
    yield
    SERVER_REQUESTS.refuse(False)  # the database is emptied: the next test's pages are served


def close_context(context):
    """Close a browser context as its test ends, and refuse what reaches the live server after (above): a fixture's
    teardown closes its contexts here."""
    context.close()
    SERVER_REQUESTS.refuse()
    SERVER_REQUESTS.wait_until_idle()


def _page_in_a_new_context(browser, **options):
    context = browser.new_context(**options)
    sent = set()
    context.on("request", lambda request: sent.add(request))
    context.on("requestfinished", lambda request: sent.discard(request))
    context.on("requestfailed", lambda request: sent.discard(request))
    page = context.new_page()
    yield page
    deadline = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
    while sent and time.monotonic() < deadline and not page.is_closed():
        page.wait_for_timeout(20)  # lets Playwright deliver the requests' events
    close_context(context)


@pytest.fixture
def page(browser):
    yield from _page_in_a_new_context(browser, base_url=None)


@pytest.fixture
def new_page(browser):
    """Open a page in a browser context of its own (another visitor, another signed-in member of staff, a phone's
    viewport, JavaScript off: ``new_page(viewport=..., java_script_enabled=False)`` takes ``browser.new_context``'s
    options): each is closed as the ``page`` fixture's is, after its requests are answered, when the test ends, passed
    or failed. A test may close one sooner (``page.context.close()``) to start afresh. Browser tests open their
    contexts here, not with ``browser.new_context``, which a failing test would leave open."""
    opened = []

    def open_page(**options):
        pages = _page_in_a_new_context(browser, **options)
        opened.append(pages)
        return next(pages)

    yield open_page
    for pages in reversed(opened):
        next(pages, None)


@pytest.fixture
def page_without_javascript(browser):
    """A page in a browser with JavaScript switched off: what works without it must work here."""
    yield from _page_in_a_new_context(browser, java_script_enabled=False)


def known_false_positive(violation, node):
    """GOV.UK Frontend's file upload button is labelled by its label and itself (aria-labelledby="label comma
    button", govuk-frontend #5652), so its name holds its visible text. Axe 4.14 computes that name ("Upload a file,
    No file chosen, Choose file or drop file") but reads the visible text as "No file chosenChoose file or drop file":
    the script puts the status and the "Choose file" spans side by side with no space (they show on two lines), and
    reports label-content-name-mismatch. The markup is govuk-frontend's own at 6.6.0, its latest release; no upstream
    fix. test_the_file_upload_buttons_name_holds_its_visible_text and tests/browser/test_file_upload.py check the
    name as Chromium computes it."""
    return violation["id"] == "label-content-name-mismatch" and "govuk-file-upload-button" in node["html"]


# Axe measures colours as they are drawn: while something fades in (Wagtail's messages take half a second) its text
# is paler than it will be, and fails contrast (2 of 6 runs of the section-one build). Axe waits, as a reader's eye
# does, for what is appearing: animations and transitions that end within two seconds. Wagtail's badges pulse for
# 25 seconds and spinners never stop; they are not waited for.
SETTLED = """async () => {
    await new Promise(frame => requestAnimationFrame(() => requestAnimationFrame(frame)));
    const ending = document.getAnimations().filter(a => {
        const timing = a.effect && a.effect.getComputedTiming();
        return timing && timing.endTime - (a.currentTime || 0) <= 2000;
    });
    await Promise.all(ending.map(a => a.finished.catch(() => null)));
}"""


@pytest.fixture
def axe_violations():
    """Run axe-core in the page and return its WCAG 2.2 A/AA violations, formatted for a failure message; with
    ``rules``, those of these axe rules alone (e.g. ["heading-order"], a best practice outside the WCAG tags)."""
    source = AXE_JS.read_text()

    def run(page, rules=None):
        page.evaluate(SETTLED)
        found = axe_run(page, "rule", rules, source) if rules else axe_run(page, "tag", WCAG_22_AA, source)
        skip = known_false_positive
        violations = [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"] if not skip(v, n)]}
            for v in found
        ]
        return [{**v, "nodes": v["nodes"][:5]} for v in violations if v["nodes"]]

    run.describe = lambda violations: json.dumps(violations, indent=2)
    return run


@pytest.fixture(scope="session", autouse=True)
def _restore_migrated_rows_after_browser_tests(django_db_setup, django_db_blocker):
    """Browser tests are transactional: each flushes every table when it ends, which left the reused test
    database without the rows migrations made (root page, Team and Type, groups) and failed the next run.
    The rows are serialized before the first browser test and put back at the end of the session."""
    from django.db import connections

    with django_db_blocker.unblock():
        saved = {connection.alias: connection.creation.serialize_db_to_string() for connection in connections.all()}
    yield
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style

    with django_db_blocker.unblock():
        for connection in connections.all():
            if saved.get(connection.alias):
                # The last flush re-made content types and permissions with new ids; clear them first.
                call_command(
                    "flush", database=connection.alias, interactive=False, inhibit_post_migrate=True, verbosity=0
                )
                connection.creation.deserialize_db_from_string(saved[connection.alias])
                # The flush restarted the sequences at 1 and the rows came back with their own ids: move each
                # sequence past them, or PostgreSQL hands those ids out again in the next run (duplicate key).
                models = apps.get_models(include_auto_created=True)
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)


@pytest.fixture
def countdown_after_four_seconds(settings):
    """The idle time-out's countdown opens 4 s after a page has loaded, and the page signs itself out at 9 s (the
    server's 8 and the second the script adds): time to leave a change the page would ask about before leaving."""
    settings.PORTAL_SESSION_IDLE_SECONDS = 8
    settings.PORTAL_SESSION_WARNING_SECONDS = 4
    return settings


@pytest.fixture
def editors(page):
    """The editors a test opens (each with a close()), closed before its page is (and before the database is
    emptied)."""
    opened = []
    yield opened
    for editor in opened:
        editor.close()
