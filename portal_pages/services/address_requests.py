"""Requests that name an email address and answer the same whether or not it has an account ("if it has one, we have
emailed it"): a password reset at either door, a new confirmation link, a registration.

The request queues one task, the same for every address; the task looks the account up, audits and emails. A request
that did that work itself took longer for an address with an account (a password reset: 266 ms against 107, the
ranges apart), so its time told anyone which addresses have one.

django-q2 may run a task twice (a worker lost after the work and before its acknowledgement, or a retry). Each request
gives its task an id of its own, ``request_id``, and the task does its work once for it: its email's outbox key is a
keyed hash of the id (``emails.email_once_key``), and a password reset's audit entry carries the same hash (it may send
no email), so a second run finds the request answered and sends and audits nothing more.
"""

import uuid

from django.utils.module_loading import import_string

from cms.services import task_enqueue


def address_request_queue(task: str, **kwargs) -> None:
    """Queue ``portal_pages.tasks.<task>(**kwargs, request_id=...)``, the id made here, new for each request. Pass
    data, never objects (``ip_address`` for an audit entry).

    When the task queue does not take it (Redis is down), the task runs here instead, so the email is not lost:
    its row goes in the outbox, sent once Redis is back. Only then does the answer take longer for a known address.
    """
    func = f"portal_pages.tasks.{task}"
    kwargs["request_id"] = uuid.uuid4().hex
    if not task_enqueue(func, task_name=task.replace("_", "-"), refused="it is done in the request instead", **kwargs):
        import_string(func)(**kwargs)
