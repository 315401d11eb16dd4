"""Waiting in a test for what another process does (a browser's autosave, a worker's task, a form's submission)."""

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError


def wait_for(check, seconds=30, interval=0.2, page=None):
    """Call ``check`` every ``interval`` seconds until it answers something truthy and return that answer; once
    ``seconds`` have passed, return what one last call answers, so the caller's assertion shows what was found.

    Playwright runs a page's handlers (a route's, an event's) only while the test is inside a Playwright call: a check
    of what they record needs the ``page`` to wait on, not a sleep, or it sees nothing new until the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if page is None:
            time.sleep(interval)
        else:
            page.wait_for_timeout(interval * 1000)
    return check()


def wait_for_script(page, expression, arg=None, timeout=30000, interval=100):
    """Wait until ``expression`` (a script expression, or a function called with ``arg``) is truthy in the page.

    Playwright's page.wait_for_function runs the expression through the page's own eval(), which a Content Security
    Policy without 'unsafe-eval' refuses, as the admin's does (docs/operations.md, "The admin's Content Security
    Policy"). page.evaluate goes through the DevTools protocol, which the policy does not govern. A navigation on the
    way (a form sent) is waited through; after ``timeout`` milliseconds Playwright's TimeoutError is raised."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            found = page.evaluate(expression, arg)
        except PlaywrightError as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(f"Timeout {timeout}ms waiting for {expression[:80]!r}")
        page.wait_for_timeout(interval)


def next_document(page, submit, seconds=60):
    """Call ``submit`` (a click that sends the page's form) and wait until the browser shows the page that answers it.

    Wagtail's editor autosaves half a second after each change, so what a "Save draft" click sends may be stored
    before its answer arrives: a check of the database then passes while the old page is still on the screen, and
    a test that goes on clicking acts on a page about to be replaced. A mark set on this page is gone on the next."""
    page.evaluate("window.beforeSubmit = true")
    submit()
    wait_for_script(page, "window.beforeSubmit === undefined", timeout=seconds * 1000)
    page.wait_for_load_state("load")
