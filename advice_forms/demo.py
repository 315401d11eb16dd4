"""Demo forms for the fictional Kestrelford Borough Council: an ERSA, an Appendix B and their dropdown lists.

Written in our own words. Idempotent: lists gain missing options; a form is created and published once,
and a later run leaves it (and the versions requests may pin) as it is.
"""

import json

from django.db import transaction
from django.utils.html import escape

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
    return {"field_key": field_key, "value": value}


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


def ersa_sections(lists):
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
                q(
                    "single_choice",
                    "Year group",
                    key="year_group",
                    dropdown_list=lists["Year groups"],
                    display="select",
                ),
                q(
                    "date",
                    "Date the child started at your school or setting",
                    key="start_date",
                    not_in_future=True,
                    error_message="Enter the date the child started at your school or setting",
                ),
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
            "The child or young person's views",
            "child_views",
            [
                q(
                    "long_text",
                    "What the child or young person says about school, in their own words",
                    key="child_views",
                    word_guidance=300,
                ),
                q(
                    "short_text",
                    "How you gathered their views",
                    key="child_views_gathered",
                    hint="For example, a conversation at break time, drawings, a one-page profile.",
                ),
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
                q("yes_no", "Does the parent or carer support this request?", key="parent_supports"),
                q(
                    "long_text",
                    "What the parent or carer disagrees with",
                    key="parent_disagrees",
                    required=False,
                    condition=when("parent_supports", "no"),
                ),
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
                )
            ],
        ),
        section(
            "Needs by area",
            "needs",
            _needs_by_area(lists),
            "<p>Describe needs under the four broad areas of the SEND Code of Practice.</p>",
        ),
        section(
            "The support already given",
            "support_given",
            [
                guidance(
                    "<p>An assessment asks what the school has already tried, over at least two cycles of "
                    "assess, plan, do and review.</p>",
                    heading="Assess, plan, do, review",
                ),
                q(
                    "long_text",
                    "Assess: what you found out",
                    key="assess",
                    max_length=4000,
                    error_message="Enter what you found out when you assessed",
                ),
                q(
                    "long_text",
                    "Plan: the support you agreed",
                    key="plan",
                    max_length=4000,
                    error_message="Enter the support you agreed",
                ),
                q(
                    "long_text",
                    "Do: the support you gave, and how often",
                    key="do",
                    max_length=4000,
                    error_message="Enter the support you gave, and how often",
                ),
                q(
                    "long_text",
                    "Review: what changed",
                    key="review",
                    max_length=4000,
                    error_message="Enter what changed at the review",
                ),
                q(
                    "date",
                    "Date of the last review",
                    key="last_review_date",
                    not_in_future=True,
                    error_message="Enter the date of the last review",
                ),
                q("number", "Cost of the extra support this year, in pounds", key="support_cost", min_value=0),
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
                q("long_text", "Attainment and progress", key="attainment", word_guidance=250),
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
            "Declaration",
            "declaration",
            [
                q("short_text", "Your name", key="signed_by", max_length=120),
                q("short_text", "Your role", key="signed_role", max_length=120, hint="For example, SENCO"),
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
