"""Organisations from the DfE's "Get Information About Schools" (GIAS) establishment data: the council's schools,
settings and colleges, kept up to date by URN. Services (educational psychology, speech and language therapy,
social care) are not in GIAS: portal administrators make them by hand, or approve them from a request to join.

The file is GIAS's "all establishment data" CSV (``edubasealldataYYYYMMDD.csv``, Windows-1252, Open Government
Licence). Only the columns in GIAS_COLUMNS are read.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from portal_pages.models import Organisation, OrganisationKind
from portal_pages.services.emails import email_send

GIAS_COLUMNS = (
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "PhaseOfEducation (name)",
    "EstablishmentStatus (name)",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "Postcode",
)
CLOSED = "Closed"


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped: int = 0  # outside the chosen local authorities
    problems: list = field(default_factory=list)


def _kind(row) -> str:
    phase = (row.get("PhaseOfEducation (name)") or "").lower()
    group = (row.get("EstablishmentTypeGroup (name)") or "").lower()
    if phase == "nursery":
        return OrganisationKind.EARLY_YEARS
    if phase == "16 plus" or group in ("colleges", "universities"):
        return OrganisationKind.POST_16
    return OrganisationKind.SCHOOL


def _address(row) -> str:
    parts = (row.get(column, "").strip() for column in ("Street", "Locality", "Address3", "Town", "Postcode"))
    return ", ".join(part for part in parts if part)


def gias_rows(data: bytes):
    """The CSV's rows as dicts; GIAS writes Windows-1252 (a UTF-8 file with a byte-order mark is read too)."""
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        column
        for column in ("URN", "EstablishmentName", "EstablishmentStatus (name)")
        if column not in (reader.fieldnames or [])
    ]
    if missing:
        raise ValueError(f"This is not a GIAS establishment file: it has no {', '.join(missing)} column.")
    return list(reader)


def _authorities_of(row, authorities: set[str]) -> set[str]:
    """Which of the chosen local authorities (codes, or names in lower case) the row's establishment is in."""
    return {row.get("LA (code)", "").strip(), row.get("LA (name)", "").strip().lower()} & authorities


@transaction.atomic
def organisations_import(*, data: bytes, local_authorities=()) -> ImportCounts:
    """Create or update one organisation per URN from GIAS ``data``, for establishments of ``local_authorities``
    (codes like "999" or names, any case; none: every row). Safe to run again: a row already imported as it is
    changes nothing. A closed establishment is made inactive (its accounts keep their history); one that reopens
    is made active again. Email domains, set by administrators, are never touched. A chosen local authority that no
    row is in (a misspelt name, a wrong code) stops the import with nothing changed, rather than importing nothing
    and saying it went well."""
    authorities = {a.strip().lower() if not a.strip().isdigit() else a.strip() for a in local_authorities}
    counts = ImportCounts()
    found = set()
    for number, row in enumerate(gias_rows(data), start=2):
        matched = _authorities_of(row, authorities)
        if authorities and not matched:
            counts.skipped += 1
            continue
        found |= matched
        try:
            urn = int(row["URN"])
        except (TypeError, ValueError):
            counts.problems.append(f"Line {number}: the URN “{row.get('URN', '')}” is not a number.")
            continue
        values = {
            "name": row["EstablishmentName"].strip()[:200],
            "kind": _kind(row),
            "establishment_type": (row.get("TypeOfEstablishment (name)") or "").strip()[:100],
            "phase": (row.get("PhaseOfEducation (name)") or "").strip()[:100],
            "local_authority": (row.get("LA (name)") or "").strip()[:100],
            "address": _address(row),
            "is_active": row["EstablishmentStatus (name)"].strip() != CLOSED,
        }
        if Organisation.objects.filter(name=values["name"]).exclude(urn=urn).exists():
            values["name"] = f"{values['name']} ({row.get('Town', '').strip() or urn})"[:200]
        organisation = Organisation.objects.filter(urn=urn).first()
        if organisation is None:
            Organisation.objects.create(urn=urn, **values)
            counts.created += 1
            counts.closed += not values["is_active"]
            continue
        changed = {name: value for name, value in values.items() if getattr(organisation, name) != value}
        if not changed:
            counts.unchanged += 1
            continue
        if changed.get("is_active") is False:
            counts.closed += 1
        for name, value in changed.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=list(changed))
        counts.updated += 1
    if missing := sorted(authorities - found):
        raise ValueError(
            f"No establishment in the file is in the local authority {', '.join(f'“{a}”' for a in missing)}: "
            "check its code or its name as GIAS writes them (the “LA (code)” and “LA (name)” columns). "
            "Nothing was imported."
        )
    return counts


def organisation_closed_registration_answer(*, email: str, once_for: str) -> None:
    """What a registration for an organisation switched off since the form listed it sends the address it gave: the
    page said "check your email", so it says the organisation can no longer register and whom to contact. The same
    email whether or not the address has an account, and it names no organisation.

    Sent once per registration however often its task runs: ``once_for`` is unique to the registration."""
    email_send(
        to=email,
        subject="Registration with your email address was not made",
        template="organisation_closed",
        context={},
        once_for=once_for,
    )
