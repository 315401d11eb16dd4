"""Factories for advice_forms: form definitions and dropdown lists, a small published form with valid answers, child
records, advice requests, submissions, Team and Type terms, and real PDFs to upload."""

import datetime
import io
import json
import uuid

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from advice_forms.models import (
    DOCUMENT_TYPES_PURPOSE,
    Document,
    DropdownList,
    DropdownOption,
    FormDefinition,
    FormKind,
    NeedType,
    RequestState,
    Submission,
    Team,
)
from advice_forms.services.definitions import form_definition_publish
from advice_forms.services.documents import document_upload
from advice_forms.services.submissions import submission_evidence_record
from tests.factories.accounts import ProfessionalFactory

# --- Form definitions ---


def question(field_type, label, **options):
    options.setdefault("required", field_type not in ("guidance",))
    return {"type": field_type, "value": {"label": label, **options}}


def section(title, fields, key="", condition=None, guidance=""):
    value = {"title": title, "key": key, "fields": fields, "guidance": guidance}
    if condition:
        value["condition"] = condition
    return {"type": "section", "value": value}


def column(label, kind="text", required=True, key="", options=(), **rules):
    """A column of a table question; options: [(value, label)] for a choice column; rules: a date column's
    (earliest, latest, not_in_future, not_before_column)."""
    return {
        "label": label,
        "key": key,
        "kind": kind,
        "required": required,
        "options": [{"label": o_label, "value": value} for value, o_label in options],
        **rules,
    }


class DropdownListFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"List {n}")

    class Meta:
        model = DropdownList


# A two-option list ("value", "label") the admin tests build as the "Languages" dropdown.
LANGUAGES = [("english", "English"), ("welsh", "Welsh")]


def dropdown_list(name, options, *, purpose=""):
    """options: [(value, label)] or [(value, label, retired)]."""
    dropdown = DropdownListFactory(name=name, purpose=purpose)
    for order, (value, label, *retired) in enumerate(options):
        DropdownOption.objects.create(
            dropdown_list=dropdown, value=value, label=label, retired=bool(retired), sort_order=order
        )
    return dropdown


def definition(sections, *, title="Test advice", version_label="V1", kind=FormKind.OTHER_ADVICE, publish=True):
    """A definition built from StreamField JSON; published (returns the version) unless publish=False."""
    instance = FormDefinition(title=title, kind=kind, version_label=version_label, sections=json.dumps(sections))
    instance.save()
    if not publish:
        return instance
    return form_definition_publish(definition=instance)


def school_form_sections():
    """Two steps: "Which school?" shown for a "Yes" on the same step (a reveal), "Name of the SENCO" on the next."""
    at_school = {"match": "all", "rules": [{"field_key": "at_school", "operator": "is", "value": "yes"}]}
    return [
        section(
            "About the child",
            [
                question("yes_no", "Does the child go to school?", key="at_school"),
                question("short_text", "Which school?", key="school", condition=at_school),
            ],
            key="about",
        ),
        section("School", [question("short_text", "Name of the SENCO", key="senco", condition=at_school)]),
    ]


# A designer's guidance written for itself: an h3, then an h4 under it.
DESIGNERS_HEADINGS = "<h3>Who to ask</h3><p>Ask the class teacher.</p><h4>If there is none</h4><p>Ask the head.</p>"


def designers_headings_form():
    """One step of two guidance blocks with DESIGNERS_HEADINGS in their text, the first without a heading of its
    own, the second with one ("Before you start"), then a question; published."""
    return definition(
        [
            section(
                "Section 5: views",
                [
                    question("guidance", "", body=DESIGNERS_HEADINGS),
                    question("guidance", "", heading="Before you start", body=DESIGNERS_HEADINGS),
                    question("short_text", "Whose views did you ask?", key="whose"),
                ],
                key="views",
            )
        ]
    )


# --- A small published form and valid answers for each of its steps ---

SMALL_FORM_TITLE = "Speech and language advice"


def small_form_sections(extra_label=""):
    """Four steps: a required long text, a date and a yes/no; a step shown only for "yes"; a repeating group;
    an optional step."""
    return [
        section(
            "About your involvement",
            [
                question("long_text", "What is your involvement with the child?", key="involvement", max_length=2000),
                question("date", "When did you last see the child?", key="last_seen", not_in_future=True),
                question("yes_no", "Does the child have a diagnosis?", key="diagnosis"),
            ],
            key="about",
        ),
        section(
            "Diagnosis",
            [question("short_text", "Who made the diagnosis?", key="diagnosed_by")],
            key="health",
            condition={"field_key": "diagnosis", "value": "yes"},
        ),
        section("Outcomes", [question("outcomes", "Outcomes", key="outcomes", max_rows=5)], key="outcomes"),
        section(
            f"Anything else{extra_label}",
            [question("long_text", "Is there anything else we should know?", key="anything_else", required=False)],
            key="other",
        ),
    ]


def small_form_version(*, title=SMALL_FORM_TITLE, version_label="V1", kind=FormKind.OTHER_ADVICE):
    """Publish the small form; returns its FormDefinitionVersion."""
    return definition(small_form_sections(), title=title, version_label=version_label, kind=kind)


def step_data():
    """Valid POST data for each step of the small form, in order (with a diagnosis, so all four show)."""
    return {
        "about": {
            "involvement": "I have seen the child weekly for speech therapy since September.",
            "last_seen-day": "3",
            "last_seen-month": "11",
            "last_seen-year": "2026",
            "diagnosis": "yes",
        },
        "health": {"diagnosed_by": "Community paediatrician"},
        "outcomes": {
            "outcomes-rows": "1",
            "outcomes-0-team": "SLT",
            "outcomes-0-type": "Comms",
            "outcomes-0-outcome": "Asks for help using short sentences",
            "outcomes-0-provision": "Weekly small-group language sessions",
            "outcomes-0-timescale": "By July",
        },
        "other": {"anything_else": ""},
    }


def one_section_form(kind=FormKind.ERSA, title=None):
    """A published form of one section holding one short text question, "Strengths"."""
    return definition(
        [section("About the child", [question("short_text", "Strengths", key="strengths")], key="about")],
        title=title or f"Test {kind}",
        kind=kind,
    )


# --- Child records, advice requests, submissions ---


class ChildRecordFactory(factory.django.DjangoModelFactory):
    first_name = factory.Sequence(lambda n: f"Robin{n}")
    last_name = "Marchwood"
    date_of_birth = datetime.date(2017, 5, 4)

    class Meta:
        model = "advice_forms.ChildRecord"


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    """Pass form_version (e.g. small_form_version()); one is published when none is given."""

    child = factory.SubFactory(ChildRecordFactory)
    form_version = factory.LazyFunction(small_form_version)
    account = factory.SubFactory(ProfessionalFactory)
    message = "Please give your advice by the due date."

    class Meta:
        model = "advice_forms.AdviceRequest"


def advice_request(account, *, kind=FormKind.ERSA, state=RequestState.IN_PROGRESS, version=None, **fields):
    """A request shared with ``account`` and already in progress, on a one-section form of ``kind`` unless
    ``version`` is given: what the pages around the form need."""
    return AdviceRequestFactory(account=account, form_version=version or one_section_form(kind), state=state, **fields)


def request_to_do(account, version):
    """A request shared with ``account`` on ``version`` for a new child, not yet started: where the wizard begins."""
    return AdviceRequestFactory(account=account, form_version=version)


def submission_make(request_, answers, *, state=RequestState.SUBMITTED, when=None):
    """A frozen Submission of ``answers`` (the next number) and the request moved to ``state``, as the professional
    side's submit would leave it: the files its answers send recorded as its evidence by submit's own function."""
    number = request_.submissions.count() + 1
    submission = Submission.objects.create(
        request=request_,
        number=number,
        form_version=request_.form_version,
        answers=answers,
        reference=f"{settings.PORTAL_REFERENCE_PREFIX}-TEST-{request_.pk:04d}-{number:06d}",
        submitted_by=request_.account,
        submitted_by_name=request_.account.display_name,
        submitted_at=when or timezone.now(),
        idempotency_key=uuid.uuid4().hex,
    )
    submission_evidence_record(submission)
    request_.answers = answers
    request_.state = state
    request_.save()
    return submission


# --- Taxonomies, document types and PDFs ---


def document_types():
    return dropdown_list(
        "Document types", [("report", "Professional report"), ("plan", "Support plan")], purpose=DOCUMENT_TYPES_PURPOSE
    )


def document_copies(document, count, **fields):
    """``count`` more documents like ``document`` (same child, request, uploader and stored file), their types taken
    in turn from the document types list unless ``fields`` give one: a long list without uploading each file."""
    types = ["report", "plan"]
    return Document.objects.bulk_create(
        Document(
            child_id=document.child_id,
            advice_request_id=document.advice_request_id,
            title=f"{document.title} {n}",
            file_id=document.file_id,
            uploaded_by_id=document.uploaded_by_id,
            uploaded_by_name=document.uploaded_by_name,
            **{"document_type": types[n % len(types)], **fields},
        )
        for n in range(count)
    )


def pdf_bytes(*, pages=1, password=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="report.pdf") -> SimpleUploadedFile:
    """A one-page PDF as a person uploads it: for ``document_upload``, or a form's file field."""
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def report_upload(advice_request_, *, title):
    """A PDF of type "report" that the request's account uploads to its child's record (call document_types()
    once first)."""
    return document_upload(
        advice_request=advice_request_,
        account=advice_request_.account,
        uploaded=pdf_upload(),
        title=title,
        document_type="report",
    )


def padded_pdf(size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes: a comment line before the end keeps it parseable."""
    data = pdf_bytes()
    head, tail = data.rsplit(b"startxref", 1)
    filler = size - len(data) - 2
    assert filler > 0
    # Padding after the xref table goes into a comment placed just before the startxref keyword.
    return head + b"%" + b"x" * filler + b"\n" + b"startxref" + tail


def team(code="SLT", name="Speech and Language Therapy", active=True):
    term, _ = Team.objects.update_or_create(code=code, defaults={"name": name, "active": active})
    return term


def need_type(code="Comms", name="Communication and interaction", active=True):
    term, _ = NeedType.objects.update_or_create(code=code, defaults={"name": name, "active": active})
    return term


def request_page(advice_request):
    """The path of a request's page in the portal, where an inbox message about it leads."""
    return reverse("portal:request_detail", args=[advice_request.pk])
