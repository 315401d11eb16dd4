"""HEAD without a session is answered as GET, without the body (RFC 9110, 9.3.2); every HEAD goes out with no body.

Views decorated ``require_http_methods(["GET", "POST"])`` or ``require_GET`` refused HEAD with a 405 (the sign-in
page among them), and every response to a HEAD went out with its body: gunicorn drops it, logging a warning each time
("sent body bytes on a no-body response"), so a probe that uses HEAD flooded the log. Django's test client and its
development server drop the body themselves, which is why neither showed it.

``HeadAsGetMiddleware``, second only to the request log, runs a HEAD that carries no session cookie (a probe, a link
checker, a crawler: /healthz, /readyz, a page, the sign-in page) as a GET (every view, decorator, cache and middleware
below sees GET, as Flask and Werkzeug do for HEAD) and gives back the GET's status and headers with no body. A HEAD
with a session cookie goes through as HEAD: a signed-in GET has effects a HEAD must not have (a message marked read, a
download or a child's record audited, the idle clock restarted, a PDF rendered, a download manager's HEAD before its
GET logging every download twice). A function view that answers only GET answers it 405, as Django does; but a
class-based view (Django's View, so every Wagtail admin view) answers HEAD with its own get(), and a view that checks
no method runs as for a GET. Such a view keeps its GET's effects from a HEAD itself: the audit of a view of a child's
record skips a HEAD (advice_forms.admin.records.child_viewed). Either way the body is dropped, and the request's own log
line and metrics still say HEAD. A view that answers no GET answers no HEAD.
"""

from django.conf import settings


class HeadAsGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return _without_body(self.get_response(request))
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        return _without_body(response)


def _without_body(response):
    if response.streaming:
        # A file's own closing (FileResponse) is already among the response's closers.
        response.streaming_content = []
    else:
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))  # the length the GET's body would have
        response.content = b""
    return response
