"""Writes of the portal's doors, by sub-domain: accounts (registration, invitations of team and staff accounts,
sign-in records, dormancy), password_resets (forgotten passwords, at the portal's door and the admin's),
address_requests (a request naming an email address handed to a task, so its time does not tell whether the address
has an account), devices (authenticators and backup codes), inbox (messages to a team account, marked read when
opened), emails (what every email says about the service and where it links), joining (requests to join), moves (the
one audited move of an account's state), deletion (accounts deleted by staff, each audited), staff_roles (the audit
of a change of an account's role groups or superuser status), role_groups (the audit of a role group made, changed or
deleted), organisations (importing schools and settings from GIAS, and the answer to a registration for one switched
off). Import the module that holds a service, e.g. ``from portal_pages.services import accounts``."""
