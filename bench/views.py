"""What `make bench` measures against, switched on by PORTAL_BENCH_VIEWS on loopback only.

- ``minimal_page``: a fixed 2 KB HTML page from a plain Django view, the framework's floor on the same server.
- ``ServerTimingMiddleware``: a ``Server-Timing`` header with the CPU time the request took in this process, its
  number of SQL queries and its wall time in Django (``app``: the CPU plus waiting for PostgreSQL, Redis and a
  core), so the benchmark reads server cost without a profiler attached, apart from the time spent queued.

Neither is installed unless PORTAL_BENCH_VIEWS is on; ``check --deploy`` warns when it is.
"""

import time

from django.conf import settings
from django.core.checks import Warning, register
from django.db import connections
from django.http import HttpResponse
from django.views.decorators.http import require_GET

MINIMAL_PAGE_BYTES = 2048


def _minimal_body():
    head = b'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>Minimal page</title></head><body>\n'
    tail = b"\n</body></html>\n"
    filler = b"<p>" + b"The framework floor: a fixed page from a plain Django view. " * 40
    body = head + filler[: MINIMAL_PAGE_BYTES - len(head) - len(tail) - 4] + b"</p>" + tail
    assert len(body) == MINIMAL_PAGE_BYTES
    return body


MINIMAL_BODY = _minimal_body()


@require_GET
def minimal_page(request):
    return HttpResponse(MINIMAL_BODY, content_type="text/html; charset=utf-8")


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ServerTimingMiddleware:
    """Adds ``Server-Timing: cpu;dur=<ms>, db;desc="<n> queries";dur=<n>, app;dur=<ms>`` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started, wall_started = time.thread_time(), time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        cpu_ms = (time.thread_time() - started) * 1000
        wall_ms = (time.perf_counter() - wall_started) * 1000
        response["Server-Timing"] = (
            f'cpu;dur={cpu_ms:.2f}, db;desc="{counter.count} queries";dur={counter.count}, app;dur={wall_ms:.2f}'
        )
        return response


@register(deploy=True)
def check_bench_views_off(app_configs, **kwargs):
    if getattr(settings, "PORTAL_BENCH_VIEWS", False):
        return [
            Warning(
                "PORTAL_BENCH_VIEWS is on: benchmark views and timing headers are served.",
                hint="Switch it on only for `make bench` on loopback; unset it in a real deployment.",
                id="portal.W001",
            )
        ]
    return []
