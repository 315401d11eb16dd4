"""Demo content around the form: the "Document types" list, and on each demo advice request that exists, one
document, one outcome and one professional contact. Idempotent; does nothing for requests that do not exist."""

import io

from django.db import transaction

from advice_forms.models import (
    DOCUMENT_TYPES_LIST,
    DOCUMENT_TYPES_PURPOSE,
    AdviceRequest,
    Document,
    DropdownList,
    DropdownOption,
    NeedType,
    Outcome,
    ProfessionalContact,
    Team,
)
from advice_forms.selectors import account_team
from advice_forms.services.documents import document_upload
from advice_forms.services.involvement import contact_create
from advice_forms.services.outcomes import outcome_create
from cms.pdf import render_pdf

DOCUMENT_TYPES = [
    ("report", "Professional report"),
    ("plan", "Support plan or provision map"),
    ("assessment", "Assessment results"),
    ("letter", "Letter"),
    ("parent_views", "Parent or carer's views"),
    ("other", "Other"),
]


def _document_types():
    dropdown, _ = DropdownList.objects.get_or_create(
        purpose=DOCUMENT_TYPES_PURPOSE,
        defaults={"name": DOCUMENT_TYPES_LIST, "description": "What kind of document a professional uploads."},
    )
    existing = set(dropdown.options.values_list("value", flat=True))
    for order, (value, label) in enumerate(DOCUMENT_TYPES):
        if value not in existing:
            DropdownOption.objects.create(dropdown_list=dropdown, value=value, label=label, sort_order=order)
    return dropdown


def _support_plan_pdf(advice_request) -> bytes:
    """The demo's support plan for the request's child: a page of made-up lines, tagged and titled as the portal's own
    PDFs are, so the demo shows what an uploaded document looks like."""
    account = advice_request.account
    written_by = account.organisation.name if account.organisation else str(account)
    context = {"child": advice_request.child, "written_by": written_by}
    return render_pdf("advice_forms/pdf/demo_support_plan.html", context)


class _Upload(io.BytesIO):
    """Enough of an UploadedFile for document_upload()."""

    def __init__(self, data, name):
        super().__init__(data)
        self.name = name
        self.size = len(data)


# The professional each kind of team account names as involved with the child (its Team by code): someone of another
# service, so that a child advised by a school and a service lists two people, not one contact twice.
SETTING_CONTACT = {
    "name": "Sam Rivers",
    "role": "Specialist teacher",
    "team": "Schools",
    "organisation": "Kestrelford Learning Support Service",
    "email": "learning.support@kestrelford.example.org",
    "phone": "01632 960 200",
}
DEMO_CONTACTS = {
    "educational_psychology": {
        "name": "Priya Lomax",
        "role": "Speech and language therapist",
        "team": "SLT",
        "organisation": "Kestrelford Children's Speech and Language Therapy",
        "email": "referrals@slt.kestrelford-health.example.org",
        "phone": "01632 960 341",
    },
    "speech_and_language": {
        "name": "Tom Ashdown",
        "role": "Occupational therapist",
        "team": "OT",
        "organisation": "Kestrelford Children's Therapy Service",
        "email": "therapies@kestrelford-health.example.org",
        "phone": "01632 960 452",
    },
    "social_care": {
        "name": "Grace Okafor",
        "role": "Family support worker",
        "team": "Social Care",
        "organisation": "Kestrelford Early Help Team",
        "email": "early.help@kestrelford.example.org",
        "phone": "01632 960 563",
    },
}


def _demo_contact(account) -> dict:
    """The contact ``account`` names in the demo: a school's or setting's, else its service's (DEMO_CONTACTS)."""
    organisation = account.organisation
    return DEMO_CONTACTS.get(organisation.kind if organisation else "", SETTING_CONTACT)


@transaction.atomic
def load(out):
    _document_types()
    made = 0
    team, need_type = Team.objects.filter(active=True).first(), NeedType.objects.filter(active=True).first()
    for advice_request in AdviceRequest.objects.select_related("child", "account__organisation").filter(
        state__in=["to_do", "in_progress", "returned"]
    )[:10]:
        account, child = advice_request.account, advice_request.child
        if not Document.objects.filter(advice_request=advice_request, title="Demo: support plan, autumn term").exists():
            document_upload(
                advice_request=advice_request,
                account=account,
                uploaded=_Upload(_support_plan_pdf(advice_request), "support-plan-autumn.pdf"),
                title="Demo: support plan, autumn term",
                document_type="plan",
            )
            made += 1
        if team and need_type and not Outcome.objects.filter(advice_request=advice_request).exists():
            outcome_create(
                advice_request=advice_request,
                account=account,
                team=account_team(account) or team,  # the team of the account's organisation, where it names one
                need_type=need_type,
                outcome=f"{child.first_name} will take part in a small-group session for 20 minutes without an adult "
                "prompting them.",
                provision="Small-group work three times a week, planned with the class teacher.",
                timescale="By the end of the spring term",
            )
        contact = _demo_contact(account)
        named = ProfessionalContact.objects.filter(child=child, name=contact["name"]).exists()
        if team and not named and not ProfessionalContact.objects.filter(advice_request=advice_request).exists():
            contact_team = Team.objects.filter(active=True, code=contact["team"]).first() or team
            contact_create(advice_request=advice_request, account=account, data={**contact, "team": contact_team})
    out.write(f"Demo documents, outcomes and contacts are on the demo requests ({made} documents added).")
