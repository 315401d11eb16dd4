"""django-q2 entry points of guidance: each takes an id and calls a service, and is safe to run twice."""

from faq import services


def printable_render(page_id):
    return services.printable_render(page_id=page_id)
