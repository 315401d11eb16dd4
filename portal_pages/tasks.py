"""django-q2 entry points; each calls a service and is safe to run twice.

Those asked for by an email address do their work once for each request however often they run: the request gives
its task an id of its own (``request_id``, see ``services.address_requests``), and the service is given it as
``once_for``. A task queued before there were ids has none and emails on each run, as it did (a registration's uses
its new password's hash instead, unique to it too).

Those asked for by an email address (``services.address_requests``) are given what the person typed: the address,
and for a registration the new password's hash. django-q2 records every task it runs, with its arguments, in its
table of finished tasks (the latest 250 successes, failures for PORTAL_FAILED_TASK_DAYS); ``arguments_forget`` blanks
theirs first.
Each is marked where it is defined, ``@asked_by_address``.
"""

import logging

from portal_pages.models import Organisation
from portal_pages.services import accounts as account_services
from portal_pages.services import devices as device_services
from portal_pages.services import organisations, password_resets

logger = logging.getLogger(__name__)

# The tasks given what a person typed (``asked_by_address``), whose arguments and errors are not kept.
ASKED_BY_ADDRESS = set()


def asked_by_address(func):
    ASKED_BY_ADDRESS.add(func)
    return func


def accounts_mark_dormant() -> int:
    return account_services.accounts_mark_dormant()


def devices_remove_unconfirmed() -> int:
    return device_services.devices_remove_unconfirmed()


@asked_by_address
def password_reset_request(*, email: str, ip_address: str | None = None, request_id: str = "") -> None:
    password_resets.password_reset_request(email=email, ip_address=ip_address, once_for=request_id)


@asked_by_address
def admin_password_reset_request(
    *, email: str, ip_address: str | None = None, request_id: str = "", by_superuser: bool = False
) -> None:
    password_resets.admin_password_reset_request(
        email=email, ip_address=ip_address, once_for=request_id, by_superuser=by_superuser
    )


@asked_by_address
def account_verification_resend(*, email: str, request_id: str = "") -> None:
    account_services.account_verification_resend(email=email, once_for=request_id)


@asked_by_address
def account_register(*, organisation_id: int | None, request_id: str = "", **details) -> None:
    """``details``: the rest of ``account_register``'s arguments, as ``account_register_queue`` queued them."""
    # Queued before there were ids: the new password's hash, salted afresh for each registration, stands for the id.
    once_for = request_id or details["password_hash"]
    organisation = None
    if organisation_id:
        # Closed or removed since the form listed it: refused as the form refuses it, with nothing written; the
        # address is told, as the page told it to check its email.
        organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
        if organisation is None:
            logger.info("Registration not made: organisation %s is no longer active", organisation_id)
            organisations.organisation_closed_registration_answer(email=details["email"], once_for=once_for)
            return
    account_services.account_register(organisation=organisation, once_for=once_for, **details)


FAILURE_WORDS = "The task failed; its details are not kept because they may hold an email address."


def arguments_forget(sender=None, func=None, task=None, **kwargs):
    """django-q2's ``post_execute_in_worker``, before it records the task: a task asked for by an email address is
    recorded without its arguments, and when it failed without its error, whose text may hold the address (a
    database's duplicate-key error quotes the value, and not only as an email address). django-q2 keeps failures for
    PORTAL_FAILED_TASK_DAYS and logs their result."""
    if task is not None and func in ASKED_BY_ADDRESS:
        task["args"], task["kwargs"] = (), {}
        if not task.get("success", True):
            task["result"] = FAILURE_WORDS
