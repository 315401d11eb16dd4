"""Demo forms for the fictional Kestrelford Borough Council: an ERSA, an Appendix B and their dropdown lists.

Written in our own words. Idempotent: lists gain missing options; a form is created and published once,
and a later run leaves it (and the versions requests may pin) as it is.
"""

import json

from django.db import transaction
from django.utils.html import escape

from advice_forms.blocks import key_from_label
from advice_forms.models import DropdownList, DropdownOption, FormDefinition, FormKind, NeedType, Team
from advice_forms.services.definitions import form_definition_publish

VERSION_LABEL = "NOV26"

DROPDOWN_LISTS = {
    "Year groups": (
        "The year group a child or young person is in.",
        [("nursery", "Nursery"), ("reception", "Reception")]
        + [(f"year_{n}", f"Year {n}") for n in range(1, 15)]
        + [("pre_school", "Pre-school (use Nursery)", True)],
    ),
    "Languages": (
        "Languages a child, young person or family may use; the list the interpreter questions choose from.",
        [
            (key_from_label(name), name)
            for name in (
                "English",
                "Albanian",
                "Arabic",
                "Bengali",
                "British Sign Language",
                "Cantonese",
                "Farsi",
                "French",
                "Gujarati",
                "Kurdish",
                "Lithuanian",
                "Mandarin",
                "Pashto",
                "Polish",
                "Portuguese",
                "Punjabi",
                "Romanian",
                "Somali",
                "Spanish",
                "Tamil",
                "Tigrinya",
                "Turkish",
                "Ukrainian",
                "Urdu",
            )
        ],
    ),
    "Types of setting": (
        "The kind of school or setting that gives the advice.",
        [
            ("early_years", "Early years setting"),
            ("mainstream_primary", "Mainstream primary school"),
            ("mainstream_secondary", "Mainstream secondary school"),
            ("special_school", "Special school"),
            ("post_16", "Post-16 college or training provider"),
        ],
    ),
}


def q(field_type, label, **options):
    """One question as StreamField JSON."""
    options.setdefault("required", field_type != "guidance")
    return {"type": field_type, "value": {"label": label, **options}}


def guidance(body, heading=""):
    return {"type": "guidance", "value": {"heading": heading, "body": body}}


def when(field_key, value):
    """Show only when the question `field_key` has the answer `value` (for checkboxes: `value` is ticked)."""
    return {"match": "all", "rules": [{"field_key": field_key, "operator": "is", "value": value}]}


def when_any(*pairs):
    """Show when any of the (question key, answer) pairs holds."""
    return {"match": "any", "rules": [{"field_key": k, "operator": "is", "value": v} for k, v in pairs]}


def section(title, key, fields, guidance_html="", condition=None):
    value = {"title": title, "key": key, "guidance": guidance_html, "fields": fields}
    if condition:
        value["condition"] = condition
    return {"type": "section", "value": value}


def _needs_by_area(lists):
    areas = [
        ("cognition_and_learning", "Cognition and learning"),
        ("communication", "Communication and interaction"),
        ("semh", "Social, emotional and mental health"),
        ("psi", "Physical, sensory and independence"),
    ]
    fields = [
        q(
            "multiple_choice",
            "Which areas of need does this advice cover?",
            key="areas_of_need",
            options=[{"label": label, "value": value} for value, label in areas],
        )
    ]
    for value, label in areas:
        fields.append(
            q(
                "long_text",
                f"{label}: what the child or young person finds difficult",
                key=f"needs_{value}",
                hint="Say what you have seen, how often, and what difference it makes to learning.",
                word_guidance=250,
                max_length=6000,
                condition=when("areas_of_need", value),
            )
        )
    return fields


def opts(*labels):
    """A question's own options from their labels; each value is the label's key ("Step-parent" -> step_parent)."""
    return [{"label": label, "value": key_from_label(label)} for label in labels]


def column(kind, label, key, *, required=True, options=()):
    """One column of a table question."""
    return {"kind": kind, "label": label, "key": key, "required": required, "options": list(options)}


def _parent_or_carer(n, lists):
    """One parent or carer: who they are, how to reach them, and what would help them take part."""
    p = f"parent_{n}_"
    return [
        q("short_text", "Full name", key=p + "name", max_length=120),
        q(
            "single_choice",
            "Relationship to the child or young person",
            key=p + "relationship",
            options=opts("Mother", "Father", "Step-parent", "Grandparent", "Foster carer", "Another relative", "Other"),
        ),
        q(
            "short_text",
            "The relationship, in your words",
            key=p + "relationship_other",
            max_length=80,
            condition=when(p + "relationship", "other"),
        ),
        q("yes_no", "Do they have parental responsibility?", key=p + "responsibility"),
        q("yes_no", "Do they live at the child's address?", key=p + "same_address"),
        q("address", "Their address", key=p + "address", condition=when(p + "same_address", "no")),
        q("phone", "Phone number", key=p + "phone", required=False),
        q("email", "Email address", key=p + "email", required=False),
        q(
            "single_choice",
            "How they would like us to contact them",
            key=p + "contact_by",
            options=opts("Phone", "Email", "Letter", "Through the school or setting"),
        ),
        q("yes_no", "Do they need an interpreter at meetings?", key=p + "interpreter"),
        q(
            "single_choice",
            "Language for the interpreter",
            key=p + "interpreter_language",
            dropdown_list=lists["Languages"],
            display="select",
            condition=when(p + "interpreter", "yes"),
        ),
        q(
            "yes_no",
            "Do they have needs of their own that we should plan for?",
            key=p + "own_needs",
            hint="For example, a hearing impairment, or finding letters hard to read.",
        ),
        q(
            "long_text",
            "What would help them take part",
            key=p + "own_needs_details",
            max_length=1000,
            condition=when(p + "own_needs", "yes"),
        ),
    ]


NEED_AREAS = [
    ("cognition_and_learning", "Cognition and learning"),
    ("communication", "Communication and interaction"),
    ("semh", "Social, emotional and mental health"),
    ("psi", "Physical, sensory and independence"),
]

EVIDENCE = [
    ("support_plan", "A. The latest individual support plan"),
    ("plan_reviews", "B. The last two reviews of that plan"),
    ("provision_map", "C. The costed provision map"),
    ("attainment_data", "D. Attainment and progress data"),
    ("attendance_record", "E. The attendance record"),
    ("ep_report", "F. An educational psychology report"),
    ("salt_report", "G. A speech and language therapy report"),
    ("ot_report", "H. An occupational therapy report"),
    ("health_reports", "I. Medical or other health reports"),
    ("social_care_reports", "J. Social care reports"),
    ("behaviour_records", "K. Behaviour or exclusion records"),
    ("other_evidence", "L. Anything else that helps"),
]


def _needs_in_depth():
    """Needs by area: choose the areas, and three questions open under each one chosen."""
    fields = [
        q(
            "multiple_choice",
            "Which areas of need does this request cover?",
            key="areas_of_need",
            options=[{"label": label, "value": value} for value, label in NEED_AREAS],
        ),
        q(
            "single_choice",
            "Which is the main area of need?",
            key="primary_need",
            options=[{"label": label, "value": value} for value, label in NEED_AREAS],
        ),
    ]
    for value, label in NEED_AREAS:
        fields += [
            q(
                "long_text",
                f"{label}: what the child or young person finds difficult",
                key=f"needs_{value}",
                hint="Say what you have seen, how often, and what difference it makes to learning.",
                word_guidance=250,
                max_length=6000,
                condition=when("areas_of_need", value),
            ),
            q(
                "long_text",
                f"{label}: the evidence",
                key=f"evidence_{value}",
                hint="Assessments, observations and reports, with their dates.",
                max_length=3000,
                condition=when("areas_of_need", value),
            ),
            q(
                "long_text",
                f"{label}: what has helped",
                key=f"helped_{value}",
                max_length=3000,
                required=False,
                condition=when("areas_of_need", value),
            ),
        ]
    return fields


def ersa_sections(lists):
    """The demo ERSA at the size of a real council's: 14 sections, over 120 questions."""
    return [
        section(
            "About the child or young person",
            "about_child",
            [
                q(
                    "child_details",
                    "The child or young person",
                    key="child_details",
                    hint="From the record the SEND service holds. Tell us below what only the school or setting knows.",
                ),
                q("short_text", "The name they like to be called", key="preferred_name", required=False, max_length=60),
                q(
                    "single_choice",
                    "Year group",
                    key="year_group",
                    dropdown_list=lists["Year groups"],
                    display="select",
                ),
                q(
                    "single_choice",
                    "First language",
                    key="first_language",
                    dropdown_list=lists["Languages"],
                    display="select",
                ),
                q("yes_no", "Is the child or young person looked after by a council?", key="looked_after"),
                q(
                    "short_text",
                    "Which council looks after them",
                    key="looked_after_council",
                    max_length=120,
                    condition=when("looked_after", "yes"),
                ),
                q(
                    "short_text",
                    "Their social worker's name",
                    key="looked_after_social_worker",
                    max_length=120,
                    required=False,
                    condition=when("looked_after", "yes"),
                ),
                q("yes_no", "Is the child or young person a young carer?", key="young_carer"),
                q("yes_no", "Has the child or young person had a diagnosis?", key="has_diagnosis"),
                q(
                    "long_text",
                    "What diagnosis, and who gave it",
                    key="diagnosis_details",
                    max_length=2000,
                    condition=when("has_diagnosis", "yes"),
                ),
            ],
        ),
        section(
            "School and earlier schools",
            "school",
            [
                q(
                    "date",
                    "Date the child started at your school or setting",
                    key="start_date",
                    not_in_future=True,
                    error_message="Enter the date the child started at your school or setting",
                ),
                q("single_choice", "Type of setting", key="setting_type", dropdown_list=lists["Types of setting"]),
                q("number", "How many children are in their class", key="class_size", min_value=1, max_value=60),
                q("short_text", "Headteacher's name", key="head_name", max_length=120),
                q("short_text", "SENCO's name", key="senco_name", max_length=120),
                q("email", "SENCO's email address", key="senco_email"),
                q("phone", "SENCO's phone number", key="senco_phone"),
                q("yes_no", "Did they go to another school or setting before yours?", key="earlier_schools"),
                q(
                    "table",
                    "Other schools and settings they went to",
                    key="earlier_schools_list",
                    item_name="school",
                    columns=[
                        column("text", "School or setting", "name"),
                        column("date", "From", "started"),
                        column("date", "To", "left"),
                        column("text", "Why they left", "reason", required=False),
                    ],
                    min_rows=1,
                    max_rows=10,
                    condition=when("earlier_schools", "yes"),
                ),
                q("yes_no", "Have they been excluded, for a fixed period or for good?", key="excluded"),
                q(
                    "table",
                    "Exclusions",
                    key="exclusions",
                    item_name="exclusion",
                    columns=[
                        column("date", "Date", "date"),
                        column("number", "School days", "days"),
                        column("text", "Reason given", "reason"),
                    ],
                    min_rows=1,
                    max_rows=20,
                    total_column="days",
                    condition=when("excluded", "yes"),
                ),
                q("yes_no", "Are they on a part-time timetable?", key="part_time"),
                q(
                    "long_text",
                    "The timetable, and why",
                    key="part_time_details",
                    max_length=1500,
                    condition=when("part_time", "yes"),
                ),
            ],
        ),
        section(
            "First parent or carer",
            "parent_1",
            _parent_or_carer(1, lists)
            + [q("yes_no", "Is there a second parent or carer we should contact?", key="has_second_parent")],
        ),
        section(
            "Second parent or carer",
            "parent_2",
            _parent_or_carer(2, lists),
            condition=when("has_second_parent", "yes"),
        ),
        section(
            "The child or young person's views",
            "child_views",
            [
                q(
                    "long_text",
                    "What the child or young person says about school, in their own words",
                    key="child_views",
                    word_guidance=300,
                ),
                q("long_text", "What they hope for in the future", key="child_hopes", word_guidance=200),
                q(
                    "multiple_choice",
                    "How you gathered their views",
                    key="views_how",
                    options=opts(
                        "A conversation",
                        "Drawings or photographs",
                        "A one-page profile",
                        "Symbols or signing",
                        "Watching how they respond",
                        "Another way",
                    ),
                ),
                q(
                    "short_text",
                    "The other way you gathered their views",
                    key="child_views_gathered",
                    max_length=200,
                    condition=when("views_how", "another_way"),
                ),
                q(
                    "long_text",
                    "What they would like the people at their meeting to know",
                    key="child_meeting",
                    required=False,
                    max_length=2000,
                ),
                q("short_text", "Who helped them give their views", key="views_helper", required=False, max_length=120),
            ],
        ),
        section(
            "Contribution and communication method",
            "contribution",
            [
                q(
                    "record_contribution",
                    "How the parent or carer took part, their views, and how they want to hear from us",
                    key="contribution",
                    hint="Kept with the child's record: the contribution page of this request shows the same.",
                ),
                q(
                    "long_text",
                    "What the parents or carers feel has helped so far",
                    key="parent_helped",
                    word_guidance=200,
                ),
                q("yes_no", "Does the parent or carer support this request?", key="parent_supports"),
                q(
                    "long_text",
                    "What the parent or carer disagrees with",
                    key="parent_disagrees",
                    required=False,
                    condition=when("parent_supports", "no"),
                ),
                q("yes_no", "Have the parents or carers read this request?", key="parent_seen"),
            ],
        ),
        section(
            "Strengths and interests",
            "strengths",
            [
                q(
                    "long_text",
                    "What is the child or young person good at, and what do they enjoy?",
                    key="strengths_interests",
                    word_guidance=200,
                ),
                q(
                    "long_text",
                    "What they enjoy out of school",
                    key="interests_outside",
                    required=False,
                    max_length=2000,
                ),
                q("long_text", "What motivates them", key="motivates", required=False, max_length=2000),
                q("long_text", "Who they get on well with", key="gets_on_with", required=False, max_length=2000),
            ],
        ),
        section(
            "Needs by area",
            "needs",
            _needs_in_depth(),
            "<p>Describe needs under the four broad areas of the SEND Code of Practice. Choose the areas first: "
            "the questions for each area you choose open under it.</p>",
        ),
        section(
            "The support already given, and its cost",
            "support_given",
            [
                guidance(
                    "<p>An assessment asks what the school has already tried, over at least two cycles of "
                    "assess, plan, do and review.</p>",
                    heading="Assess, plan, do, review",
                ),
                q("long_text", "Assess: what you found out", key="assess", max_length=4000),
                q("long_text", "Plan: the support you agreed", key="plan", max_length=4000),
                q("long_text", "Do: the support you gave, and how often", key="do", max_length=4000),
                q("long_text", "Review: what changed", key="review", max_length=4000),
                q("date", "Date of the last review", key="last_review_date", not_in_future=True),
                q("number", "How many review cycles there have been", key="review_cycles", min_value=0, max_value=50),
                q(
                    "number",
                    "Hours of adult support each week",
                    key="support_hours",
                    min_value=0,
                    max_value=60,
                    whole_numbers=False,
                ),
                q(
                    "table",
                    "Costed provision this school year",
                    key="provision_map",
                    item_name="provision",
                    hint="One row for each kind of support. The total is added up for you.",
                    columns=[
                        column("text", "Provision", "provision"),
                        column("text", "How often", "frequency"),
                        column("text", "Who gives it", "staff"),
                        column("money", "Cost this year", "cost"),
                    ],
                    min_rows=1,
                    max_rows=30,
                    total_column="cost",
                ),
                q(
                    "yes_no",
                    "Has the school spent its own SEN budget for this child?",
                    key="own_budget_spent",
                    hint="The first £6,000 of extra support each year comes from the school's own budget.",
                ),
                q("yes_no", "Has the school had top-up funding for this child?", key="top_up"),
                q(
                    "money",
                    "How much top-up funding this school year",
                    key="top_up_amount",
                    condition=when("top_up", "yes"),
                ),
                q(
                    "short_text",
                    "Where the top-up funding came from",
                    key="top_up_source",
                    max_length=200,
                    condition=when("top_up", "yes"),
                ),
            ],
        ),
        section(
            "Attendance and attainment",
            "attendance_attainment",
            [
                q(
                    "number",
                    "Attendance this school year, as a percentage",
                    key="attendance_percent",
                    min_value=0,
                    max_value=100,
                    whole_numbers=False,
                ),
                q(
                    "long_text",
                    "What affects their attendance",
                    key="attendance_reasons",
                    required=False,
                    max_length=1500,
                ),
                q(
                    "table",
                    "Attainment by subject",
                    key="attainment_table",
                    item_name="subject",
                    columns=[
                        column("text", "Subject or area", "subject"),
                        column("text", "Working at now", "now"),
                        column("text", "Expected for their age", "expected"),
                        column("date", "Date assessed", "assessed"),
                    ],
                    min_rows=1,
                    max_rows=15,
                ),
                q(
                    "number",
                    "Reading age, in years",
                    key="reading_age",
                    required=False,
                    min_value=0,
                    max_value=25,
                    whole_numbers=False,
                ),
                q(
                    "number",
                    "Spelling age, in years",
                    key="spelling_age",
                    required=False,
                    min_value=0,
                    max_value=25,
                    whole_numbers=False,
                ),
                q("long_text", "Attainment and progress over the last year", key="attainment", word_guidance=250),
            ],
        ),
        section(
            "Health and care",
            "health_care",
            [
                q("short_text", "Their GP surgery", key="gp_surgery", max_length=200),
                q("yes_no", "Do they have a health condition that affects learning?", key="health_condition"),
                q(
                    "long_text",
                    "The condition, and how it affects the school day",
                    key="health_condition_details",
                    max_length=2000,
                    condition=when("health_condition", "yes"),
                ),
                q("yes_no", "Do they take medicine at school?", key="medicine"),
                q("yes_no", "Do they have a hearing impairment?", key="hearing"),
                q("yes_no", "Do they have a sight impairment?", key="sight"),
                q(
                    "long_text",
                    "What helps them hear or see what happens in class",
                    key="sensory_support",
                    max_length=2000,
                    condition=when_any(("hearing", "yes"), ("sight", "yes")),
                ),
                q("yes_no", "Do they have a health care plan?", key="health_plan"),
                q("yes_no", "Is the family known to social care?", key="social_care"),
                q(
                    "multiple_choice",
                    "Which support the family has",
                    key="social_care_support",
                    options=opts(
                        "Early help", "Child in need plan", "Child protection plan", "Short breaks", "Another kind"
                    ),
                    condition=when("social_care", "yes"),
                ),
                q(
                    "short_text",
                    "Social worker or lead professional",
                    key="social_worker",
                    required=False,
                    max_length=120,
                    condition=when("social_care", "yes"),
                ),
            ],
        ),
        section(
            "Outcomes sought",
            "outcomes_sought",
            [
                q(
                    "record_outcomes",
                    "Outcomes you would like an EHC plan to work towards",
                    key="outcomes",
                    hint="Tag each outcome with the Type of need it meets and the Team that would lead on it.",
                )
            ],
        ),
        section(
            "Professional involvement",
            "professional_involvement",
            [q("record_contacts", "Professionals who know the child", key="contacts", required=False)],
        ),
        section(
            "Evidence",
            "evidence",
            [
                q(
                    "multiple_choice",
                    "Which of these are you sending with this request?",
                    key="evidence_list",
                    options=[{"label": label, "value": value} for value, label in EVIDENCE],
                ),
                q(
                    "file",
                    "The latest individual support plan (PDF)",
                    key="evidence_support_plan",
                    condition=when("evidence_list", "support_plan"),
                ),
                q(
                    "file",
                    "The costed provision map (PDF)",
                    key="evidence_provision_map",
                    condition=when("evidence_list", "provision_map"),
                ),
                q(
                    "file",
                    "The educational psychology report (PDF)",
                    key="evidence_ep_report",
                    condition=when("evidence_list", "ep_report"),
                ),
                q("file", "Another report (PDF)", key="evidence_other", required=False),
                q(
                    "long_text",
                    "Anything we should know about the evidence",
                    key="evidence_notes",
                    required=False,
                    max_length=1500,
                ),
            ],
            "<p>Tick what you are sending. Other reports can be added on the request's documents page too.</p>",
        ),
        section(
            "Declaration",
            "declaration",
            [
                q("short_text", "Your name", key="signed_by", max_length=120),
                q("short_text", "Your role", key="signed_role", max_length=120, hint="For example, SENCO"),
                q("email", "Your work email address", key="signed_email"),
                q("phone", "Your work phone number", key="signed_phone", required=False),
                q("yes_no", "Have the parents or carers agreed to this request?", key="consent"),
                q(
                    "declaration",
                    "I confirm that the parent or carer knows we are asking for an assessment and that what I "
                    "have written is accurate",
                    key="confirmed",
                ),
            ],
        ),
    ]


def appendix_b_sections(lists):
    return [
        section(
            "About this advice",
            "about_advice",
            [
                guidance(
                    "<p>This is the educational advice for an EHC needs assessment. Write it for the family as "
                    "much as for us: plain words, and no initials without their meaning.</p>"
                ),
                q("child_details", "The child or young person", key="child_details"),
                q("short_text", "Name of the school or setting", key="setting_name", max_length=200),
                q("single_choice", "Type of setting", key="setting_type", dropdown_list=lists["Types of setting"]),
                q(
                    "single_choice",
                    "Year group",
                    key="year_group",
                    dropdown_list=lists["Year groups"],
                    display="select",
                ),
            ],
        ),
        section("Needs by area", "needs", _needs_by_area(lists)),
        section(
            "Outcomes",
            "outcomes_section",
            [q("record_outcomes", "Outcomes for the child or young person", key="outcomes")],
        ),
        section(
            "Provision",
            "provision",
            [
                q("long_text", "Provision needed to meet these outcomes", key="provision_needed", word_guidance=400),
                q(
                    "table",
                    "The provision, costed",
                    key="provision_costs",
                    item_name="provision",
                    required=False,
                    columns=[
                        column("text", "Provision", "provision"),
                        column("text", "How often", "frequency"),
                        column("money", "Cost a year", "cost"),
                    ],
                    max_rows=20,
                    total_column="cost",
                ),
                q(
                    "number",
                    "Hours of adult support needed each week",
                    key="support_hours",
                    min_value=0,
                    max_value=60,
                    whole_numbers=False,
                    required=False,
                ),
            ],
        ),
        section(
            "Professional contacts",
            "professional_contacts",
            [q("record_contacts", "Other professionals involved", key="contacts", required=False)],
        ),
        section(
            "Declaration",
            "declaration",
            [
                q("short_text", "Your name", key="signed_by", max_length=120),
                q("declaration", "I confirm this advice is accurate to the best of my knowledge", key="confirmed"),
            ],
        ),
    ]


FORMS = [
    (
        "Request for an EHC needs assessment (ERSA)",
        FormKind.ERSA,
        "A school or setting asks Kestrelford's SEND service to assess a child or young person's education, "
        "health and care needs.",
        ersa_sections,
    ),
    (
        "Educational advice (Appendix B)",
        FormKind.APPENDIX_B,
        "The school or setting's advice for an EHC needs assessment that is under way.",
        appendix_b_sections,
    ),
]


def _dropdown_lists():
    lists = {}
    for name, (description, options) in DROPDOWN_LISTS.items():
        dropdown, _ = DropdownList.objects.get_or_create(name=name, defaults={"description": description})
        existing = set(dropdown.options.values_list("value", flat=True))
        for order, (value, label, *retired) in enumerate(options):
            if value not in existing:
                DropdownOption.objects.create(
                    dropdown_list=dropdown, value=value, label=label, retired=bool(retired), sort_order=order
                )
        lists[name] = dropdown.pk
    return lists


@transaction.atomic
def load(out):
    lists = _dropdown_lists()
    for title, kind, description, build in FORMS:
        definition = FormDefinition.objects.filter(title=title).first()
        if definition and definition.versions.exists():
            continue
        definition = definition or FormDefinition(title=title)
        definition.kind, definition.description, definition.version_label = kind, description, VERSION_LABEL
        definition.sections = json.dumps(build(lists))
        definition.save()
        form_definition_publish(definition=definition)
    out.write("Demo advice forms (ERSA and Appendix B, version NOV26) are published.")


def _taxonomy_list(model):
    """The active terms of a taxonomy as the advice forms seed and editors keep them: one list, not a copy."""
    rows = "".join(
        f"<li><b>{escape(term.code)}</b>: {escape(term.name)}</li>"
        if term.code != term.name
        else f"<li><b>{escape(term.name)}</b></li>"
        for term in model.objects.filter(active=True)
    )
    return f"<ul>{rows}</ul>"


def outcome_terms_html():
    """The Team and Type lists the demo FAQ's answer on outcomes shows (asked for by name: cms.demo.demo_words)."""
    return "<p>Teams:</p>" + _taxonomy_list(Team) + "<p>Types:</p>" + _taxonomy_list(NeedType)
