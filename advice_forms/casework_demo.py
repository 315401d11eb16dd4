"""Demo casework for the fictional Kestrelford Borough Council: invented children allocated to the demo
caseworker, and the demo ERSA and Appendix B shared with demo team accounts in every state of the loop.

Every name is invented, every address is on example.org and every unique pupil number starts with DEMO.
Idempotent: a child is found by its demo UPN, a request by child, form and account; nothing is duplicated.
Runs after advice_forms.demo (the forms) and portal_pages.demo (the accounts).
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from advice_forms.models import (
    AdviceRequest,
    ChildRecord,
    ChildRecordStatus,
    FormDefinition,
    NeedType,
    Outcome,
    RequestState,
    Submission,
    Team,
)
from advice_forms.selectors import records_frozen, request_records
from advice_forms.services.submissions import submission_reference_assign
from portal_pages.models import Organisation, User

CASEWORKER = "caseworker@kestrelford.example.org"
ERSA = "Request for an EHC needs assessment (ERSA)"
APPENDIX_B = "Educational advice (Appendix B)"
OAKFIELD = "senco@oakfield-primary.example.org"
KESTREL_VALE = "senco@kestrelvale-academy.example.org"

CHILDREN = [
    # upn, first, last, date of birth, school, status, address, parent or carer
    (
        "DEMO000000001",
        "Poppy",
        "Larkspur",
        datetime.date(2018, 5, 9),
        "Oakfield Primary School",
        ChildRecordStatus.REQUESTED,
        "12 Heron Row, Kestrelford, KF1 2AB",
        ("Dana Larkspur", "dana.larkspur@example.org"),
    ),
    (
        "DEMO000000002",
        "Idris",
        "Fenwick",
        datetime.date(2013, 11, 21),
        "Kestrel Vale Academy",
        ChildRecordStatus.REQUESTED,
        "4 Millbrook Close, Kestrelford, KF3 7CD",
        ("Sam Fenwick", "07700 900123 (mobile), or sam.fenwick@example.org"),
    ),
    (
        "DEMO000000003",
        "Maisie",
        "Thornbury",
        datetime.date(2017, 2, 2),
        "Oakfield Primary School",
        ChildRecordStatus.ASSESSING,
        "31 Kingfisher Way, Kestrelford, KF2 4EF",
        ("Alex Thornbury", "Through the parent portal: alex.thornbury@example.org"),
    ),
    (
        "DEMO000000004",
        "Rowan",
        "Ashdown",
        datetime.date(2012, 8, 30),
        "Kestrel Vale Academy",
        ChildRecordStatus.ASSESSING,
        "Flat 2, 9 Osprey Court, Kestrelford, KF4 1GH",
        ("Jordan Ashdown", "jordan.ashdown@example.org"),
    ),
    (
        "DEMO000000005",
        "Ezra",
        "Pennington",
        datetime.date(2016, 7, 14),
        "Oakfield Primary School",
        ChildRecordStatus.ASSESSING,
        "77 Wrenfield Road, Kestrelford, KF1 9JK",
        ("Morgan Pennington", "01632 960 555 (evenings)"),
    ),
]


def appendix_b_answers(setting_name, needs_text, outcome, provision, signed_by):
    """A complete demo Appendix B submission: its answers (every required question answered) and the outcome written
    on the child record before submitting (the form's outcomes question shows the record's rows)."""
    return {
        "answers": {
            "about_advice": {
                "setting_name": setting_name,
                "setting_type": "mainstream_primary",
                "year_group": "year_4",
            },
            "needs": {"areas_of_need": ["cognition_and_learning"], "needs_cognition_and_learning": needs_text},
            "outcomes_section": {},
            "provision": {"provision_needed": provision, "support_hours": "5"},
            "professional_contacts": {},
            "declaration": {"signed_by": signed_by, "confirmed": True},
        },
        "outcome": {"team": "Schools", "need_type": "C&L", "outcome": outcome, "provision": provision},
    }


MAISIE_FIRST = appendix_b_answers(
    "Oakfield Primary School",
    "Maisie finds reading and remembering new words hard; she needs words shown to her many times.",
    "Maisie will read a short book for her age with help on fewer than five words.",
    "Daily 15-minute reading sessions with a teaching assistant.",
    "Oakfield Primary SENCO",
)
ROWAN = appendix_b_answers(
    "Kestrel Vale Academy",
    "Rowan loses track of spoken instructions and needs them written down and broken into steps.",
    "Rowan will follow a three-step written plan for a lesson task without adult prompting.",
    "Visual task plans in every lesson, and a weekly check-in with the SENCO.",
    "Kestrel Vale Academy SENCO",
)
EZRA = appendix_b_answers(
    "Oakfield Primary School",
    "Ezra needs extra time to process number facts and uses objects to count beyond ten.",
    "Ezra will add and subtract numbers to 20 using a number line on his own.",
    "Small-group maths three times a week, with concrete resources.",
    "Oakfield Primary SENCO",
)

# child upn, form title, account, state, shows the name, days since shared, due in days, extra
REQUESTS = [
    ("DEMO000000001", ERSA, OAKFIELD, RequestState.TO_DO, True, 2, 40, {}),
    (
        "DEMO000000002",
        ERSA,
        KESTREL_VALE,
        RequestState.IN_PROGRESS,
        True,
        45,
        -3,
        {
            "answers": {"about_child": {"year_group": "year_8", "start_date": "2024-09-04", "has_diagnosis": "no"}},
            "started_sections": ["about_child"],
            "completed_sections": ["about_child"],
        },
    ),
    (
        "DEMO000000003",
        APPENDIX_B,
        OAKFIELD,
        RequestState.RETURNED,
        True,
        30,
        12,
        {
            "submissions": [MAISIE_FIRST],
            "return_reason": "Please add how often the reading sessions happen now, and who leads them.",
        },
    ),
    ("DEMO000000004", APPENDIX_B, KESTREL_VALE, RequestState.SUBMITTED, True, 35, 7, {"submissions": [ROWAN]}),
    ("DEMO000000005", APPENDIX_B, OAKFIELD, RequestState.ACCEPTED, False, 50, -8, {"submissions": [EZRA]}),
]


def _children(caseworker):
    children = {}
    for upn, first, last, born, school, status, address, (parent, contact) in CHILDREN:
        child, _ = ChildRecord.objects.update_or_create(
            unique_pupil_number=upn,
            defaults={
                "first_name": first,
                "last_name": last,
                "date_of_birth": born,
                "school": Organisation.objects.filter(name=school).first(),
                "status": status,
                "address": address,
                "parent_carer_name": parent,
                "parent_carer_contact": contact,
                "coordinator": caseworker,
            },
        )
        children[upn] = child
    return children


def _outcome_write(advice_request, outcome, *, timescale):
    """The outcome a demo submission's SENCO wrote on the child record (the request is already past editing, so not
    through the service, which refuses that)."""
    team, need_type = (
        Team.objects.filter(code=outcome["team"]).first(),
        NeedType.objects.filter(code=outcome["need_type"]).first(),
    )
    if team is None or need_type is None or Outcome.objects.filter(advice_request=advice_request).exists():
        return
    Outcome.objects.create(
        child=advice_request.child,
        advice_request=advice_request,
        author=advice_request.account,
        team=team,
        need_type=need_type,
        outcome=outcome["outcome"],
        provision=outcome["provision"],
        timescale=timescale,
    )


def _submit(advice_request, answers, when):
    number = advice_request.submissions.count() + 1
    key = f"demo-{uuid.uuid4().hex}"
    submission = Submission.objects.create(
        request=advice_request,
        number=number,
        form_version=advice_request.form_version,
        answers=answers,
        records=records_frozen(request_records(advice_request)),
        reference=f"pending-{key}"[:40],
        submitted_by=advice_request.account,
        submitted_by_name=advice_request.account.display_name,
        submitted_at=when,
        idempotency_key=key,
    )
    submission_reference_assign(submission)
    return submission


@transaction.atomic
def load(out):
    caseworker = User.objects.filter(email=CASEWORKER).first()
    children = _children(caseworker)
    today = timezone.localdate()
    made = 0
    for upn, title, email, state, shows_name, shared_days_ago, due_in, extra in REQUESTS:
        definition = FormDefinition.objects.filter(title=title).first()
        account = User.objects.filter(email=email).first()
        if definition is None or account is None or not definition.versions.exists():
            continue
        child = children[upn]
        if AdviceRequest.objects.filter(child=child, form_version__definition=definition, account=account).exists():
            continue
        shared_at = timezone.now() - datetime.timedelta(days=shared_days_ago)
        advice_request = AdviceRequest.objects.create(
            child=child,
            form_version=definition.latest_version(),
            account=account,
            shared_by=caseworker,
            message="Thank you: please tell us what you see day to day, in plain words.",
            shows_child_name=shows_name,
            due_date=today + datetime.timedelta(days=due_in),
            state=state,
            answers=extra.get("answers", {}),
            started_sections=extra.get("started_sections", []),
            completed_sections=extra.get("completed_sections", []),
            draft_saved_at=shared_at + datetime.timedelta(days=1) if extra.get("answers") else None,
            return_reason=extra.get("return_reason", ""),
        )
        AdviceRequest.objects.filter(pk=advice_request.pk).update(created_at=shared_at)
        for made_then in extra.get("submissions", []):
            _outcome_write(advice_request, made_then["outcome"], timescale="By July")
            _submit(advice_request, made_then["answers"], shared_at + datetime.timedelta(days=20))
        if extra.get("submissions"):
            answers = extra["submissions"][-1]["answers"]
            AdviceRequest.objects.filter(pk=advice_request.pk).update(
                answers=answers, started_sections=list(answers), completed_sections=list(answers)
            )
        made += 1
    out.write(f"Demo casework: {len(CHILDREN)} child records; {made} new advice requests shared.")
