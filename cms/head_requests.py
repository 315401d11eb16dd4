"""HEAD is answered as GET, without the body, wherever GET is (RFC 9110, 9.3.2).

Views decorated ``require_http_methods(["GET", "POST"])`` or ``require_GET`` refused HEAD with a 405 (the sign-in
page among them), and every response to a HEAD went out with its body: gunicorn drops it, logging a warning each time
("sent body bytes on a no-body response"), so a probe that uses HEAD flooded the log. Django's test client and its
development server drop the body themselves, which is why neither showed it.

``HeadAsGetMiddleware``, second only to the request log, runs the request as a GET (every view, decorator, cache and
middleware below sees GET, as Flask and Werkzeug do for HEAD) and gives back the GET's status and headers with no
body; the request's own log line and metrics still say HEAD. A view that answers no GET answers no HEAD.
"""


class HeadAsGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            # A file's own closing (FileResponse) is already among the response's closers.
            response.streaming_content = []
        else:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))  # the length the GET's body would have
            response.content = b""
        return response
