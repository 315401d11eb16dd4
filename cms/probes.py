"""The health checks answer whatever Host header they are sent.

A load balancer or an orchestrator probes each app server at its own address (``Host: 10.0.0.5``), which is not one
of ALLOWED_HOSTS: Django's host check (CommonMiddleware is the first to read ``request.get_host()``) would answer
400. This middleware, placed before anything that reads the Host, answers ``/healthz`` and ``/readyz`` itself.
Neither reads the Host nor builds a link from it, and neither says anything secret (a status and the names of the
checks, never an address or an error's text). Every other path, ``/metrics`` included, is checked as before.
"""

from django.urls import resolve

PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PROBE_PATHS:
            return self.get_response(request)
        match = resolve(request.path_info)
        request.resolver_match = match  # the request log and the metrics name the view, as for any request
        return match.func(request, *match.args, **match.kwargs)
