"""Demo organisations, team accounts and staff in each role for the fictional Kestrelford Borough Council.

Every account has the printed password and a confirmed authenticator; `manage.py demo_totp EMAIL` prints
its current code. Idempotent: accounts are found by address, organisations by name.
"""

from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal_pages.models import AccountState, Organisation, OrganisationKind, User
from portal_pages.roles import guidance_approval_ensure
from portal_pages.services.organisations import organisations_import

# A small fictional GIAS extract (local authority 999, "Kestrelford"): the demo's schools, and the import's tests.
GIAS_DEMO_FILE = Path(__file__).resolve().parent / "fixtures" / "gias_kestrelford.csv"

DEMO_PASSWORD = "kestrelford-demo-portal"  # noqa: S105 - a printed demo credential, never production

ORGANISATIONS = [
    ("Oakfield Primary School", OrganisationKind.SCHOOL, ["oakfield-primary.example.org"]),
    ("Kestrel Vale Academy", OrganisationKind.SCHOOL, ["kestrelvale-academy.example.org"]),
    ("Little Wrens Nursery", OrganisationKind.EARLY_YEARS, ["littlewrens-nursery.example.org"]),
    ("Kestrelford Sixth Form College", OrganisationKind.POST_16, ["kestrelford-sixthform.example.org"]),
    (
        "Kestrelford Educational Psychology Service",
        OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
        ["eps.kestrelford.example.org"],
    ),
    (
        "Kestrelford Children's Speech and Language Therapy",
        OrganisationKind.SPEECH_AND_LANGUAGE,
        ["slt.kestrelford-health.example.org"],
    ),
    ("Kestrelford Children's Social Care", OrganisationKind.SOCIAL_CARE, ["socialcare.kestrelford.example.org"]),
]

TEAM_ACCOUNTS = [
    ("senco@oakfield-primary.example.org", "Oakfield Primary SENCO", "Oakfield Primary School"),
    ("senco@kestrelvale-academy.example.org", "Kestrel Vale Academy SENCO", "Kestrel Vale Academy"),
    ("eps@eps.kestrelford.example.org", "Educational Psychology Service", "Kestrelford Educational Psychology Service"),
    (
        "referrals@slt.kestrelford-health.example.org",
        "Speech and Language Therapy Service",
        "Kestrelford Children's Speech and Language Therapy",
    ),
    ("ehc@socialcare.kestrelford.example.org", "Children's Social Care EHC Team", "Kestrelford Children's Social Care"),
]

STAFF = [
    ("caseworker@kestrelford.example.org", "Casey", "Worker", "SEND caseworker"),
    ("forms@kestrelford.example.org", "Fern", "Designer", "Form designer"),
    ("content@kestrelford.example.org", "Connie", "Editor", "Content editor"),
    ("approver@kestrelford.example.org", "Abi", "Approver", "Guidance approvers"),
    ("portal.admin@kestrelford.example.org", "Pat", "Administrator", "Portal administrator"),
]


def _account(email, **defaults):
    user, created = User.objects.get_or_create(email=email, defaults=defaults)
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    for field, value in defaults.items():
        setattr(user, field, value)
    user.account_state = AccountState.ACTIVE
    user.is_active = True
    user.save()
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    return user


@transaction.atomic
def load(out):
    # The fictional council's schools and settings as GIAS publishes them, first: the hand-made organisations below that
    # GIAS lists too (the nursery, the sixth form college) are its rows, given their email domains, not second rows
    # beside them (the import names a clash "… (Kestrelford)").
    schools = organisations_import(data=GIAS_DEMO_FILE.read_bytes(), local_authorities=["999"])
    organisations = {}
    for name, kind, domains in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "email_domains": "\n".join(domains), "is_active": True}
        )
    for email, display_name, organisation in TEAM_ACCOUNTS:
        _account(email, display_name=display_name, organisation=organisations[organisation])
    # Guidance goes live through the "Guidance approval" workflow: the content editor submits, the approver publishes.
    guidance_approval_ensure(apps)
    for email, first, last, group in STAFF:
        user = _account(email, first_name=first, last_name=last, display_name=f"{first} {last}", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    out.write(f"Schools and settings from GIAS: {schools.created} new, {schools.updated} updated. ")
    out.write(f"Demo organisations: {len(ORGANISATIONS)}; team accounts: {len(TEAM_ACCOUNTS)}; staff: {len(STAFF)}.")


def demo_password():
    return DEMO_PASSWORD


def sign_ins():
    """The demo's accounts that exist, to sign in with: none on a database with content of its own."""
    demo_emails = [email for email, *_ in TEAM_ACCOUNTS] + [email for email, *_ in STAFF]
    existing = set(User.objects.filter(email__in=demo_emails).values_list("email", flat=True))
    team = [f"  {email}  ({name})" for email, name, _ in TEAM_ACCOUNTS if email in existing]
    staff = [f"  {email}  ({group})" for email, _, _, group in STAFF if email in existing]
    lines = []
    if team:
        lines += [f"Team accounts at /portal/sign-in/ (password {DEMO_PASSWORD}; code: manage.py demo_totp EMAIL):"]
        lines += team
    if staff:
        lines += [f"Staff at /admin/ (password {DEMO_PASSWORD}):", *staff]
    return lines
