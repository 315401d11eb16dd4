"""Requests that name an email address and answer the same whether or not it has an account ("if it has one, we have
emailed it"): a password reset at either door, a new confirmation link, a registration.

The request queues one task, the same for every address; the task looks the account up, audits and emails. A request
that did that work itself took longer for an address with an account (a password reset: 266 ms against 107, the
ranges apart), so its time told anyone which addresses have one.
"""

from django.utils.module_loading import import_string

from cms.services import task_enqueue


def address_request_queue(task: str, **kwargs) -> None:
    """Queue ``portal_pages.tasks.<task>(**kwargs)``. Pass data, never objects (``ip_address`` for an audit entry).

    When the task queue does not take it (Redis is down), the task runs here instead, so the email is not lost:
    its row goes in the outbox, sent once Redis is back. Only then does the answer take longer for a known address.
    """
    func = f"portal_pages.tasks.{task}"
    if not task_enqueue(func, task_name=task.replace("_", "-"), refused="it is done in the request instead", **kwargs):
        import_string(func)(**kwargs)
