"""`manage.py bench_advice` on the real-size demo ERSA: its answers answer every question (record-backed ones
through the child record's rows), its step POSTs save those answers as the wizard stores them, its admin POST
saves the definition back unchanged, and `make bench` prints a target row for each figure."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from advice_forms import demo
from advice_forms.form_builder import FormBuilder
from advice_forms.models import AdviceRequest, FormDefinition, FormKind
from advice_forms.selectors import request_records
from bench.definition_post import comparable, definition_post_for
from bench.management.commands import bench_advice
from bench.management.commands.bench import Command as Bench
from tests.factories.advice_forms import ChildRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ersa():
    demo.load(io.StringIO())
    return FormDefinition.objects.get(kind=FormKind.ERSA)


def test_the_admin_post_of_the_demo_ersa_saves_it_back_unchanged(verified_admin_client, ersa):
    before = comparable(ersa.sections)
    data = definition_post_for(ersa)
    assert len(data) > 1000  # more than Django's usual field limit

    response = verified_admin_client.post(
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[ersa.pk]), data
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    saved = ersa.revisions.order_by("-pk").first().as_object()
    assert comparable(saved.sections) == before
    assert saved.title == ersa.title and saved.version_label == ersa.version_label


def test_every_question_is_answered_and_each_step_post_saves_it(verified_client, professional, ersa):
    builder = FormBuilder(ersa.latest_version())
    advice_request = AdviceRequest.objects.create(
        child=ChildRecordFactory(), form_version=ersa.latest_version(), account=professional
    )
    bench_advice.add_records(advice_request, professional)
    document, file_answer = bench_advice.file_answer_for(advice_request, professional)
    answers = bench_advice.every_field_answered(builder, file_answer)
    records = request_records(advice_request)

    questions = [spec for section in builder.sections() for spec in section.questions()]
    assert len(questions) >= 120
    kinds = {spec.type for spec in questions}
    assert {"address", "money", "file", "table", "child_details", "record_outcomes", "record_contacts"} <= kinds
    assert {"record_contribution"} <= kinds
    assert bench_advice.unanswered(builder, answers, records) == []
    assert bench_advice.unanswered(builder, answers, {**records, "outcomes": []}) != []

    # The files were uploaded earlier: only their answers are saved before the steps are posted.
    files = {(s.key, q.key) for s in builder.sections() for q in s.questions() if q.type == "file"}
    advice_request.answers = {
        key: {k: v for k, v in given.items() if (key, k) in files} for key, given in answers.items()
    }
    advice_request.save(update_fields=["answers"])
    for section in builder.sections():
        url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": section.key})
        data = {**bench_advice.post_data(section, answers[section.key]), "action": "continue"}
        response = verified_client.post(url, data)
        assert response.status_code == 302, (section.key, response.content.decode()[:3000])
    advice_request.refresh_from_db()
    differ = {
        (section, key): (given.get(key), advice_request.answers.get(section, {}).get(key))
        for section, given in answers.items()
        for key in given
        if given.get(key) != advice_request.answers.get(section, {}).get(key)
    }
    assert differ == {}
    assert document.original_filename == "support-plan.pdf"
    document.file.file.storage.delete(document.file.file.name)


def test_the_command_times_the_admin_save_the_longest_step_and_the_pdf_and_changes_nothing(ersa):
    out = io.StringIO()
    revisions = ersa.revisions.count()

    call_command(
        "bench_advice",
        "--json",
        "--pdf-runs",
        "1",
        "--post-runs",
        "2",
        "--admin-runs",
        "1",
        "--large-runs",
        "1",
        "--conditional-runs",
        "1",
        stdout=out,
    )

    results = json.loads(out.getvalue().strip().splitlines()[-1])
    assert results["pdf"]["questions"] >= 120 and results["pdf"]["pages"] > 1
    assert results["step"]["valid"]["status"] == 302 and results["step"]["invalid"]["status"] == 200
    assert results["step"]["valid"]["queries"] > 0 and results["step"]["invalid"]["queries"] > 0
    assert results["admin"]["fields_posted"] > 1000 and results["admin"]["p95_ms"] > 0
    large = results["large"]
    assert large["questions"] == 250 and large["fields_posted"] > 4000
    assert large["get"]["p95_ms"] > 0 and large["get"]["queries"] > 0 and large["save"]["queries"] > 0
    assert large["publish"]["p95_ms"] > 0 and large["publish"]["queries"] > large["save"]["queries"]
    assert not FormDefinition.objects.filter(title="Bench large form").exists()
    conditional = results["conditional"]
    assert conditional["questions"] == 250 and conditional["queries"] > 0 and conditional["p95_ms"] > 0
    assert conditional["shown_built"] <= 3  # one per set of answers the step reads (426 before: one per question drawn)
    assert not FormDefinition.objects.filter(title="Bench conditional form").exists()
    assert ersa.revisions.count() == revisions and not AdviceRequest.objects.exists()


def test_the_bench_table_has_a_target_row_for_each_demo_ersa_figure():
    ersa = {
        "pdf": {
            "sections": 15,
            "questions": 122,
            "pages": 20,
            "kb": 90,
            "runs": 7,
            "median_ms": 1500.0,
            "min_ms": 1400.0,
            "max_ms": 1700.0,
            "per_page_ms": 75.0,
            "python_peak_mb": 9.0,
            "rss_peak_mb": 200.0,
        },
        "step": {
            "section": "Needs",
            "questions": 20,
            "runs": 50,
            "valid": {"p50_ms": 40.0, "p95_ms": 120.0, "queries": 9},
        },
        "admin": {
            "sections": 15,
            "questions": 122,
            "fields_posted": 2500,
            "runs": 20,
            "p50_ms": 500.0,
            "p95_ms": 900.0,
        },
        "large": {
            "sections": 12,
            "questions": 250,
            "fields_posted": 4417,
            "runs": 20,
            "get": {"p50_ms": 300.0, "p95_ms": 450.0, "queries": 27},
            "save": {"p50_ms": 800.0, "p95_ms": 2100.0, "queries": 38},
            "publish": {"p50_ms": 900.0, "p95_ms": 1200.0, "queries": 60},
        },
        "conditional": {
            "questions": 250,
            "runs": 20,
            "p50_ms": 111.0,
            "p95_ms": 140.0,
            "cpu50_ms": 83.0,
            "queries": 10,
            "shown_built": 3,
        },
    }
    step = {"p50": 10.0, "p95": 20.0, "cpu50": 5.0, "cpu95": 6.0, "queries": [6], "fields": 40}
    crowd = {"people": 50, "sent": 600, "seconds": 5.0, "p50": 100.0, "p95": 200.0, "cpu50": 8.0, "cpu95": 20.0}
    crowd.update({"errors": 0, "values": 3800, "values_lost": 0, "submissions_missing": 0, "first_errors": []})
    dashboard = {"ms": 20.0, "cpu": 15.0, "queries": [12]}
    advice = {"dashboard": {10: dashboard, 10_000: dashboard}, "step": step, "ersa": ersa, "crowd": crowd}

    table = Bench()._advice_table(advice, {})

    assert "| Demo ERSA (122 questions): admin save of the definition, p95 under 1 s | 900 ms | met |" in table
    assert "| Demo ERSA's longest step POST (20 questions): p95 under 100 ms | 120.0 ms | not met |" in table
    assert "| Demo ERSA final PDF, every question answered (20 pages): under 100 ms a page | 75 ms/page" in table
    assert "2,500 form fields (20 saves) | p50 500 ms, p95 900 ms |" in table
    assert "| Full-size definition (250 questions): the admin's edit view GET, p95 under 2 s | 450 ms | met |" in table
    assert (
        "| Full-size definition (250 questions): the admin's save draft POST, p95 under 2 s | 2100 ms | not met |"
        in (table)
    )
    assert "4,417 form fields) in the admin, 20 runs each | edit view GET p50 300 ms, p95 450 ms, 27 queries; " in table
    assert "; “Publish” POST p50 900 ms, p95 1200 ms, 60 queries |" in table
    assert "| Full-size definition (250 questions): the admin's publish POST, p95 under 2 s | 1200 ms | met |" in table
    assert (
        "| A wizard step of 250 conditional questions drawn (GET, 20 runs) | p50 111 ms (CPU 83 ms), p95 140 ms; "
        "10 queries; the conditions worked out 3 times (Shown built) |"
    ) in table
