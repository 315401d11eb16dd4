"""Writes of the portal's doors, by sub-domain: accounts (registration, invitations, sign-in records, passwords,
dormancy), devices (authenticators and backup codes), inbox (messages to a team account), emails (what every email
says about the service and where it links). Import the module that holds a service, e.g.
``from portal_pages.services import accounts``."""
