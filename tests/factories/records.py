"""Child records, advice requests and real PDFs for the tests of what sits around the form (issue 7)."""

import datetime
import io

from advice_forms.models import AdviceRequest, ChildRecord, FormKind, NeedType, RequestState, Team
from tests.factories.advice_forms import definition, dropdown_list, question, section


def child_record(**fields):
    fields.setdefault("first_name", "Robin")
    fields.setdefault("last_name", "Example")
    fields.setdefault("date_of_birth", datetime.date(2016, 3, 4))
    return ChildRecord.objects.create(**fields)


def form_version(kind=FormKind.ERSA, title=None):
    return definition(
        [section("About the child", [question("short_text", "Strengths", key="strengths")], key="about")],
        title=title or f"Test {kind}",
        kind=kind,
    )


def advice_request(account, *, child=None, kind=FormKind.ERSA, state=RequestState.IN_PROGRESS, version=None, **kw):
    return AdviceRequest.objects.create(
        child=child or child_record(),
        form_version=version or form_version(kind),
        account=account,
        state=state,
        **kw,
    )


def document_types():
    return dropdown_list("Document types", [("report", "Professional report"), ("plan", "Support plan")])


def pdf_bytes(*, pages=1, password=None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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
