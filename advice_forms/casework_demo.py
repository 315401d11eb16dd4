"""Demo casework for the fictional Kestrelford Borough Council: invented children allocated to the demo
caseworker, and the demo forms shared with demo team accounts in every state of the loop: the ERSA and Appendix B with
the schools, and each service's own appendix with that service (psychological advice, Appendix C, with the educational
psychologists; health advice, Appendix D, with the speech and language therapists; social care advice, Appendix E,
with children's social care).

Each request is made as people would make it, through the same services as the portal and the admin: the caseworker
shares it, the team account saves its steps, writes its outcome and submits, the submission's PDF is filed among the
child's documents, and the caseworker returns or accepts it. So every state change is audited, and each submitted
PDF is listed with the child's documents. Only a request's date of sharing is set in the past, for the dashboards'
"shared N days ago" and due dates; everything else is dated when the load ran.

Every name is invented, every address is on example.org and every unique pupil number starts with DEMO.
Idempotent: a child is found by its demo UPN, a request by child, form and account; nothing is duplicated.
Runs after advice_forms.demo (the forms) and portal_pages.demo (the accounts).
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from advice_forms.models import (
    AdviceRequest,
    ChildRecord,
    ChildRecordStatus,
    FormDefinition,
    NeedType,
    RequestState,
    Team,
)
from advice_forms.services.drafts import draft_step_save
from advice_forms.services.outcomes import outcome_create
from advice_forms.services.requests import advice_request_share, submission_accept, submission_return
from advice_forms.services.submissions import submission_submit
from advice_forms.tasks import submission_pdf_file
from portal_pages.models import Organisation, User

CASEWORKER = "caseworker@kestrelford.example.org"
ERSA = "Request for an EHC needs assessment (ERSA)"
APPENDIX_B = "Educational advice (Appendix B)"
APPENDIX_C = "Psychological advice (Appendix C)"
APPENDIX_D = "Health advice (Appendix D)"
APPENDIX_E = "Social care advice (Appendix E)"
OAKFIELD = "senco@oakfield-primary.example.org"
KESTREL_VALE = "senco@kestrelvale-academy.example.org"
EDUCATIONAL_PSYCHOLOGY = "eps@eps.kestrelford.example.org"
SPEECH_AND_LANGUAGE = "referrals@slt.kestrelford-health.example.org"
SOCIAL_CARE = "ehc@socialcare.kestrelford.example.org"


class DaysAgo(int):
    """A date that many days before the load, posted as the wizard posts a date: its day, month and year boxes."""


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


def appendix_b_submission(setting_name, needs_text, outcome, provision, signed_by):
    """A complete demo Appendix B submission: each step as the wizard posts it (every required question answered) and
    the outcome written on the child record before submitting (the form's outcomes question shows the record's
    rows)."""
    return {
        "steps": {
            "about_advice": {
                "setting_name": setting_name,
                "setting_type": "mainstream_primary",
                "year_group": "year_4",
            },
            "needs": {"areas_of_need": ["cognition_and_learning"], "needs_cognition_and_learning": needs_text},
            "outcomes_section": {},
            "provision": {"provision_needed": provision, "support_hours": "5"},
            "professional_contacts": {},
            "declaration": {"signed_by": signed_by, "confirmed": "on"},
        },
        "outcome": {"team": "Schools", "need_type": "C&L", "outcome": outcome, "provision": provision},
    }


MAISIE_FIRST = appendix_b_submission(
    "Oakfield Primary School",
    "Maisie finds reading and remembering new words hard; she needs words shown to her many times.",
    "Maisie will read a short book for her age with help on fewer than five words.",
    "Daily 15-minute reading sessions with a teaching assistant.",
    "Oakfield Primary SENCO",
)
ROWAN = appendix_b_submission(
    "Kestrel Vale Academy",
    "Rowan loses track of spoken instructions and needs them written down and broken into steps.",
    "Rowan will follow a three-step written plan for a lesson task without adult prompting.",
    "Visual task plans in every lesson, and a weekly check-in with the SENCO.",
    "Kestrel Vale Academy SENCO",
)
EZRA = appendix_b_submission(
    "Oakfield Primary School",
    "Ezra needs extra time to process number facts and uses objects to count beyond ten.",
    "Ezra will add and subtract numbers to 20 using a number line on his own.",
    "Small-group maths three times a week, with concrete resources.",
    "Oakfield Primary SENCO",
)

# Rowan's speech and language therapist's health advice, about the same difficulty his school's advice describes.
ROWAN_HEALTH = {
    "steps": {
        "about_advice": {
            "profession": "speech_language_therapist",
            "service_name": "Kestrelford Speech and Language Therapy Service",
            "first_seen": DaysAgo(420),
            "contacts_for_advice-rows": "2",
            "contacts_for_advice-0-date": DaysAgo(21),
            "contacts_for_advice-0-place": "Kestrel Vale Academy",
            "contacts_for_advice-0-what_you_did": "Watched Rowan in an English lesson and talked with his teacher.",
            "contacts_for_advice-1-date": DaysAgo(14),
            "contacts_for_advice-1-place": "The therapy clinic",
            "contacts_for_advice-1-what_you_did": "Assessed how Rowan understands spoken language, with his parent.",
            "spoke_to": ["child", "parent_carer", "setting_staff"],
        },
        "findings": {
            "strengths": "Rowan is curious, asks good questions and explains his ideas well when he has time.",
            "care_in_the_day": "no",
            "areas_of_need": ["communication"],
            "needs_communication": "Rowan understands short spoken instructions but loses the later parts of longer "
            "ones, so he often starts a task and stops. He does much better when steps are shown as well as said.",
        },
        "outcomes_section": {},
        "provision": {
            "provision_needed": "A small language group and instructions given in short chunks, with pictures.",
            "provision_rows-rows": "2",
            "provision_rows-0-provision": "Language group on following instructions",
            "provision_rows-0-given_by": "trained_staff",
            "provision_rows-0-how_often": "Twice a week, 20 minutes",
            "provision_rows-1-provision": "Review of the group and advice to staff",
            "provision_rows-1-given_by": "health_professional",
            "provision_rows-1-how_often": "Once each half term",
        },
        "views": {
            "views_how": ["talking", "pictures_symbols"],
            "child_views": "Rowan said he likes science but gets lost when the teacher talks for a long time.",
            "parent_carer_views": "Rowan's parent said he forgets messages at home too, and wants him to feel less "
            "worried at school.",
            "parent_carer_seen": "agree",
        },
        "declaration": {
            "signed_by": "Robin Teale",
            "job_title": "Speech and language therapist",
            "advice_date": DaysAgo(0),
            "confirmed": "on",
        },
    },
    "outcome": {
        "team": "SLT",
        "need_type": "Comms",
        "outcome": "Rowan will follow a spoken instruction of three steps in class, with a picture prompt.",
        "provision": "A language group twice a week, run by staff the therapist has trained.",
    },
}

# child upn, form title, account, the state the steps below leave it in, shows the name, days since shared, due in
# days, what the account and the caseworker do (steps saved; a submission; the reason it is returned for)
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
            # About the child is completed; the school step is saved with only the start date typed so far.
            "steps": {
                "about_child": {
                    "year_group": "year_8",
                    "first_language": "english",
                    "looked_after": "no",
                    "young_carer": "no",
                    "has_diagnosis": "no",
                },
                "school": {"start_date-day": "4", "start_date-month": "9", "start_date-year": "2024"},
            },
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
            "submission": MAISIE_FIRST,
            "return_reason": "Please add how often the reading sessions happen now, and who leads them.",
        },
    ),
    ("DEMO000000004", APPENDIX_B, KESTREL_VALE, RequestState.SUBMITTED, True, 35, 7, {"submission": ROWAN}),
    ("DEMO000000005", APPENDIX_B, OAKFIELD, RequestState.ACCEPTED, False, 50, -8, {"submission": EZRA}),
    # Each service is asked for its own advice: the educational psychologists, the therapists and social care never
    # get the school's Appendix B.
    ("DEMO000000003", APPENDIX_C, EDUCATIONAL_PSYCHOLOGY, RequestState.TO_DO, True, 4, 38, {}),
    (
        "DEMO000000004",
        APPENDIX_D,
        SPEECH_AND_LANGUAGE,
        RequestState.SUBMITTED,
        True,
        30,
        12,
        {"submission": ROWAN_HEALTH},
    ),
    (
        "DEMO000000005",
        APPENDIX_E,
        SOCIAL_CARE,
        RequestState.IN_PROGRESS,
        True,
        20,
        22,
        {
            # About you is completed; the rest is still to do.
            "steps": {
                "about_advice": {
                    "known_to_social_care": "no",
                    "last_seen": DaysAgo(6),
                    "spoke_to": ["child", "parent_carer"],
                },
            },
        },
    ),
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


def _posted(step, today):
    """A step's answers as the browser posts them: a DaysAgo as its three date boxes, every value as a list."""
    posted = MultiValueDict()
    for name, value in step.items():
        if isinstance(value, DaysAgo):
            day = today - datetime.timedelta(days=value)
            posted.update({f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)})
        else:
            posted.setlist(name, value if isinstance(value, list) else [value])
    return posted


def _steps_save(advice_request, steps):
    """Save each step as its team account posts it in the wizard, valid or not (an invalid one is kept as typed)."""
    today = timezone.localdate()
    for section_key, step in steps.items():
        posted = _posted(step, today)
        draft_step_save(
            advice_request=advice_request, section_key=section_key, data=posted, actor=advice_request.account
        )


def _submit(advice_request, made_then):
    """The team account fills in the form, writes its outcome on the child record and submits. The submission's PDF
    is filed by the task the submit queues, run here at once, so it is among the child's documents when the load
    ends (the queued run then finds it filed and does nothing)."""
    _steps_save(advice_request, made_then["steps"])
    outcome = made_then["outcome"]
    team = Team.objects.filter(code=outcome["team"]).first()
    need_type = NeedType.objects.filter(code=outcome["need_type"]).first()
    if team is not None and need_type is not None:
        outcome_create(
            advice_request=advice_request,
            account=advice_request.account,
            team=team,
            need_type=need_type,
            outcome=outcome["outcome"],
            provision=outcome["provision"],
            timescale="By July",
        )
    submission = submission_submit(
        advice_request=advice_request, actor=advice_request.account, idempotency_key=f"demo-{uuid.uuid4().hex}"
    )
    submission_pdf_file(submission.pk)


@transaction.atomic
def load(out):
    caseworker = User.objects.filter(email=CASEWORKER).first()
    children = _children(caseworker)
    today = timezone.localdate()
    made = 0
    for upn, title, email, state, shows_name, shared_days_ago, due_in, extra in REQUESTS:
        definition = FormDefinition.objects.filter(title=title).first()
        account = User.objects.filter(email=email).first()
        if caseworker is None or definition is None or account is None or not definition.versions.exists():
            continue
        child = children[upn]
        if AdviceRequest.objects.filter(child=child, form_version__definition=definition, account=account).exists():
            continue
        advice_request = advice_request_share(
            child=child,
            form_version=definition.latest_version(),
            account=account,
            shared_by=caseworker,
            due_date=today + datetime.timedelta(days=due_in),
            message="Thank you: please tell us what you see day to day, in plain words.",
            shows_child_name=shows_name,
        )
        shared_at = timezone.now() - datetime.timedelta(days=shared_days_ago)
        AdviceRequest.objects.filter(pk=advice_request.pk).update(created_at=shared_at)
        _steps_save(advice_request, extra.get("steps", {}))
        if "submission" in extra:
            _submit(advice_request, extra["submission"])
        if state == RequestState.RETURNED:
            submission_return(advice_request=advice_request, actor=caseworker, reason=extra["return_reason"])
        elif state == RequestState.ACCEPTED:
            submission_accept(advice_request=advice_request, actor=caseworker)
        made += 1
    out.write(f"Demo casework: {len(CHILDREN)} child records; {made} new advice requests shared.")
