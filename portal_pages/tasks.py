"""django-q2 entry points; each calls a service and is safe to run twice."""

from portal_pages.services import accounts as account_services
from portal_pages.services import devices as device_services


def accounts_mark_dormant() -> int:
    return account_services.accounts_mark_dormant()


def devices_remove_unconfirmed() -> int:
    return device_services.devices_remove_unconfirmed()
