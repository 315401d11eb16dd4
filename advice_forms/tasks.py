"""django-q2 entry points of the advice loop: each takes ids (or nothing), calls a service, and is safe to run twice."""

from advice_forms import services


def advice_requests_remind() -> dict:
    return services.advice_requests_remind()
