"""Waiting in a test for what another process does (a browser's autosave, a worker's task, a form's submission)."""

import time


def wait_for(check, seconds=30, interval=0.2):
    """Call ``check`` every ``interval`` seconds until it answers something truthy and return that answer; once
    ``seconds`` have passed, return what one last call answers, so the caller's assertion shows what was found."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(interval)
    return check()


def next_document(page, submit, seconds=60):
    """Call ``submit`` (a click that sends the page's form) and wait until the browser shows the page that answers it.

    Wagtail's editor autosaves half a second after each change, so what a "Save draft" click sends may be stored
    before its answer arrives: a check of the database then passes while the old page is still on the screen, and
    a test that goes on clicking acts on a page about to be replaced. A mark set on this page is gone on the next."""
    page.evaluate("window.beforeSubmit = true")
    submit()
    page.wait_for_function("window.beforeSubmit === undefined", timeout=seconds * 1000)
    page.wait_for_load_state("load")
