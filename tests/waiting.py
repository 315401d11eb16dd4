"""Waiting in a test for what another process does (a browser's autosave, a worker's task): one polling loop."""

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
