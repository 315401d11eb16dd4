"""`manage.py bench_advice`: time the demo ERSA's final PDF with every field answered, and a wizard step POST.

Not a test and never run by `make test`. It loads the demo forms, makes a team account, a child record and a
request inside a transaction that is rolled back at the end (the database is left as it was), then prints
median and p95 figures. The step POSTs go through Django's test client: the whole middleware stack and the
view in this process, no network and no web server, so they are the server time of a request.
"""

import io
import json
import resource
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

WORDS = (
    "The child settles well in small groups and talks readily with familiar adults; in larger groups they "
    "need a visual timetable and a warning before changes. Reading is about two years behind their peers, "
    "and writing takes them a long time, so adults scribe for longer pieces. "
)


class _Rollback(Exception):
    pass


def _value(builder, spec):
    """A plausible answer for any field type, as stored in AdviceRequest.answers."""
    from advice_forms.models import NeedType, Team

    o = spec.options
    kind = spec.type
    if kind == "short_text":
        return "Oakfield Primary School"[: o.get("max_length") or 200]
    if kind == "long_text":
        return (WORDS * 4)[: o.get("max_length") or 5000].strip()
    if kind == "number":
        return o.get("min_value") or 3
    if kind == "date":
        return "2026-01-15"
    if kind == "email":
        return "senco@oakfield-primary.example.org"
    if kind == "phone":
        return "01632 960 123"
    if kind == "yes_no":
        return "yes"
    if kind == "single_choice":
        return builder.option_choices(spec)[0][0]
    if kind == "multiple_choice":
        return [value for value, _label in builder.option_choices(spec)]
    if kind == "declaration":
        return True
    team, need = Team.choices()[0][0], NeedType.choices()[0][0]
    if kind == "outcomes":
        row = {"team": team, "type": need, "outcome": WORDS[:180], "provision": WORDS[:160], "timescale": "By July"}
        return [dict(row) for _ in range(3)]
    if kind == "professional_contacts":
        row = {"name": "A Therapist", "role": "Speech and language therapist", "team": team}
        row.update({"organisation": "Kestrelford NHS Trust", "email": "slt@nhs.example.org", "phone": "01632 960 222"})
        return [dict(row) for _ in range(2)]
    if kind == "views":
        row = {"whose": "child_or_young_person", "how_gathered": "Talking at break time", "views": WORDS[:300]}
        return [dict(row), {**row, "whose": "parent_or_carer"}]
    return ""


def every_field_answered(builder):
    return {
        section.key: {spec.key: _value(builder, spec) for spec in section.questions() if not spec.is_record}
        for section in builder.sections()
    }


def post_data(section, answers):
    """The POST a browser sends for one step holding these answers."""
    data = {}
    for spec in section.questions():
        value = answers.get(spec.key)
        if spec.is_record:
            continue  # the child record's rows: nothing to post
        if spec.type == "date":
            year, month, day = value.split("-")
            data.update({f"{spec.key}-day": day, f"{spec.key}-month": month, f"{spec.key}-year": year})
        elif spec.is_group:
            data[f"{spec.key}-rows"] = str(len(value))
            for i, row in enumerate(value):
                data.update({f"{spec.key}-{i}-{sub}": text for sub, text in row.items()})
        elif spec.type == "declaration":
            data[spec.key] = "on"
        else:
            data[spec.key] = value
    return data


def _ms(seconds):
    return f"{seconds * 1000:.0f} ms"


class Command(BaseCommand):
    help = "Time the demo ERSA's final PDF (every field answered) and a wizard step POST; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--pdf-runs", type=int, default=7)
        parser.add_argument("--post-runs", type=int, default=50)
        parser.add_argument("--pdf-only", action="store_true", help="Time the final PDF only (what `make bench` uses).")
        parser.add_argument("--json", action="store_true", help="Print the PDF's figures as one JSON line at the end.")

    def handle(self, *args, **options):
        self.results = {}
        try:
            with transaction.atomic():
                self._measure(options["pdf_runs"], 0 if options["pdf_only"] else options["post_runs"])
                raise _Rollback
        except _Rollback:
            pass
        if options["json"]:
            self.stdout.write(json.dumps(self.results))

    def _measure(self, pdf_runs, post_runs):
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from pypdf import PdfReader

        from advice_forms import demo
        from advice_forms.form_builder import FormBuilder
        from advice_forms.models import AdviceRequest, ChildRecord, FormDefinition, FormKind, Submission
        from advice_forms.services.submissions import submission_pdf_render
        from portal_pages.models import Organisation, User

        demo.load(io.StringIO())
        version = FormDefinition.objects.get(kind=FormKind.ERSA).latest_version()
        builder = FormBuilder(version)
        answers = every_field_answered(builder)
        assert not builder.missing_required(answers), builder.missing_required(answers)
        fields = sum(len(s.questions()) for s in builder.sections())

        organisation = Organisation.objects.create(name="Bench Primary School", email_domains="bench.example.org")
        account = User.objects.create_user(
            email="senco@bench.example.org",
            password=None,
            display_name="Bench Primary SENCO",
            organisation=organisation,
        )
        device = TOTPDevice.objects.create(user=account, name="bench", confirmed=True)
        child = ChildRecord.objects.create(first_name="Bench", last_name="Child", date_of_birth="2017-05-04")
        advice_request = AdviceRequest.objects.create(child=child, form_version=version, account=account)
        submission = Submission(
            request=advice_request,
            number=1,
            form_version=version,
            answers=answers,
            reference="KBC-ERSA-2026-000001",
            submitted_by=account,
            submitted_by_name=account.display_name,
        )

        submission_pdf_render(submission)  # warm up: WeasyPrint's import and fonts
        timings, peaks = [], []
        for _ in range(pdf_runs):
            started = time.perf_counter()
            data = submission_pdf_render(submission)
            timings.append(time.perf_counter() - started)
        # Memory in a run of its own: tracing slows pure-Python WeasyPrint several times over.
        tracemalloc.start()
        submission_pdf_render(submission)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        pdf_median = statistics.median(timings)
        self.stdout.write(
            f"Demo ERSA final PDF, every field answered ({len(builder.sections())} sections, {fields} questions, "
            f"{pages} pages, {len(data) // 1024} KB): median {_ms(pdf_median)} over {pdf_runs} runs "
            f"(min {_ms(min(timings))}, max {_ms(max(timings))}), {_ms(pdf_median / pages)} per page, "
            f"peak Python allocations {max(peaks) / 2**20:.0f} MB (tracemalloc: not the C libraries), "
            f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
        self.results = {
            "sections": len(builder.sections()),
            "questions": fields,
            "pages": pages,
            "kb": len(data) // 1024,
            "runs": pdf_runs,
            "median_ms": pdf_median * 1000,
            "min_ms": min(timings) * 1000,
            "max_ms": max(timings) * 1000,
            "per_page_ms": pdf_median * 1000 / pages,
            "python_peak_mb": max(peaks) / 2**20,
            "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        if not post_runs:
            return

        section = max(builder.sections(), key=lambda s: len(s.questions()))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(account)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        url = f"/portal/requests/{advice_request.pk}/steps/{section.key}/"
        valid = {**post_data(section, answers[section.key]), "action": "continue"}
        invalid = {**valid}
        first_text = next((s.key for s in section.questions() if s.type in ("short_text", "long_text")), None)
        if first_text:
            invalid[first_text] = ""
        client.post(url, valid)  # warm up
        for label, data in (("valid", valid), ("invalid, shown again with errors", invalid)):
            timings = []
            reset_queries()  # each request clears the query log; start the count from empty
            with CaptureQueriesContext(transaction.get_connection()) as queries:
                response = client.post(url, data)
            if response.status_code == 302 and "/steps/" not in response.url and "check-answers" not in response.url:
                raise RuntimeError(f"The step POST was refused: {response.url}")
            for _ in range(post_runs):
                started = time.perf_counter()
                response = client.post(url, data)
                timings.append(time.perf_counter() - started)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            self.stdout.write(
                f"Wizard step POST, {label} (section “{section.title}”, {len(section.questions())} questions, "
                f"status {response.status_code}, {len(queries)} queries): median {_ms(statistics.median(timings))}, "
                f"p95 {_ms(p95)} over {post_runs} runs"
            )
