"""The question kinds a real ERSA needs besides text and choices: a UK address, money, and guidance with headings,
lists and a picture. Each: its validation in GOV.UK words beside the field, the wizard's markup, check answers
and the PDF."""

import io

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from advice_forms.fields import normalise_postcode
from advice_forms.form_builder import FormBuilder
from advice_forms.models import Document
from advice_forms.pdf import advice_pdf
from tests.factories.advice_forms import AdviceRequestFactory, definition, pdf_bytes, question, section

pytestmark = pytest.mark.django_db


def build(*fields):
    version = definition([section("The questions", list(fields), key="main")])
    return version, FormBuilder(version)


def post(builder, data):
    form = builder.form_class_for("main")(data=data, answers={})
    form.is_valid()
    return form


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def rendered(form):
    return render_to_string("advice_forms/includes/section_form.html", {"form": form})


# --- UK address ---------------------------------------------------------------------------------------


def address(prefix="home", **parts):
    data = {f"{prefix}-line_1": "", f"{prefix}-line_2": "", f"{prefix}-town": "", f"{prefix}-postcode": ""}
    data.update({f"{prefix}-{k}": v for k, v in parts.items()})
    return data


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("sw1a1aa", "SW1A 1AA"), (" sw1a  1aa ", "SW1A 1AA"), ("m1 1ae", "M1 1AE"), ("CR2 6XH", "CR2 6XH")]
    + [("SW1A-1AA", "SW1A 1AA"), ("SW1A 1AA.", "SW1A 1AA"), ("s.w.1a 1aa", "SW1A 1AA"), ("M1 1AE,", "M1 1AE")],
)
def test_postcodes_are_normalised(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["not a pc", "12345", "SW1A", "SW1A 1A", "1AA SW1", "SW1A 1AA!", "SW1A/1AA", "-.,"])
def test_what_is_not_a_postcode_is_refused(typed):
    assert normalise_postcode(typed) is None


@pytest.mark.parametrize("typed", ["not a postcode", "SW1A 1AA please", "SW1A"])
def test_what_is_not_a_postcode_is_asked_for_again_whatever_its_length(typed):
    """ "not a postcode" was told "Postcode must be 10 characters or fewer", as if a shorter one would do."""
    _version, builder = build(question("address", "Home address", key="home"))
    form = post(builder, address(line_1="4 Heron Row", town="Kestrelford", postcode=typed))
    assert form.error_summary() == [("#id_home-postcode", "Enter a real postcode")]


def test_a_postcode_with_a_hyphen_or_full_stop_is_taken_and_stored_normalised():
    _version, builder = build(question("address", "Home address", key="home"))
    for typed in ("SW1A-1AA", "sw1a 1aa."):
        form = post(builder, address(line_1="4 Heron Row", town="Kestrelford", postcode=typed))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["home"]["postcode"] == "SW1A 1AA"


def test_an_address_is_checked_part_by_part_and_stored_normalised():
    version, builder = build(question("address", "Home address", key="home"))
    form = post(builder, address())
    assert form.errors["home"] == ["Enter address line 1, typically the building and street"]
    assert form.error_summary() == [("#id_home-line_1", "Enter address line 1, typically the building and street")]

    form = post(builder, address(line_1="4 Heron Row", town="Kestrelford", postcode="not a pc"))
    assert form.errors["home"] == ["Enter a real postcode"]
    assert form.error_summary() == [("#id_home-postcode", "Enter a real postcode")]
    html = rendered(form)
    # The message beside the field, the typed values kept, only the postcode box marked.
    assert '<p id="id_home-error" class="govuk-error-message">' in html
    assert 'value="not a pc"' in html and 'value="4 Heron Row"' in html
    assert 'govuk-input--width-10 govuk-input--error" id="id_home-postcode"' in html
    assert 'id="id_home-line_1" name="home-line_1" type="text" autocomplete="address-line1"' in html

    form = post(builder, address(line_1="4 Heron  Row", town="Kestrelford", postcode="kf1 2ab"))
    assert form.is_valid(), form.errors
    answer = form.answers()["home"]
    assert answer == {"line_1": "4 Heron Row", "line_2": "", "town": "Kestrelford", "postcode": "KF1 2AB"}
    spec = builder.section("main").fields[0]
    assert builder.display_value(spec, answer) == "4 Heron Row\nKestrelford\nKF1 2AB"
    # Shown again from the saved answer.
    again = builder.form_class_for("main")(answers={"main": {"home": answer}})
    assert 'value="KF1 2AB"' in rendered(again)


def test_an_optional_address_left_blank_is_no_answer_but_a_started_one_needs_its_parts():
    _version, builder = build(question("address", "Previous address", key="before", required=False))
    blank = post(builder, address("before"))
    assert blank.is_valid() and blank.answers() == {"before": None}
    started = post(builder, address("before", line_2="Flat 2"))
    assert started.errors["before"] == [
        "Enter address line 1, typically the building and street",
        "Enter town or city",
        "Enter postcode",
    ]


# --- money --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("£1,900.50", "1900.50"), ("1900", "1900.00"), ("1,900", "1900.00"), (" £ 12.5 ", "12.50"), ("0", "0.00")],
)
def test_money_is_read_as_people_type_it_and_stored_exactly(typed, stored):
    _version, builder = build(question("money", "Cost of the provision", key="cost"))
    form = post(builder, {"cost": typed})
    assert form.is_valid(), form.errors
    assert form.answers() == {"cost": stored}


@pytest.mark.parametrize("typed", ["1.234", "£1,90", "twelve", "1,9000", "-5", "£", "1e5"])
def test_what_is_not_an_amount_is_refused_in_govuk_words(typed):
    _version, builder = build(question("money", "Cost of the provision", key="cost"))
    form = post(builder, {"cost": typed})
    expected = (
        "Enter the cost of the provision"
        if typed == "£"
        else "Cost of the provision must be an amount of money, like £1,900.50 or 1900"
    )
    assert form.errors["cost"] == [expected]


def test_money_limits_and_markup():
    _version, builder = build(question("money", "Cost of the provision", key="cost", min_value=1, max_value=5000))
    assert post(builder, {"cost": "0.50"}).errors["cost"] == ["Cost of the provision must be £1 or more"]
    assert post(builder, {"cost": "5,000.01"}).errors["cost"] == ["Cost of the provision must be £5,000 or less"]
    html = rendered(builder.form_class_for("main")(answers={"main": {"cost": "1900.50"}}))
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in html
    assert 'value="1,900.50"' in html and 'inputmode="decimal"' in html
    spec = builder.section("main").fields[0]
    assert builder.display_value(spec, "1900.50") == "£1,900.50"
    assert builder.display_value(spec, "1900.00") == "£1,900.00"


# --- the PDF, and guidance with headings, lists and a picture -----------------------------------------------


def test_address_money_and_guidance_with_a_picture_print_in_the_pdf():
    picture = wagtail_factories.ImageFactory(title="Visual timetable")
    body = "<h3>Before you start</h3><ul><li>Have the child's plan to hand</li><li>Ask the family</li></ul>"
    version, builder = build(
        question(
            "guidance",
            "",
            heading="How to answer",
            body=body,
            image={"image": picture.pk, "alt": "A visual timetable with four pictures"},
        ),
        question("address", "Home address", key="home"),
        question("money", "Cost of the provision", key="cost"),
    )
    step = rendered(builder.form_class_for("main")(answers={}))
    assert "<h3>Before you start</h3>" in step and "<li>Ask the family</li>" in step
    assert 'alt="A visual timetable with four pictures"' in step and "<img" in step

    answers = {
        "main": {
            "home": {"line_1": "4 Heron Row", "line_2": "", "town": "Kestrelford", "postcode": "KF1 2AB"},
            "cost": "1900.50",
        }
    }
    data = advice_pdf(version=version, answers=answers, preview=False)
    pages, text = pdf_text(data)
    assert pages > 0
    assert "Before you start" in text and "Ask the family" in text
    assert "4 Heron Row" in text and "KF1 2AB" in text and "£1,900.50" in text
    assert b"/Subtype /Image" in data


def test_a_picture_without_alt_text_is_refused_beside_it():
    from django.core.exceptions import ValidationError

    from advice_forms.blocks import GuidanceBlock

    picture = wagtail_factories.ImageFactory()
    block = GuidanceBlock()
    value = block.to_python({"heading": "", "body": "<p>Hi</p>", "image": {"image": picture.pk, "alt": " "}})
    with pytest.raises(ValidationError) as raised:
        block.clean(value)
    assert raised.value.block_errors["image"].block_errors["alt"].messages == [
        "Enter alt text that says what the picture shows"
    ]


# --- a file question --------------------------------------------------------------------------------------


def test_a_file_question_files_a_checked_pdf_as_the_childs_document_and_lists_it_in_the_pdf(
    verified_client, professional, django_capture_on_commit_callbacks
):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from advice_forms.models import Document, DocumentState, Submission
    from tests.factories.advice_forms import AdviceRequestFactory, pdf_bytes

    version = definition(
        [section("Evidence", [question("file", "Latest school report", key="report")], key="evidence")]
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"})
    page = verified_client.get(step).content.decode()
    assert 'enctype="multipart/form-data"' in page
    # The documents page's control (GOV.UK Frontend's file upload component), for a PDF.
    wrapper = '<div class="govuk-file-upload-wrapper" data-module="govuk-file-upload"><input type="file" name="report"'
    assert f'{wrapper} class="govuk-file-upload" accept="application/pdf,.pdf" id="id_report"' in page

    # Nothing chosen, then something that is not a PDF: refused beside the field, nothing filed.
    missing = verified_client.post(step, {"action": "continue"})
    assert "Select a PDF file to upload" in missing.content.decode()
    fake = SimpleUploadedFile("report.pdf", b"just words, not a PDF", content_type="application/pdf")
    refused = verified_client.post(step, {"report": fake, "action": "continue"}).content.decode()
    assert '<p id="id_report-error" class="govuk-error-message">' in refused
    # Named .pdf, its content is not a PDF's: "must be a PDF" would puzzle whoever chose a file named .pdf.
    assert "“report.pdf” is not a real PDF, or it is damaged. Save it as a PDF again and upload it" in refused
    assert not Document.objects.filter(advice_request=advice_request).exists()

    # A real PDF: filed privately as the child's document, the answer names it.
    upload = SimpleUploadedFile("Summer report.pdf", pdf_bytes(pages=2), content_type="application/pdf")
    assert verified_client.post(step, {"report": upload, "action": "continue"}).status_code == 302
    document = Document.objects.get(advice_request=advice_request)
    assert (document.child, document.title, document.uploaded_by) == (
        advice_request.child,
        "Summer report",  # the file's own name: the question's label is written to the account filling the form
        professional,
    )
    assert document.file.is_public is False
    advice_request.refresh_from_db()
    assert advice_request.answers["evidence"]["report"]["document"] == document.pk
    # Shown again, the step says what is uploaded and needs no second upload; a new file replaces it.
    again = verified_client.get(step).content.decode()
    assert "You have uploaded Summer report.pdf" in again
    assert verified_client.post(step, {"action": "continue"}).status_code == 302
    newer = SimpleUploadedFile("Autumn report.pdf", pdf_bytes(), content_type="application/pdf")
    assert verified_client.post(step, {"report": newer, "action": "continue"}).status_code == 302
    document.refresh_from_db()
    assert document.state == DocumentState.WITHDRAWN
    current = Document.objects.get(advice_request=advice_request, state=DocumentState.CURRENT)
    assert current.original_filename == "Autumn report.pdf"

    check = verified_client.get(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    assert "Autumn report.pdf" in check.content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', check.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        verified_client.post(
            reverse("portal:request_submit", kwargs={"pk": advice_request.pk}), {"idempotency_key": key}
        )
    submission = Submission.objects.get(request=advice_request)
    _pages, text = pdf_text(submission.pdf.file.read())
    assert "Latest school report" in text and "Autumn report.pdf" in text


def _evidence_step(professional, *more_questions):
    """A request whose "Evidence" step asks for a support plan, plan reviews and ``more_questions`` (files); the
    step's address, and a post choosing a good plan.pdf and a refused setup.exe."""
    questions = [
        question("file", "Support plan", key="plan", error_message="Select the support plan"),
        question("file", "Plan reviews", key="reviews", error_message="Select the plan reviews"),
    ]
    advice_request = AdviceRequestFactory(
        account=professional,
        form_version=definition([section("Evidence", [*questions, *more_questions], key="evidence")]),
    )
    posted = {
        "plan": SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf"),
        "reviews": SimpleUploadedFile("setup.exe", b"MZ\x90\x00 a program", content_type="application/octet-stream"),
    }
    return advice_request, reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"}), posted


def test_save_and_come_back_later_names_each_file_it_could_not_keep(verified_client, professional):
    """'Save and come back later' said only that some answers needed correcting: a refused file, which no draft can
    hold, was gone without a word (found by walking the demo). The message now names it and why."""
    _, step, posted = _evidence_step(professional)
    page = verified_client.post(step, {**posted, "action": "later"}, follow=True).content.decode()
    assert "This file was not kept: “setup.exe” must be a PDF." in page


def test_a_valid_pdf_is_kept_when_other_files_of_the_step_are_refused_each_named_beside_its_field(
    verified_client, professional
):
    advice_request, step, posted = _evidence_step(
        professional, question("file", "Provision map", key="map", error_message="Select the provision map")
    )
    posted = {
        **posted,
        "map": SimpleUploadedFile("map.pdf", b"%PDF-1.7 not really", content_type="application/pdf"),
        "action": "continue",
    }
    html = verified_client.post(step, posted).content.decode()

    plan = Document.objects.get(advice_request=advice_request)
    assert (plan.title, plan.original_filename) == ("plan", "plan.pdf")
    assert '<p class="govuk-body govuk-!-text-break-word" id="id_plan-uploaded">You have uploaded plan.pdf' in html
    assert "id_plan-error" not in html
    assert "“setup.exe” must be a PDF" in html.split('id="id_reviews-error"')[1].split("</p>")[0]
    assert "“map.pdf” cannot be read as a PDF" in html.split('id="id_map-error"')[1].split("</p>")[0]
    # Kept: shown again later, and listed among the documents; the other files are still asked for.
    assert "You have uploaded plan.pdf" in verified_client.get(f"{step}?attention=1").content.decode()
    assert (
        "plan.pdf (PDF"
        in verified_client.get(reverse("portal:request_documents", args=[advice_request.pk])).content.decode()
    )
    fixed = {
        "reviews": SimpleUploadedFile("reviews.pdf", pdf_bytes(), content_type="application/pdf"),
        "map": SimpleUploadedFile("map.pdf", pdf_bytes(), content_type="application/pdf"),
        "action": "continue",
    }
    assert verified_client.post(step, fixed).status_code == 302
    advice_request.refresh_from_db()
    assert {key: answer["name"] for key, answer in advice_request.answers["evidence"].items()} == {
        "plan": "plan.pdf",
        "reviews": "reviews.pdf",
        "map": "map.pdf",
    }
    assert Document.objects.filter(advice_request=advice_request).count() == 3


def test_a_file_questions_upload_is_listed_as_uploaded_with_the_form_not_sent_yet(verified_client, professional):
    """Its type is set by the portal (never "Not given"), and says the truth of a draft: not sent yet."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories.advice_forms import AdviceRequestFactory, pdf_bytes

    version = definition([section("Evidence", [question("file", "Support plan", key="plan")], key="evidence")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"})
    plan = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    assert verified_client.post(step, {"plan": plan, "action": "continue"}).status_code == 302

    page = verified_client.get(reverse("portal:request_documents", args=[advice_request.pk])).content.decode()
    assert '<td class="govuk-table__cell" data-label="Type">Uploaded with the form, not sent yet</td>' in page
    assert "Not given" not in page


def test_an_oversized_file_is_refused_with_the_upload_limit(verified_client, professional, settings):
    """The hint says "1MB or smaller" and a file of exactly 1MB is taken, so the error says the same, not "smaller
    than 1MB". It names the file, as the step's other refusals do: beside "“notes.docx” must be a PDF" it said "The
    selected file must be 1MB or smaller", two wordings on one page (found walking the demo)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from advice_forms.models import Document
    from tests.factories.advice_forms import AdviceRequestFactory, padded_pdf

    settings.PORTAL_MAX_UPLOAD_MB = 1
    questions = [
        question("file", "Report", key="report"),
        question("file", "Notes", key="notes", error_message="Select the notes"),
    ]
    version = definition([section("Evidence", questions, key="evidence")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"})
    big = SimpleUploadedFile("big.pdf", padded_pdf(1024 * 1024 + 10), content_type="application/pdf")
    notes = SimpleUploadedFile("notes.docx", b"PK\x03\x04 a document", content_type="application/octet-stream")
    html = verified_client.post(step, {"report": big, "notes": notes, "action": "continue"}).content.decode()
    assert "A PDF, 1MB or smaller." in html
    assert "“big.pdf” must be 1MB or smaller" in html.split('<p id="id_report-error" class="govuk-error-message">')[1]
    assert "“notes.docx” must be a PDF" in html.split('<p id="id_notes-error" class="govuk-error-message">')[1]
    assert "The selected file" not in html
    assert not Document.objects.filter(advice_request=advice_request).exists()


def test_a_file_name_with_a_right_to_left_override_is_refused_beside_the_question(verified_client, professional):
    """ "report", U+202E and "fdp.exe" reads "reportexe.pdf": the override was dropped in silence and the file filed as
    "reportfdp.exe.pdf". It is refused as a name with slashes is, and nothing is filed."""
    from cms.pdf_checks import UploadProblem

    version = definition([section("Evidence", [question("file", "Report", key="report")], key="evidence")])
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"})
    named = SimpleUploadedFile("report\u202efdp.exe", pdf_bytes(), content_type="application/pdf")
    html = verified_client.post(step, {"report": named, "action": "continue"}).content.decode()
    assert UploadProblem.BAD_NAME in html.split('<p id="id_report-error" class="govuk-error-message">')[1]
    assert not Document.objects.filter(advice_request=advice_request).exists()
    advice_request.refresh_from_db()
    assert "report" not in (advice_request.answers.get("evidence") or {})


@pytest.mark.parametrize("name", ["report\u202efdp.exe.pdf", "\u202e"], ids=["override", "nothing-but-hidden"])
def test_a_bad_file_name_is_refused_beside_its_own_question_only(verified_client, professional, name):
    """A step asking for two files showed the refusal of one file's name beside both, and refused the other, good,
    file with it: the name's problem is its own field's. A name of nothing but hidden characters, which Django drops
    with its file, is refused beside its question too."""
    from cms.pdf_checks import UploadProblem

    version = definition(
        [
            section(
                "Evidence",
                [
                    question("file", "Report", key="report"),
                    question("file", "Support plan", key="plan", error_message="Select the support plan"),
                ],
                key="evidence",
            )
        ]
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version)
    step = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "evidence"})
    named = SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
    plan = SimpleUploadedFile("support-plan.pdf", pdf_bytes(), content_type="application/pdf")
    html = verified_client.post(step, {"report": named, "plan": plan, "action": "continue"}).content.decode()

    assert UploadProblem.BAD_NAME in html.split('<p id="id_report-error" class="govuk-error-message">')[1]
    assert 'id="id_plan-error"' not in html
    assert html.count(UploadProblem.BAD_NAME) == 2  # beside the question and in the error summary
    advice_request.refresh_from_db()
    saved = advice_request.answers.get("evidence") or {}
    assert "report" not in saved
    assert saved["plan"]["name"] == "support-plan.pdf"
