"""django-q2 entry points; each calls a service and is safe to run twice."""

from portal_pages import services


def accounts_mark_dormant() -> int:
    return services.accounts_mark_dormant()


def devices_remove_unconfirmed() -> int:
    return services.devices_remove_unconfirmed()
