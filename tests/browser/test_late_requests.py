"""The browser tests' teardown: what reaches the live server after a test's pages are closed is refused before any
view, so nothing touches the database while the teardown empties it (tests/browser/conftest.py's close_context)."""

import urllib.error
import urllib.request

from tests.browser.conftest import SERVER_REQUESTS, close_context


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_request_after_the_tests_pages_closed_is_refused_until_the_teardown_ends(live_server, new_page):
    """A step's leaving save is a keepalive fetch sent as its page closes; it reached the live server after the
    teardown's wait, its transaction met PostgreSQL's flush, and the rerun met the first run's rows."""
    healthz = f"{live_server.url}/healthz"
    page = new_page()
    page.goto(healthz)
    assert _status(healthz) == 200
    refused = len(SERVER_REQUESTS.refused)

    close_context(page.context)  # as the fixture's teardown does
    try:
        assert _status(healthz) == 500
        assert SERVER_REQUESTS.refused[refused:] == ["GET /healthz"]
    finally:
        SERVER_REQUESTS.refuse(False)  # as the teardown does once the database is emptied
    assert _status(healthz) == 200


def test_the_django_test_clients_requests_are_not_refused(db, client):
    """The test's own thread (Django's test client) is never refused: a fixture may use it after the pages closed."""
    SERVER_REQUESTS.refuse()
    try:
        assert client.get("/healthz").status_code == 200
    finally:
        SERVER_REQUESTS.refuse(False)
