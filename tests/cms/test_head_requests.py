"""HEAD answers as GET without a body wherever GET is allowed (cms/head_requests.py).

Django's test client drops a HEAD response's body itself, so the bodies are read here through Django's WSGI handler,
as gunicorn receives them (gunicorn logged a warning for every HEAD whose response carried one)."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _through_wsgi(method, path):
    """(status, headers, body) as a WSGI server receives them."""
    environ = getattr(RequestFactory(), method.lower())(path).environ
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return started["status"], started["headers"], body


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/"])
def test_a_head_request_is_answered_as_the_get_without_a_body(path, home_page):
    get_status, get_headers, get_body = _through_wsgi("GET", path)
    head_status, head_headers, head_body = _through_wsgi("HEAD", path)

    assert get_body
    assert head_body == b""
    assert head_status == get_status
    assert head_headers["Content-Type"] == get_headers["Content-Type"]


def test_a_head_request_for_a_downloaded_file_sends_no_body(home_page, monkeypatch):
    """A streamed response (a document, a CSV) is emptied too, its file closed as after a GET."""
    from django.http import FileResponse, HttpResponse

    from cms import head_requests

    opened = []

    def view(request):
        handle = open(__file__, "rb")  # noqa: SIM115 - the response closes it
        opened.append(handle)
        return FileResponse(handle) if request.method == "GET" else HttpResponse(status=405)

    response = head_requests.HeadAsGetMiddleware(view)(RequestFactory().head("/file"))
    body = b"".join(response.streaming_content)
    response.close()

    assert (response.status_code, body) == (200, b"")
    assert int(response["Content-Length"]) > 0 and opened[0].closed


def test_the_sign_in_page_answers_head_as_get(client, home_page):
    """require_http_methods(["GET", "POST"]) refused HEAD with a 405."""
    response = client.head("/portal/sign-in/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_view_that_takes_only_post_still_refuses_head(verified_client):
    assert verified_client.head(reverse("portal:keep_alive")).status_code == 405


def test_the_request_log_line_of_a_head_request_says_head(client, home_page, caplog):
    with caplog.at_level("INFO", logger="cms.requests"):
        client.head("/healthz")

    assert [record.method for record in caplog.records if record.name == "cms.requests"] == ["HEAD"]


def test_a_head_request_with_a_session_goes_through_as_head_without_a_body(settings):
    """A signed-in GET has effects (a message read, a download audited) that a HEAD must not have."""
    from django.http import HttpResponse

    from cms import head_requests

    seen = []

    def view(request):
        seen.append(request.method)
        return HttpResponse(b"a page", status=200 if request.method == "GET" else 405)

    middleware = head_requests.HeadAsGetMiddleware(view)
    factory = RequestFactory()
    factory.cookies[settings.SESSION_COOKIE_NAME] = "a-session"
    signed_in = middleware(factory.head("/portal/inbox/1/"))
    anonymous = middleware(RequestFactory().head("/portal/sign-in/"))

    assert seen == ["HEAD", "GET"]
    assert (signed_in.status_code, signed_in.content) == (405, b"")
    assert (anonymous.status_code, anonymous.content) == (200, b"")
