"""`manage.py bench_seed`: the data `make bench` measures the advice loop against, and the check that follows.

Not a test and never run by `make test`; `make bench` runs it with the production environment of its own
topology (bench/topology.py), against its own database, before and after the load.

- ``prepare --run TAG``: publishes the bench form (ten sections; the first has 40 questions, the others 4),
  makes a dashboard account with 10 requests and one with 10,000 (bulk_create, topped up to the count, so
  a second run reuses them), one account with a request for the step POSTs, and ``--professionals`` team
  accounts with one request each for this run. Every account gets a signed-in, OTP-verified session made
  here on the server, as the sign-in views would leave it (the user, the backend, the password hash, the
  TOTP device's persistent id, both time-out clocks), so the load does not spend its time on PBKDF2 and
  TOTP codes. Prints one JSON line: the session cookie's name, each session key and request id.
- ``verify --run TAG``: for this run's professionals, counts every value that `step_post` would have sent
  and is not in the request's saved answers, and every request without its submission. Prints one JSON line.
- ``prepare-open --run TAG --professionals N``: for the open-loop autosaves (bench/open_loop.py), N accounts
  (``open-NNNN@``, made once with bulk_create and reused), a new request in progress each for this run and a
  session each. Prints one JSON line.
- ``verify-open --run TAG --professionals N --levels A,B,...``: for each level's saves (A saves, then B, ...),
  counts those whose every value is in the database: the step that save filled holds exactly what it sent.

It refuses to run unless PORTAL_BENCH_VIEWS is on, which `make bench` sets and a deployment never does.
"""

import json
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice_forms.models import AdviceRequest, ChildRecord, FormDefinition, FormKind, RequestState
from advice_forms.services.definitions import form_definition_publish
from cms.demo import demo_tools_allowed
from cms.names import name_folded
from portal_pages.access import SESSION_LAST_ACTIVITY, SESSION_SIGNED_IN_AT
from portal_pages.models import AccountState, Organisation, User

BENCH_DOMAIN = "bench.example.org"
FORM_TITLE = "Bench advice form"
FORM_VERSION_LABEL = "BENCH1"
STEPS = 10
BIG_SECTION_FIELDS = 40
SMALL_SECTION_FIELDS = 4
DASHBOARD_SIZES = (10, 10_000)


def _bench_child(first_name):
    """A child record for bulk_create, which skips ChildRecord.save(): with the folded names a search matches."""
    return ChildRecord(
        first_name=first_name,
        last_name="Benchley",
        date_of_birth="2016-09-01",
        search_name=name_folded(f"{first_name} Benchley"),
    )


def section_key(index):
    return f"s{index + 1:02d}"


def field_key(index, number):
    return f"{section_key(index)}_q{number + 1:02d}"


def _field_type(index, number):
    if index == 0 and number % 10 == 9:
        return "number"
    if number % 4 == 3:
        return "long_text"
    return "short_text"


def open_slot(index, people):
    """The person and the section (0-9) that open-loop save ``index`` fills: none overwrites another while there
    are at least a tenth as many people as saves."""
    return index % people, (index // people) % STEPS


def open_save_tag(run, index):
    """What every value of open-loop save ``index`` of ``run`` carries, so the check knows it from any other."""
    return f"{run}-o{index}"


def bench_sections():
    """StreamField JSON of the bench form: the first section has 40 questions, the other nine 4 each."""
    sections = []
    for index in range(STEPS):
        count = BIG_SECTION_FIELDS if index == 0 else SMALL_SECTION_FIELDS
        fields = []
        for number in range(count):
            kind = _field_type(index, number)
            options = {"label": f"Question {number + 1} of section {index + 1}", "key": field_key(index, number)}
            options["required"] = True
            if kind == "long_text":
                options["max_length"] = 5000
            fields.append({"type": kind, "value": options})
        sections.append(
            {
                "type": "section",
                "value": {"title": f"Bench section {index + 1}", "key": section_key(index), "fields": fields},
            }
        )
    return sections


def step_post(index, tag):
    """The POST fields of step ``index`` for a person tagged ``tag``: every value names both."""
    count = BIG_SECTION_FIELDS if index == 0 else SMALL_SECTION_FIELDS
    data = {}
    for number in range(count):
        kind = _field_type(index, number)
        key = field_key(index, number)
        if kind == "number":
            data[key] = str(number + 1)
        elif kind == "long_text":
            data[key] = (
                f"{tag}: a longer answer to question {number + 1}. " + "The child reads with support. " * 8
            ).strip()
        else:
            data[key] = f"{tag} answer {number + 1}"
    return data


def bench_form_version():
    definition = FormDefinition.objects.filter(title=FORM_TITLE).first()
    if definition is not None and definition.latest_version() is not None:
        return definition.latest_version()
    definition = FormDefinition(
        title=FORM_TITLE,
        kind=FormKind.OTHER_ADVICE,
        version_label=FORM_VERSION_LABEL,
        sections=json.dumps(bench_sections()),
    )
    definition.save()
    return form_definition_publish(definition=definition)


def _organisation():
    organisation, _ = Organisation.objects.get_or_create(
        name="Bench Test School", defaults={"email_domains": BENCH_DOMAIN}
    )
    return organisation


def _account(email, organisation):
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": email.split("@")[0], "organisation": organisation}
    )
    if created:
        user.set_unusable_password()
        user.account_state = AccountState.ACTIVE
        user.is_active = True
        user.save()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    return user, device


def _session(user, device):
    """A signed-in, verified session, as portal_pages' sign-in views leave one."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["otp_device_id"] = device.persistent_id
    store[SESSION_SIGNED_IN_AT] = now
    store[SESSION_LAST_ACTIVITY] = now
    store.create()
    return store.session_key


def _requests(account, version, count, *, label):
    """Top the account's requests up to ``count`` with bulk_create: children first, then their requests."""
    have = AdviceRequest.objects.filter(account=account).count()
    missing = count - have
    if missing > 0:
        children = ChildRecord.objects.bulk_create(
            [_bench_child(f"{label}{have + n}") for n in range(missing)],
            batch_size=2000,
        )
        states = (RequestState.TO_DO, RequestState.IN_PROGRESS)
        AdviceRequest.objects.bulk_create(
            [
                AdviceRequest(child=child, form_version=version, account=account, state=states[n % 2])
                for n, child in enumerate(children)
            ],
            batch_size=2000,
        )
    return list(AdviceRequest.objects.filter(account=account).order_by("pk").values_list("pk", flat=True)[:1])


def _open_accounts(count, organisation):
    """``count`` accounts for the open-loop saves, made with bulk_create the first time and reused after."""
    emails = [f"open-{n:04d}@{BENCH_DOMAIN}" for n in range(count)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = []
    for email in emails:
        if email not in have:
            user = User(email=email, display_name=email.split("@")[0], organisation=organisation, is_active=True)
            user.account_state = AccountState.ACTIVE
            user.set_unusable_password()
            missing.append(user)
    User.objects.bulk_create(missing, batch_size=1000)
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    devices = {d.user_id: d for d in TOTPDevice.objects.filter(user__in=users.values(), confirmed=True)}
    new_devices = [
        TOTPDevice(user=user, name="Bench authenticator", confirmed=True)
        for user in users.values()
        if user.pk not in devices
    ]
    TOTPDevice.objects.bulk_create(new_devices, batch_size=1000)
    devices.update({d.user_id: d for d in new_devices})
    return [(users[email], devices[users[email].pk]) for email in emails]


def run_accounts(tag):
    return User.objects.filter(email__startswith=f"pro-{tag}-", email__endswith=f"@{BENCH_DOMAIN}")


class Command(BaseCommand):
    help = "Make (prepare) or check (verify) the data and sessions `make bench` uses; prints one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["prepare", "verify", "prepare-open", "verify-open"])
        parser.add_argument("--run", required=True, help="A tag for this run's professionals (letters, digits).")
        parser.add_argument("--professionals", type=int, default=50)
        parser.add_argument("--levels", default="", help="verify-open: the number of saves of each level, in order.")

    def handle(self, *args, **options):
        demo_tools_allowed("bench_seed")
        # It writes signed-in sessions: only where the benchmark's own switch is on too, never in a deployment.
        if not getattr(settings, "PORTAL_BENCH_VIEWS", False):
            raise CommandError("bench_seed runs only with PORTAL_BENCH_VIEWS on (as `make bench` sets it).")
        if options["action"] == "prepare":
            result = self._prepare(options["run"], options["professionals"])
        elif options["action"] == "prepare-open":
            result = self._prepare_open(options["run"], options["professionals"])
        elif options["action"] == "verify-open":
            levels = [int(n) for n in options["levels"].split(",") if n]
            result = self._verify_open(options["run"], options["professionals"], levels)
        else:
            result = self._verify(options["run"])
        self.stdout.write(json.dumps(result))

    @transaction.atomic
    def _prepare(self, tag, professionals):
        version = bench_form_version()
        organisation = _organisation()
        result = {"cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME, "dashboard": {}}
        for size in DASHBOARD_SIZES:
            user, device = _account(f"dashboard-{size}@{BENCH_DOMAIN}", organisation)
            _requests(user, version, size, label=f"Dash{size}-")
            result["dashboard"][str(size)] = _session(user, device)
        user, device = _account(f"step@{BENCH_DOMAIN}", organisation)
        [pk] = _requests(user, version, 1, label="Step")
        result["step"] = {"session": _session(user, device), "request": pk}
        result["professionals"] = []
        for n in range(professionals):
            user, device = _account(f"pro-{tag}-{n:03d}@{BENCH_DOMAIN}", organisation)
            child = ChildRecord.objects.create(
                first_name=f"Run{tag}n{n}", last_name="Benchley", date_of_birth="2016-09-01"
            )
            request = AdviceRequest.objects.create(child=child, form_version=version, account=user)
            result["professionals"].append(
                {"tag": f"{tag}-{n:03d}", "session": _session(user, device), "request": request.pk}
            )
        return result

    def _verify(self, tag):
        requests = AdviceRequest.objects.filter(account__in=run_accounts(tag)).select_related("account")
        expected = lost = missing_submissions = submitted = 0
        for advice_request in requests.prefetch_related("submissions"):
            person = f"{tag}-{advice_request.account.email.split('-')[-1].split('@')[0]}"
            submissions = list(advice_request.submissions.all())
            submitted += len(submissions)
            if not submissions:
                missing_submissions += 1
            for index in range(STEPS):
                saved = advice_request.answers.get(section_key(index), {})
                frozen = submissions[0].answers.get(section_key(index), {}) if submissions else {}
                for key, value in step_post(index, person).items():
                    expected += 1
                    if str(saved.get(key)) != value or (submissions and str(frozen.get(key)) != value):
                        lost += 1
        return {
            "requests": requests.count(),
            "values": expected,
            "values_lost": lost,
            "submissions": submitted,
            "submissions_missing": missing_submissions,
        }

    @transaction.atomic
    def _prepare_open(self, tag, count):
        version = bench_form_version()
        accounts = _open_accounts(count, _organisation())
        children = ChildRecord.objects.bulk_create(
            [_bench_child(f"Open{tag}n{n}") for n in range(count)],
            batch_size=2000,
        )
        requests = AdviceRequest.objects.bulk_create(
            [
                # In progress, as for someone already typing: a request's first save (once in its life) also
                # moves it on from "to do" and audits that, which would weigh on the first levels alone.
                AdviceRequest(child=child, form_version=version, account=user, state=RequestState.IN_PROGRESS)
                for child, (user, _device) in zip(children, accounts, strict=True)
            ],
            batch_size=2000,
        )
        people = [
            {"session": _session(user, device), "request": request.pk}
            for request, (user, device) in zip(requests, accounts, strict=True)
        ]
        return {"cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME, "people": people}

    def _verify_open(self, tag, count, levels):
        requests = list(
            AdviceRequest.objects.filter(child__first_name__startswith=f"Open{tag}n", child__last_name="Benchley")
            .order_by("pk")
            .values_list("answers", flat=True)
        )
        if len(requests) != count:
            raise CommandError(f"Found {len(requests)} requests of run {tag}, expected {count}")
        saved, index = [], 0
        for scheduled in levels:
            found = 0
            for n in range(index, index + scheduled):
                person, section = open_slot(n, count)
                answers = requests[person].get(section_key(section), {})
                expected = step_post(section, open_save_tag(tag, n))
                found += all(str(answers.get(key)) == value for key, value in expected.items())
            saved.append(found)
            index += scheduled
        return {"saved": saved}
