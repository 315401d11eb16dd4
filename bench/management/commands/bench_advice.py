"""`manage.py bench_advice`: the real-size demo ERSA (every question answered) through the admin, the wizard and
the PDF.

Not a test and never run by `make test`; `make bench` runs it with production settings. It loads the demo forms,
makes a team account, a child record with its outcomes, contacts and contribution (through the services the pages
around the form use), a filed PDF for the file questions, and a request, inside a transaction that is rolled back
at the end (the database is left as it was, and the filed PDF is deleted from storage), then times:

- the final PDF (`submission_pdf_render`, as the django-q2 task files it), every question answered;
- the longest step's POST, valid (saved, 302) and invalid (shown again with its errors);
- the admin's save of the whole definition through Wagtail's snippet edit view, as its form posts it
  (bench.definition_post), signed in as a superuser whose authenticator code is checked;
- a real council's 250-question definition (bench.definition_post.large_layout) in the same admin: the edit view's
  GET (the editor drawn again, as after every save's redirect), its "Save draft" POST as a browser sends it
  (URL-encoded) and its "Publish" POST (each with a new version label, as publishing asks), with the queries of each;
- a wizard step of 250 conditional questions (bench.conditional_step) drawn, with its queries and the `Shown` it
  builds.

The POSTs go through Django's test client: the whole middleware stack and the view in this process, no network
and no web server, so they are the server time of a request. Run it against any migrated database, e.g.
``DJANGO_SETTINGS_MODULE=settings.dev DATABASE_URL=sqlite:////tmp/bench.sqlite3 manage.py bench_advice``.
"""

import datetime
import io
import itertools
import json
import resource
import statistics
import time
import tracemalloc
from urllib.parse import urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader, PdfWriter

from advice_forms import demo
from advice_forms.fields import format_address
from advice_forms.form_builder import FormBuilder, _is_empty
from advice_forms.models import AdviceRequest, ChildRecord, FormDefinition, FormKind, NeedType, Submission, Team
from advice_forms.selectors import records_frozen, request_records
from advice_forms.services import involvement, outcomes
from advice_forms.services.definitions import form_definition_publish
from advice_forms.services.documents import document_upload
from advice_forms.services.submissions import submission_pdf_render
from bench.conditional_step import FIRST_ANSWERS, STEP, conditional_sections, shown_counted
from bench.definition_post import comparable, definition_post, definition_post_for, large_layout, large_sections
from bench.management.commands.bench import _percentile
from cms.demo import demo_tools_allowed
from portal_pages.models import Organisation, User

WORDS = (
    "The child settles well in small groups and talks readily with familiar adults; in larger groups they "
    "need a visual timetable and a warning before changes. Reading is about two years behind their peers, "
    "and writing takes them a long time, so adults scribe for longer pieces. "
)


class _Rollback(Exception):
    pass


ADDRESS = {"line_1": "12 Heron Way", "line_2": "Millbrook", "town": "Kestrelford", "postcode": "KF4 2QT"}
MONEY = "1900.50"
TABLE_CELLS = {"text": "Harrier Bank School", "number": "12.5", "money": MONEY, "date": "2026-01-15", "yes_no": "yes"}


def wanted_answers(builder):
    """{question key: the answer its dependants' conditions ask for}: chosen so every condition holds and every
    question of the form is shown (a multiple choice ticks every option, which meets every rule on it)."""
    wanted = {}
    for section in builder.sections():
        for spec in [section, *section.fields]:
            for rule in (spec.condition or {}).get("rules", []):
                if rule["operator"] != "is_not" and rule["values"]:
                    wanted.setdefault(rule["field_key"], rule["values"][0])
    return wanted


def _table_rows(spec):
    columns = [column for column in spec.options.get("columns") or [] if column.get("key")]
    count = min(max(spec.options.get("min_rows") or 0, 3), spec.options.get("max_rows") or 3)
    row = {}
    for column in columns:
        kind = column.get("kind") or "text"
        row[column["key"]] = (column["options"][0]["value"]) if kind == "choice" else TABLE_CELLS[kind]
    return [dict(row) for _ in range(count)]


def _value(builder, spec, wanted=None, file_answer=None):
    """A plausible answer for any question kind, as stored in AdviceRequest.answers."""
    o = spec.options
    kind = spec.type
    wanted = wanted or {}
    if kind == "short_text":
        return "Oakfield Primary School"[: o.get("max_length") or 200]
    if kind == "long_text":
        return (WORDS * 4)[: o.get("max_length") or 5000].strip()
    if kind == "number":
        number = o.get("min_value") or 3  # stored as the wizard stores it: whole numbers as numbers
        return number if o.get("whole_numbers") else str(number)
    if kind == "money":
        return MONEY
    if kind == "date":
        return "2026-01-15"
    if kind == "email":
        return "senco@oakfield-primary.example.org"
    if kind == "phone":
        return "01632 960 123"
    if kind == "address":
        return dict(ADDRESS)
    if kind == "yes_no":
        return wanted.get(spec.key, "yes")
    if kind == "single_choice":
        values = [value for value, _label in builder.option_choices(spec)]
        return wanted[spec.key] if wanted.get(spec.key) in values else values[0]
    if kind == "multiple_choice":
        return [value for value, _label in builder.option_choices(spec)]
    if kind == "declaration":
        return True
    if kind == "file":
        return file_answer
    if kind == "table":
        return _table_rows(spec)
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


def every_field_answered(builder, file_answer=None):
    """Every question that takes an answer, answered (the record-backed ones read the child record's rows:
    see `add_records`). `file_answer`: a file question's saved answer, {"document", "name", "size"}."""
    wanted = wanted_answers(builder)
    return {
        section.key: {
            spec.key: _value(builder, spec, wanted, file_answer) for spec in section.questions() if not spec.is_record
        }
        for section in builder.sections()
    }


def unanswered(builder, answers, records):
    """[(section key, question key)] of every question that is hidden or has no answer (or, record-backed, no rows):
    empty when `answers` and `records` really answer the whole form."""
    missing = [(m.section_key, m.field_key) for m in builder.missing_required(answers, records=records)]
    for section in builder.sections():
        for spec in section.questions():
            if spec.is_record:
                answered = bool(builder.record_rows(spec, records))
            else:
                answered = not _is_empty((answers.get(section.key) or {}).get(spec.key))
            if not answered or not builder.field_visible(spec, answers):
                missing.append((section.key, spec.key))
    return sorted(set(missing))


def add_records(advice_request, account):
    """The child record's rows the record-backed questions show, made through the services the pages around the
    form use: three outcomes, two professional contacts and the parents' contribution."""
    team, need = Team.objects.filter(active=True).first(), NeedType.objects.filter(active=True).first()
    for n in range(3):
        outcomes.outcome_create(
            advice_request=advice_request,
            account=account,
            team=team,
            need_type=need,
            outcome=f"Outcome {n + 1}: {WORDS[:160]}",
            provision=WORDS[:160],
            timescale="By July",
        )
    for name in ("Ash Therapist", "Rowan Psychologist"):
        contact = {"name": name, "role": "Speech and language therapist", "team": team}
        contact.update(
            {"organisation": "Kestrelford NHS Trust", "email": "slt@nhs.example.org", "phone": "01632 960 222"}
        )
        involvement.contact_create(advice_request=advice_request, account=account, data=contact)
    involvement.contribution_save(
        advice_request=advice_request,
        account=account,
        data={
            "contribution_methods": ["meeting"],
            "communication_methods": ["email", "post"],
            "interpreter_needed": True,
            "interpreter_language": "Polish",
            "parent_views": WORDS[:300],
        },
    )


def bench_pdf_bytes():
    """A small real PDF of one page, for the file questions' upload."""
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def file_answer_for(advice_request, account):
    """A PDF filed as the child's document through the documents service, and the answer that names it, as
    services.drafts stores a file question's upload."""
    uploaded = SimpleUploadedFile("support-plan.pdf", bench_pdf_bytes(), content_type="application/pdf")
    document = document_upload(
        advice_request=advice_request, account=account, uploaded=uploaded, title="Support plan", document_type=""
    )
    return document, {"document": document.pk, "name": document.original_filename, "size": document.size}


def _date_parts(key, value):
    year, month, day = str(value).split("-")
    return {f"{key}-day": day, f"{key}-month": month, f"{key}-year": year}


def post_data(section, answers):
    """The POST a browser sends for one step holding these answers (a saved file is not sent again)."""
    data = {}
    for spec in section.questions():
        value = answers.get(spec.key)
        if spec.is_record or spec.type == "file":
            continue  # the child record's rows, or a file already filed: nothing to post
        if spec.type == "date":
            data.update(_date_parts(spec.key, value))
        elif spec.type == "address":
            data.update({f"{spec.key}-{part}": text for part, text in value.items()})
        elif spec.is_table:
            dates = {c["key"] for c in spec.options.get("columns") or [] if c.get("kind") == "date"}
            data[f"{spec.key}-rows"] = str(len(value))
            for i, row in enumerate(value):
                for sub, text in row.items():
                    if sub in dates:
                        data.update(_date_parts(f"{spec.key}-{i}-{sub}", text))
                    else:
                        data[f"{spec.key}-{i}-{sub}"] = text
        elif spec.is_group:
            data[f"{spec.key}-rows"] = str(len(value))
            for i, row in enumerate(value):
                data.update({f"{spec.key}-{i}-{sub}": text for sub, text in row.items()})
        elif spec.type == "declaration":
            data[spec.key] = "on"
        else:
            data[spec.key] = value
    return data


def _with_query_count(request):
    """`request()`'s response and its number of queries, counted at once: the captured list is read from the
    connection's query log, which each request empties when it starts."""
    reset_queries()
    with CaptureQueriesContext(transaction.get_connection()) as captured:
        response = request()
    return response, len(captured)


def _ms(seconds):
    return f"{seconds * 1000:.0f} ms"


class Command(BaseCommand):
    help = (
        "Time the demo ERSA (every question answered): its admin save, its longest step's POST and its final PDF; "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pdf-runs", type=int, default=7)
        parser.add_argument("--post-runs", type=int, default=50)
        parser.add_argument("--admin-runs", type=int, default=20)
        parser.add_argument("--large-runs", type=int, default=10, help="The 250-question definition's GET and save.")
        parser.add_argument(
            "--conditional-runs", type=int, default=20, help="The draw of a step of 250 conditional questions."
        )
        parser.add_argument("--pdf-only", action="store_true", help="Time the final PDF only.")
        parser.add_argument("--json", action="store_true", help="Print the figures as one JSON line at the end.")

    def handle(self, *args, **options):
        demo_tools_allowed("bench_advice")
        self.results = {}
        self.filed = []
        try:
            with transaction.atomic():
                post_runs = 0 if options["pdf_only"] else options["post_runs"]
                admin_runs = 0 if options["pdf_only"] else options["admin_runs"]
                large_runs = 0 if options["pdf_only"] else options["large_runs"]
                conditional_runs = 0 if options["pdf_only"] else options["conditional_runs"]
                self._measure(options["pdf_runs"], post_runs, admin_runs, large_runs, conditional_runs)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            for stored in self.filed:  # the rolled-back document's file: leave the storage as it was too
                stored.storage.delete(stored.name)
        if options["json"]:
            self.stdout.write(json.dumps(self.results))

    def _measure(self, pdf_runs, post_runs, admin_runs, large_runs=0, conditional_runs=0):
        demo.load(io.StringIO())
        definition = FormDefinition.objects.get(kind=FormKind.ERSA)
        version = definition.latest_version()
        builder = FormBuilder(version)

        organisation = Organisation.objects.create(name="Bench Primary School", email_domains="bench.example.org")
        account = User.objects.create_user(
            email="senco@bench.example.org",
            password=None,
            display_name="Bench Primary SENCO",
            organisation=organisation,
        )
        device = TOTPDevice.objects.create(user=account, name="bench", confirmed=True)
        child = ChildRecord.objects.create(
            first_name="Bench",
            last_name="Child",
            date_of_birth=datetime.date(2017, 5, 4),
            address=format_address(ADDRESS),
        )
        advice_request = AdviceRequest.objects.create(child=child, form_version=version, account=account)
        add_records(advice_request, account)
        document, file_answer = file_answer_for(advice_request, account)
        self.filed.append(document.file.file)
        answers = every_field_answered(builder, file_answer)
        records = request_records(advice_request)
        missing = unanswered(builder, answers, records)
        if missing:
            raise CommandError(f"Questions of the demo ERSA left unanswered or hidden: {missing}")
        advice_request.answers = answers
        advice_request.save(update_fields=["answers"])
        questions = sum(len(s.questions()) for s in builder.sections())
        self.shape = {"sections": len(builder.sections()), "questions": questions}
        self.stdout.write(
            f"The demo ERSA: {len(builder.sections())} sections, {questions} questions, every one answered "
            f"(records included: {len(records['outcomes'])} outcomes, {len(records['contacts'])} contacts, "
            "a contribution)."
        )

        self.results["pdf"] = self._pdf(builder, version, advice_request, account, answers, records, pdf_runs)
        if post_runs:
            self.results["step"] = self._step_post(builder, advice_request, account, device, answers, post_runs)
        if admin_runs:
            self.results["admin"] = self._admin_save(definition, admin_runs)
        if large_runs:
            self.results["large"] = self._large_definition(large_runs)
        if conditional_runs:
            self.results["conditional"] = self._conditional_step(account, device, child, conditional_runs)

    def _signed_in(self, user, device):
        """A test client signed in with its authenticator code already checked (django-otp's session key)."""
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    def _pdf(self, builder, version, advice_request, account, answers, records, runs):
        submission = Submission(
            request=advice_request,
            number=1,
            form_version=version,
            answers=answers,
            records=records_frozen(records),
            reference="KBC-ERSA-2026-000001",
            submitted_by=account,
            submitted_by_name=account.display_name,
        )
        data = submission_pdf_render(submission)  # warm up: WeasyPrint's import and fonts
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        for needle in ("Rowan Psychologist", "£1,900.50", "KF4 2QT", "support-plan.pdf"):
            if needle not in text:
                raise CommandError(f"The final PDF does not show {needle!r}")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            data = submission_pdf_render(submission)
            timings.append(time.perf_counter() - started)
        # Memory in a run of its own: tracing slows pure-Python WeasyPrint several times over.
        tracemalloc.start()
        submission_pdf_render(submission)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        median = statistics.median(timings)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"Demo ERSA final PDF, every question answered ({self.shape['sections']} sections, "
            f"{self.shape['questions']} questions, {pages} pages, {len(data) // 1024} KB): median {_ms(median)} over "
            f"{runs} runs (min {_ms(min(timings))}, max {_ms(max(timings))}), {_ms(median / pages)} per page, "
            f"peak Python allocations {peak / 2**20:.0f} MB (tracemalloc: not the C libraries), "
            f"process peak RSS {rss:.0f} MB"
        )
        return {
            **self.shape,
            "pages": pages,
            "kb": len(data) // 1024,
            "runs": runs,
            "median_ms": median * 1000,
            "min_ms": min(timings) * 1000,
            "max_ms": max(timings) * 1000,
            "per_page_ms": median * 1000 / pages,
            "python_peak_mb": peak / 2**20,
            "rss_peak_mb": rss,
        }

    def _step_post(self, builder, advice_request, account, device, answers, runs):
        section = max(builder.sections(), key=lambda s: len(s.questions()))
        client = self._signed_in(account, device)
        url = f"/portal/requests/{advice_request.pk}/steps/{section.key}/"
        valid = {**post_data(section, answers[section.key]), "action": "continue"}
        invalid = {**valid}
        first_text = next((s.key for s in section.questions() if s.type in ("short_text", "long_text")), None)
        if first_text:
            invalid[first_text] = ""
        out = {"section": section.title, "questions": len(section.questions()), "runs": runs}
        for label, data in (("valid", valid), ("invalid", invalid)):
            response = client.post(url, data, secure=True)  # warm up, and the check that it did what it should
            if label == "valid" and (response.status_code != 302 or "/steps/" not in response.url):
                raise CommandError(f"The step POST was refused ({response.status_code}): {section.key}")
            if label == "invalid" and response.status_code != 200:
                raise CommandError(f"The invalid step POST answered {response.status_code}")
            _response, queries = _with_query_count(lambda data=data: client.post(url, data, secure=True))
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.post(url, data, secure=True)
                timings.append(time.perf_counter() - started)
            out[label] = {
                "p50_ms": statistics.median(timings) * 1000,
                "p95_ms": _percentile(timings, 0.95) * 1000,
                "queries": queries,
                "status": response.status_code,
            }
            self.stdout.write(
                f"Wizard step POST, {label} (the longest step, “{section.title}”, {len(section.questions())} "
                f"questions, status {response.status_code}, {queries} queries): median "
                f"{_ms(statistics.median(timings))}, p95 {_ms(_percentile(timings, 0.95))} over {runs} runs"
            )
        advice_request.refresh_from_db()
        if advice_request.answers.get(section.key) != answers[section.key]:
            raise CommandError("The step POST did not save the answers it sent")
        return out

    def _admin_client(self):
        """A superuser whose authenticator code is checked, signed in (one per run)."""
        if not hasattr(self, "_admin"):
            admin = User.objects.create_superuser(email="bench-admin@kestrelford.example.org", password=None)
            self._admin = self._signed_in(admin, TOTPDevice.objects.create(user=admin, name="bench", confirmed=True))
        return self._admin

    def _admin_save(self, definition, runs):
        """The whole definition posted to the real snippet edit view ("Save draft"), as the admin's form sends it,
        by a superuser whose authenticator code is checked."""
        client = self._admin_client()
        url = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk])
        data = definition_post_for(definition)
        before = comparable(definition.sections)
        revisions = definition.revisions.count()
        timings = []
        for n in range(runs + 1):
            started = time.perf_counter()
            response = client.post(url, data, secure=True)
            if n:  # the first is the warm-up
                timings.append(time.perf_counter() - started)
            if response.status_code != 302:
                raise CommandError(f"The admin refused the demo ERSA's definition ({response.status_code})")
        definition.refresh_from_db()
        saved = definition.revisions.order_by("-pk").first().as_object()
        if definition.revisions.count() != revisions + runs + 1 or comparable(saved.sections) != before:
            raise CommandError("The admin's save did not keep the definition as it was posted")
        out = {
            **self.shape,
            "fields_posted": len(data),
            "runs": runs,
            "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": _percentile(timings, 0.95) * 1000,
        }
        self.stdout.write(
            f"Admin save of the demo ERSA's definition through the snippet edit view ({len(data):,} form fields, "
            f"a new revision each): median {out['p50_ms']:.0f} ms, p95 {out['p95_ms']:.0f} ms over {runs} runs"
        )
        return out

    def _large_definition(self, runs):
        """A 250-question definition in the admin: the edit view's GET (what the redirect after every save draws
        again), "Save draft" as a browser posts it (URL-encoded; Wagtail's autosave and preview send multipart) and
        "Publish" (the same POST with a new version label each time: the first publish is the warm-up, so each timed
        one publishes a definition already live, as a council's next version does)."""
        client = self._admin_client()
        layout = large_layout()
        draft = FormDefinition.objects.create(title="Bench large form", version_label="V0")
        url = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[draft.pk])

        def save(data):
            response = client.post(
                url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", secure=True
            )
            if response.status_code != 302:
                raise CommandError(f"The admin refused the 250-question definition ({response.status_code})")
            return response

        save(definition_post(title="Bench large form", version_label="LARGE", sections=large_sections(layout)))
        draft.refresh_from_db()
        saved = draft.get_latest_revision_as_object()
        data = definition_post_for(saved)  # with the blocks' ids, as the editor posts once it has been saved
        shape = {"sections": len(layout), "questions": sum(len(questions) for _key, questions in layout)}
        out = {**shape, "fields_posted": len(data), "runs": runs}
        labels = (f"P{n}" for n in itertools.count(1))

        def publish():
            return save({**data, "version_label": next(labels), "action-publish": "publish"})

        requests = (("get", lambda: client.get(url, secure=True)), ("save", lambda: save(data)), ("publish", publish))
        for name, request in requests:
            request()  # warm up
            response, count = _with_query_count(request)
            if response.status_code not in (200, 302):
                raise CommandError(f"The 250-question definition's {name} answered {response.status_code}")
            timings, cpu = [], []
            for _ in range(runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                request()
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            out[name] = {
                "p50_ms": statistics.median(timings) * 1000,
                "p95_ms": _percentile(timings, 0.95) * 1000,
                "cpu50_ms": statistics.median(cpu) * 1000,
                "queries": count,
            }
        draft.refresh_from_db()
        if comparable(draft.get_latest_revision_as_object().sections) != comparable(saved.sections):
            raise CommandError("The admin's save did not keep the 250-question definition as it was posted")
        version = draft.latest_version()
        if version is None or version.number != runs + 2 or comparable(draft.sections) != comparable(saved.sections):
            raise CommandError("The admin's publish did not publish the 250-question definition as it was posted")
        words = {"get": "edit view GET", "save": "save draft", "publish": "publish"}
        self.stdout.write(
            f"The {shape['questions']}-question definition ({shape['sections']} sections, {len(data):,} form fields) "
            f"in the admin over {runs} runs: "
            + "; ".join(
                f"{words[name]} median {row['p50_ms']:.0f} ms (CPU {row['cpu50_ms']:.0f} ms), p95 {row['p95_ms']:.0f} "
                f"ms, {row['queries']} queries"
                for name, row in ((name, out[name]) for name in words)
            )
        )
        return out

    def _conditional_step(self, account, device, child, runs, questions=250):
        """A wizard step of ``questions`` conditional questions drawn (its GET), as the professional opens it."""
        draft = FormDefinition.objects.create(
            title="Bench conditional form",
            kind="other_advice",
            version_label="COND",
            sections=json.dumps(conditional_sections(questions)),
        )
        version = form_definition_publish(definition=draft)
        advice_request = AdviceRequest.objects.create(
            child=child, form_version=version, account=account, answers=FIRST_ANSWERS
        )
        client = self._signed_in(account, device)
        url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": STEP})
        response = client.get(url, secure=True)  # warm up, and the check that it draws the step
        if response.status_code != 200 or response.content.decode().count("data-advice-condition") < questions // 2:
            raise CommandError(f"The step of {questions} conditional questions was not drawn ({response.status_code})")
        with shown_counted() as shown:
            _response, queries = _with_query_count(lambda: client.get(url, secure=True))
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url, secure=True)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        out = {
            "questions": questions,
            "runs": runs,
            "p50_ms": statistics.median(timings) * 1000,
            "p95_ms": _percentile(timings, 0.95) * 1000,
            "cpu50_ms": statistics.median(cpu) * 1000,
            "queries": queries,
            "shown_built": shown["built"],
        }
        self.stdout.write(
            f"Wizard step of {questions} conditional questions drawn (GET, {queries} queries, Shown built "
            f"{shown['built']} times): median {out['p50_ms']:.0f} ms (CPU {out['cpu50_ms']:.0f} ms), p95 "
            f"{out['p95_ms']:.0f} ms over {runs} runs"
        )
        return out
