"""`make bench`: measure the production shape side by side on this machine, print a table, write docs/performance.md.

Not a test: it starts the local topology (bench/topology.py: two gunicorn app servers, two workers, PostgreSQL,
Redis, production settings with PORTAL_BENCH_VIEWS on), drives concurrent clients at 127.0.0.1 only, for a
bounded number of seconds per scenario, and stops everything. Server CPU time comes from the Server-Timing
header that bench/views.py adds.

The advice loop's rows use data and signed-in sessions that `manage.py bench_seed prepare` makes with the
shape's own environment (bench/management/commands/bench_seed.py), the ERSA PDF figures of
`manage.py bench_advice --pdf-only --json`, and `bench_seed verify` for the 50 professionals' lost saves.
The open-loop autosave rows come from bench/open_loop.py, with `bench_seed prepare-open` and `verify-open`.

`--rows` runs a part of it (pages, advice, open-loop); only a run of every part rewrites docs/performance.md.
"""

import datetime
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import open_loop
from bench import topology as topology_module
from bench.management.commands import bench_seed

DASHBOARD_TIME_RATIO = 1.5
STEP_P95_TARGET_MS = 100.0
PDF_PAGE_TARGET_MS = 100.0
ADMIN_SAVE_P95_TARGET_MS = 1000.0
LARGE_ADMIN_P95_TARGET_MS = 2000.0  # a 250-question definition's editor GET, save and publish, each
CROWD_P95_TARGET_MS = 300.0
FAQ_PATH = "/help/faqs/"
# A cookie that wagtail-cache's rules (cms/cache.py) treat as personal: the page is rendered, not served kept.
UNCACHED_COOKIES = {"messages": "bench-uncached"}
CPU_TARGET_MS = 15.0
THROUGHPUT_TARGET = 0.85
OPEN_LOOP_TARGET_RATE = 100
ROWS = ("pages", "advice", "open-loop")


def _percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _get(port, path, *, cookies=None):
    """One request on a fresh connection (gunicorn's sync workers close each one): status, body, ms, cpu ms."""
    result = _request(port, "GET", path, cookies=cookies)
    return result["status"], result["body"], result["ms"], result["cpu"]


def _request(port, method, path, *, cookies=None, form=None):
    """One request on a fresh connection: status, body, Location, wall ms, and server CPU ms and queries."""
    headers = {"Host": f"{topology_module.HOST}:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{topology_module.HOST}:{port}"
    started = time.perf_counter()
    connection = http.client.HTTPConnection(topology_module.HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        timing = response.getheader("Server-Timing", "")
    finally:
        connection.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    cpu = re.search(r"cpu;dur=([0-9.]+)", timing)
    queries = re.search(r'db;desc="([0-9]+) queries"', timing)
    return {
        "status": response.status,
        "body": content,
        "location": response.getheader("Location", ""),
        "ms": elapsed_ms,
        "cpu": float(cpu.group(1)) if cpu else None,
        "queries": int(queries.group(1)) if queries else None,
    }


def _load(ports, path, *, clients, seconds):
    """``clients`` threads, each sending to the app servers in turn as a load balancer would, for ``seconds``."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index):
        mine, failed, turn = [], 0, index
        while time.monotonic() < deadline:
            port = ports[turn % len(ports)]
            turn += 1
            try:
                status, _, ms, _ = _get(port, path)
            except OSError:
                failed += 1
                continue
            if status == 200:
                mine.append(ms)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": _percentile(latencies, 0.50),
        "p99": _percentile(latencies, 0.99),
        "errors": errors[0],
    }


def _server_cpu(port, path, *, count, cookies=None):
    """Sequential requests, one at a time: the server CPU each took, from its Server-Timing header."""
    cpu = []
    for _ in range(count):
        status, _, _, cpu_ms = _get(port, path, cookies=cookies)
        if status != 200 or cpu_ms is None:
            raise CommandError(f"{path} answered {status} without a Server-Timing header")
        cpu.append(cpu_ms)
    return {"p50": statistics.median(cpu), "p90": _percentile(cpu, 0.9)}


def _next_redis_db(redis_url):
    """The Redis database after the broker's own (redis://host:port/2 -> /3), for the page cache."""
    base, _, number = redis_url.rstrip("/").rpartition("/")
    return f"{base}/{int(number) + 1}" if number.isdigit() else f"{redis_url.rstrip('/')}/1"


def _crowd(ports, people, cookies, csrf, *, seconds):
    """Each person a thread: ten step POSTs, the check-answers page, the submit; all start together.

    A person's requests alternate between the app servers, as a load balancer without sticky sessions would.
    Stops at ``seconds`` whatever is left; what was not sent counts as an error.
    """
    latencies, cpu, errors, lock = [], [], [], threading.Lock()
    barrier = threading.Barrier(len(people))
    deadline = time.monotonic() + seconds

    def person(index, who):
        mine, mine_cpu, failed, turn = [], [], [], index
        jar = cookies(who["session"])
        base = f"/portal/requests/{who['request']}"

        def send(method, path, form, expect):
            nonlocal turn
            if time.monotonic() > deadline:
                failed.append(f"{path}: out of time")
                return None
            port = ports[turn % len(ports)]
            turn += 1
            try:
                result = _request(port, method, path, cookies=jar, form=form)
            except OSError as error:
                failed.append(f"{path}: {error}")
                return None
            mine.append(result["ms"])
            if result["cpu"] is not None:
                mine_cpu.append(result["cpu"])
            if not expect(result):
                failed.append(f"{path}: {result['status']} {result['location']}")
                return None
            return result

        barrier.wait()
        for step in range(bench_seed.STEPS):
            form = {**bench_seed.step_post(step, who["tag"]), "action": "continue", "csrfmiddlewaretoken": csrf}
            send("POST", f"{base}/steps/{bench_seed.section_key(step)}/", form, lambda r: r["status"] == 302)
        send("GET", f"{base}/check-answers/", None, lambda r: r["status"] == 200)
        send(
            "POST",
            f"{base}/submit/",
            {"idempotency_key": uuid.uuid4().hex, "csrfmiddlewaretoken": csrf},
            lambda r: r["status"] == 302 and "/submissions/" in r["location"],
        )
        with lock:
            latencies.extend(mine)
            cpu.extend(mine_cpu)
            errors.extend(failed)

    threads = [threading.Thread(target=person, args=(i, who)) for i, who in enumerate(people)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "people": len(people),
        "sent": len(latencies),
        "seconds": time.monotonic() - started,
        "p50": _percentile(latencies, 0.5),
        "p95": _percentile(latencies, 0.95),
        "cpu50": _percentile(cpu, 0.5),
        "cpu95": _percentile(cpu, 0.95),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


def machine_description():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, read-only
            capture_output=True,
            text=True,
            cwd=topology_module.ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.node() or 'this machine'}: {cpu}, {os.cpu_count()} cores{memory}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; load average before the run {load}; "
        f"commit {commit or 'unknown'}"
    )


class Command(BaseCommand):
    help = "Benchmark the production shape on loopback; print the table and write it to docs/performance.md."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=15.0, help="Measured seconds per scenario.")
        parser.add_argument("--cpu-samples", type=int, default=200)
        parser.add_argument("--professionals", type=int, default=50)
        parser.add_argument("--crowd-seconds", type=float, default=180.0, help="Time limit of the 50 professionals.")
        parser.add_argument(
            "--open-rates",
            default="25,50,75,100,125,150,175,200",
            help="Autosaves a second of each open-loop level, in order.",
        )
        parser.add_argument("--open-seconds", type=float, default=10.0, help="Seconds of each open-loop level.")
        parser.add_argument("--ports", default="8001,8002", help="The two app servers' ports on 127.0.0.1.")
        parser.add_argument("--rows", default=",".join(ROWS), help=f"Which parts to run, of {', '.join(ROWS)}.")
        parser.add_argument("--output", default=str(topology_module.ROOT / "docs" / "performance.md"))
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="Reuse the static files a previous run collected."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = [row.strip() for row in options["rows"].split(",") if row.strip()]
        if unknown := set(rows) - set(ROWS):
            raise CommandError(f"Unknown --rows {', '.join(sorted(unknown))}; choose from {', '.join(ROWS)}")
        options["open_rates"] = [int(rate) for rate in options["open_rates"].split(",")]
        machine = machine_description()
        topology_module.ensure_database(options["database_url"])
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as logs:
            shape = topology_module.Topology(
                database_url=options["database_url"],
                redis_url=options["redis_url"],
                ports=tuple(int(port) for port in options["ports"].split(",")),
                workers=2,
                gunicorn_workers=2,
                log_dir=Path(logs),
                extra_env={
                    "PORTAL_BENCH_VIEWS": "true",
                    "GUNICORN_ACCESS_LOG": "",
                    # The page cache shared by both app servers, in a Redis database of its own.
                    "PORTAL_PAGE_CACHE_URL": _next_redis_db(options["redis_url"]),
                    # Sessions made before the run must outlive it; the default idle time-out is 10 minutes.
                    "PORTAL_SESSION_IDLE_SECONDS": "3600",
                },
            )
            self.stdout.write("Preparing: collectstatic, migrate, demo content (production settings)...")
            shape.prepare(collectstatic=not options["skip_collectstatic"], demo_content=True)
            self.stdout.write("Starting two app servers and two workers on 127.0.0.1...")
            tables = []
            with shape:
                if "pages" in rows:
                    tables.append(self._table(*self._measure(shape, options), options))
                if "advice" in rows:
                    tables.append(self._advice_table(self._measure_advice(shape, options), options))
                if "open-loop" in rows:
                    tables.append(self._measure_open_loop(shape, options))
        table = "\n\n".join(tables)
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(table)
        self.stdout.write(f"\nMachine: {machine}\nThe whole run took {elapsed:.0f} s.")
        if set(rows) == set(ROWS):
            self._write(Path(options["output"]), table, machine, options, elapsed)
            self.stdout.write(f"Written to {options['output']}")
        else:
            self.stdout.write(f"Not written to {options['output']}: only a run of every part is.")

    def _measure(self, shape, options):
        ports = list(shape.ports)
        status, body, _, _ = _get(ports[0], FAQ_PATH)
        if status != 200:
            raise CommandError(f"The FAQ page {FAQ_PATH} answered {status}; is the demo content loaded?")
        match = re.search(rb'href="(/static/cms/dist/portal\.[0-9a-f]+\.css)"', body)
        if match is None:
            raise CommandError("No hashed portal.css on the FAQ page: static files are not collected")
        static_path = match.group(1).decode()
        static_bytes = len(_get(ports[0], static_path)[1])
        scenarios = [
            ("hit", "FAQ page (demo content), anonymous: a page-cache hit", FAQ_PATH),
            ("minimal", "Minimal Django view, fixed 2 KB page", "/bench/minimal"),
            ("static", f"Static file through whitenoise ({static_bytes // 1024} KB CSS)", static_path),
        ]
        rows = {}
        for key, label, path in scenarios:
            self.stdout.write(f"Measuring {label}: {options['clients']} clients for {options['seconds']:.0f} s...")
            _load(ports, path, clients=options["clients"], seconds=1.0)  # warm every worker's caches
            rows[key] = {"label": label, "path": path, **_load(ports, path, **self._load_options(options))}
        self.stdout.write(
            f"Measuring the FAQ page's server CPU from the cache and uncached, {options['cpu_samples']} requests "
            "each one by one..."
        )
        cpu = {
            "hit": _server_cpu(ports[0], FAQ_PATH, count=options["cpu_samples"]),
            # A personal cookie keeps the page cache out of it: every one of these requests renders the page.
            "render": _server_cpu(ports[0], FAQ_PATH, count=options["cpu_samples"], cookies=UNCACHED_COOKIES),
            "minimal": _server_cpu(ports[0], "/bench/minimal", count=options["cpu_samples"]),
        }
        return rows, cpu

    def _measure_advice(self, shape, options):
        ports = list(shape.ports)
        tag = uuid.uuid4().hex[:8]
        self.stdout.write("Seeding the advice loop: bench form, 10 and 10,000 requests, sessions (bulk_create)...")
        seeded = json.loads(
            shape.manage("bench_seed", "prepare", "--run", tag, "--professionals", str(options["professionals"]))
            .stdout.strip()
            .splitlines()[-1]
        )
        csrf = uuid.uuid4().hex  # a CSRF secret of 32 characters; forms send it unmasked, which Django accepts
        results = {"dashboard": {}}

        def cookies(session):
            return {seeded["cookie"]: session, seeded["csrf_cookie"]: csrf}

        for size, session in seeded["dashboard"].items():
            self.stdout.write(f"Measuring the dashboard with {size} requests, 40 requests one by one...")
            samples = [_request(ports[0], "GET", "/portal/", cookies=cookies(session)) for _ in range(45)][5:]
            if any(r["status"] != 200 for r in samples):
                raise CommandError(f"The dashboard answered {sorted({r['status'] for r in samples})}")
            results["dashboard"][int(size)] = {
                "ms": statistics.median(r["ms"] for r in samples),
                "cpu": statistics.median(r["cpu"] for r in samples),
                "queries": sorted({r["queries"] for r in samples}),
            }

        self.stdout.write("Measuring a wizard step POST of the 40-question section, 100 POSTs one by one...")
        step = seeded["step"]
        url = f"/portal/requests/{step['request']}/steps/{bench_seed.section_key(0)}/"
        form = {**bench_seed.step_post(0, "step"), "action": "continue", "csrfmiddlewaretoken": csrf}
        posts = []
        for n in range(110):
            result = _request(ports[n % 2], "POST", url, cookies=cookies(step["session"]), form=form)
            if result["status"] != 302 or "/steps/s02/" not in result["location"]:
                raise CommandError(f"The step POST answered {result['status']} {result['location']}")
            posts.append(result)
        posts = posts[10:]
        results["step"] = {
            "p50": _percentile([r["ms"] for r in posts], 0.5),
            "p95": _percentile([r["ms"] for r in posts], 0.95),
            "cpu50": _percentile([r["cpu"] for r in posts], 0.5),
            "cpu95": _percentile([r["cpu"] for r in posts], 0.95),
            "queries": sorted({r["queries"] for r in posts}),
            "fields": bench_seed.BIG_SECTION_FIELDS,
        }

        self.stdout.write(
            "Measuring the demo ERSA, every question answered: admin save, longest step POST, final PDF; a "
            "250-question definition's editor, save and publish; a step of 250 conditional questions drawn "
            "(manage.py bench_advice)..."
        )
        runs = ["--pdf-runs", "7", "--post-runs", "50", "--admin-runs", "20", "--large-runs", "20"]
        output = shape.manage("bench_advice", "--json", *runs, "--conditional-runs", "20").stdout
        results["ersa"] = json.loads(output.strip().splitlines()[-1])

        people = seeded["professionals"]
        self.stdout.write(
            f"Measuring {len(people)} professionals at once, each saving {bench_seed.STEPS} steps and submitting..."
        )
        results["crowd"] = _crowd(ports, people, cookies, csrf, seconds=options["crowd_seconds"])
        results["crowd"].update(
            json.loads(shape.manage("bench_seed", "verify", "--run", tag).stdout.strip().splitlines()[-1])
        )
        return results

    def _measure_open_loop(self, shape, options):
        rates, seconds = options["open_rates"], options["open_seconds"]
        people = open_loop.people_needed(rates, seconds)
        tag = uuid.uuid4().hex[:8]
        self.stdout.write(f"Seeding the open-loop autosaves: {people:,} professionals, a request and a session each...")
        seeded = json.loads(
            shape.manage("bench_seed", "prepare-open", "--run", tag, "--professionals", str(people))
            .stdout.strip()
            .splitlines()[-1]
        )
        seeded["csrf"] = uuid.uuid4().hex

        def verify(levels):
            self.stdout.write("Counting the saves the database holds (bench_seed verify-open)...")
            counts = ",".join(str(level.scheduled) for level in levels)
            output = shape.manage(
                "bench_seed", "verify-open", "--run", tag, "--professionals", str(people), "--levels", counts
            ).stdout
            for level, saved in zip(levels, json.loads(output.strip().splitlines()[-1])["saved"], strict=True):
                level.saved = saved

        self.stdout.write(f"Measuring autosaves at a fixed rate, open loop, rising: {rates} a second...")
        levels = open_loop.run(
            seeded, tag, rates=rates, seconds=seconds, ports=list(shape.ports), verify=verify, say=self.stdout.write
        )
        return open_loop.table(
            levels,
            people=people,
            seconds=seconds,
            interval=settings.PORTAL_AUTOSAVE_SECONDS,
            target_rate=OPEN_LOOP_TARGET_RATE,
        )

    @staticmethod
    def _load_options(options):
        return {"clients": options["clients"], "seconds": options["seconds"]}

    def _table(self, rows, cpu, options):
        minimal_rps = rows["minimal"]["rps"]
        lines = [
            f"Production shape on 127.0.0.1: 2 gunicorn app servers x 2 sync workers, 2 qcluster workers, "
            f"PostgreSQL, Redis; {options['clients']} concurrent clients, {options['seconds']:.0f} s per row.",
            "",
            "| what | requests/s | p50 ms | p99 ms | ratio to minimal view | server CPU ms (p50, p90) | errors |",
            "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for key in ("hit", "minimal", "static"):
            row = rows[key]
            server = f"{cpu[key]['p50']:.1f}, {cpu[key]['p90']:.1f}" if key in cpu else "n/a"
            lines.append(
                f"| {row['label']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                f"{row['rps'] / minimal_rps:.2f} | {server} | {row['errors']} |"
            )
        ratio = rows["hit"]["rps"] / minimal_rps
        page_cpu = cpu["render"]["p50"]
        lines += [
            "",
            "| target | measured | result |",
            "| --- | --- | --- |",
            f"| FAQ page from the page cache: at least {THROUGHPUT_TARGET} of the minimal view's throughput "
            f"| {ratio:.2f} | {'met' if ratio >= THROUGHPUT_TARGET else 'not met'} |",
            f"| FAQ page rendered uncached: under {CPU_TARGET_MS:.0f} ms server CPU per request "
            f"| {page_cpu:.1f} ms | {'met' if page_cpu < CPU_TARGET_MS else 'not met'} |",
        ]
        return "\n".join(lines)

    def _advice_table(self, advice, options):
        def met(ok):
            return "met" if ok else "not met"

        small, large = advice["dashboard"][10], advice["dashboard"][10_000]
        step, crowd = advice["step"], advice["crowd"]
        pdf, ersa_step, admin = advice["ersa"]["pdf"], advice["ersa"]["step"]["valid"], advice["ersa"]["admin"]
        longest, big, conditional = advice["ersa"]["step"], advice["ersa"]["large"], advice["ersa"]["conditional"]
        time_ratio = large["ms"] / small["ms"]
        lost = crowd["values_lost"] + crowd["submissions_missing"]
        lines = [
            "The advice loop on the same shape: one client at a time for the dashboard and the step POST (server "
            "time is the wall time of a request on loopback, PostgreSQL included; CPU from Server-Timing), the demo "
            "ERSA's admin save, longest step POST and final PDF, a 250-question definition in the admin and a step of "
            "250 conditional questions drawn, in a process of its own with production settings "
            f"(Django's test client: no web server), then {crowd['people']} professionals at once.",
            "",
            "| what | measured |",
            "| --- | --- |",
        ]
        for size, row in ((10, small), (10_000, large)):
            lines.append(
                f"| Professional dashboard, {size:,} requests in the database (40 GETs) | server time p50 "
                f"{row['ms']:.1f} ms, CPU p50 {row['cpu']:.1f} ms, {', '.join(map(str, row['queries']))} queries |"
            )
        lines += [
            f"| Wizard step POST, {step['fields']}-question section, valid, saved (100 POSTs) | server time p50 "
            f"{step['p50']:.1f} ms, p95 {step['p95']:.1f} ms; CPU p50 {step['cpu50']:.1f} ms, p95 "
            f"{step['cpu95']:.1f} ms; {', '.join(map(str, step['queries']))} queries |",
            f"| Demo ERSA definition ({admin['sections']} sections, {admin['questions']} questions), saved through "
            f"the admin's snippet edit view, {admin['fields_posted']:,} form fields ({admin['runs']} saves) | "
            f"p50 {admin['p50_ms']:.0f} ms, p95 {admin['p95_ms']:.0f} ms |",
            f"| A council's full-size definition ({big['sections']} sections, {big['questions']} questions, "
            f"{big['fields_posted']:,} form fields) in the admin, {big['runs']} runs each | edit view GET p50 "
            f"{big['get']['p50_ms']:.0f} ms, p95 {big['get']['p95_ms']:.0f} ms, {big['get']['queries']} queries; "
            f"“Save draft” POST p50 {big['save']['p50_ms']:.0f} ms, p95 {big['save']['p95_ms']:.0f} ms, "
            f"{big['save']['queries']} queries; “Publish” POST p50 {big['publish']['p50_ms']:.0f} ms, p95 "
            f"{big['publish']['p95_ms']:.0f} ms, {big['publish']['queries']} queries |",
            f"| Demo ERSA's longest step (“{longest['section']}”, {longest['questions']} questions), valid, saved "
            f"({longest['runs']} POSTs) | p50 {ersa_step['p50_ms']:.1f} ms, p95 {ersa_step['p95_ms']:.1f} ms; "
            f"{ersa_step['queries']} queries |",
            f"| A wizard step of {conditional['questions']} conditional questions drawn (GET, "
            f"{conditional['runs']} runs) | p50 {conditional['p50_ms']:.0f} ms (CPU {conditional['cpu50_ms']:.0f} ms), "
            f"p95 {conditional['p95_ms']:.0f} ms; {conditional['queries']} queries; the conditions worked out "
            f"{conditional['shown_built']} times (Shown built) |",
            f"| Demo ERSA final PDF, every question answered ({pdf['sections']} sections, {pdf['questions']} "
            f"questions, {pdf['pages']} pages, {pdf['kb']} KB; {pdf['runs']} runs) | median {pdf['median_ms']:.0f} ms "
            f"({pdf['per_page_ms']:.0f} ms/page; min {pdf['min_ms']:.0f}, max {pdf['max_ms']:.0f}); peak memory "
            f"{pdf['rss_peak_mb']:.0f} MB resident (process), {pdf['python_peak_mb']:.1f} MB Python allocations |",
            f"| {crowd['people']} professionals at once, each saving 10 steps and submitting | "
            f"{crowd['sent']} requests in {crowd['seconds']:.1f} s; p50 {crowd['p50']:.0f} ms, "
            f"p95 {crowd['p95']:.0f} ms (server CPU p50 {crowd['cpu50']:.0f} ms, p95 {crowd['cpu95']:.0f} ms: the rest "
            f"is waiting for a free worker); {crowd['errors']} errors; {crowd['values']:,} values and "
            f"{crowd['people']} submissions checked in the database: "
            f"{crowd['values_lost']} values lost, {crowd['submissions_missing']} submissions missing |",
            "",
            "| target | measured | result |",
            "| --- | --- | --- |",
            f"| Dashboard: the same query count with 10 and 10,000 requests | {small['queries']} and {large['queries']}"
            f" | {met(small['queries'] == large['queries'] and len(small['queries']) == 1)} |",
            f"| Dashboard: time with 10,000 within {DASHBOARD_TIME_RATIO}x of 10 | {time_ratio:.2f}x "
            f"| {met(time_ratio <= DASHBOARD_TIME_RATIO)} |",
            f"| Wizard step POST, 40 questions: p95 under {STEP_P95_TARGET_MS:.0f} ms | {step['p95']:.1f} ms "
            f"| {met(step['p95'] < STEP_P95_TARGET_MS)} |",
            f"| Demo ERSA ({admin['questions']} questions): admin save of the definition, p95 under "
            f"{ADMIN_SAVE_P95_TARGET_MS / 1000:.0f} s | {admin['p95_ms']:.0f} ms "
            f"| {met(admin['p95_ms'] < ADMIN_SAVE_P95_TARGET_MS)} |",
            f"| Full-size definition ({big['questions']} questions): the admin's edit view GET, p95 under "
            f"{LARGE_ADMIN_P95_TARGET_MS / 1000:.0f} s | {big['get']['p95_ms']:.0f} ms "
            f"| {met(big['get']['p95_ms'] < LARGE_ADMIN_P95_TARGET_MS)} |",
            f"| Full-size definition ({big['questions']} questions): the admin's save draft POST, p95 under "
            f"{LARGE_ADMIN_P95_TARGET_MS / 1000:.0f} s | {big['save']['p95_ms']:.0f} ms "
            f"| {met(big['save']['p95_ms'] < LARGE_ADMIN_P95_TARGET_MS)} |",
            f"| Full-size definition ({big['questions']} questions): the admin's publish POST, p95 under "
            f"{LARGE_ADMIN_P95_TARGET_MS / 1000:.0f} s | {big['publish']['p95_ms']:.0f} ms "
            f"| {met(big['publish']['p95_ms'] < LARGE_ADMIN_P95_TARGET_MS)} |",
            f"| Demo ERSA's longest step POST ({longest['questions']} questions): p95 under "
            f"{STEP_P95_TARGET_MS:.0f} ms | {ersa_step['p95_ms']:.1f} ms "
            f"| {met(ersa_step['p95_ms'] < STEP_P95_TARGET_MS)} |",
            f"| Demo ERSA final PDF, every question answered ({pdf['pages']} pages): under {PDF_PAGE_TARGET_MS:.0f} ms "
            f"a page | {pdf['per_page_ms']:.0f} ms/page ({pdf['median_ms']:.0f} ms) "
            f"| {met(pdf['per_page_ms'] < PDF_PAGE_TARGET_MS)} |",
            f"| {crowd['people']} professionals: 0 lost, p95 under {CROWD_P95_TARGET_MS:.0f} ms | {lost} lost, "
            f"{crowd['errors']} errors, p95 {crowd['p95']:.0f} ms "
            f"| {met(lost == 0 and crowd['errors'] == 0 and crowd['p95'] < CROWD_P95_TARGET_MS)} |",
        ]
        if crowd["first_errors"]:
            lines += ["", "First errors: " + "; ".join(crowd["first_errors"])]
        return "\n".join(lines)

    def _write(self, path, table, machine, options, elapsed):
        path.parent.mkdir(parents=True, exist_ok=True)
        marker = "<!-- bench:table -->"
        today = datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        generated = (
            f"{marker}\n## Latest run\n\n{today}, `make bench` (took {elapsed:.0f} s).\n\n"
            f"Machine: {machine}.\n\n{table}\n{marker}"
        )
        if path.exists() and path.read_text().count(marker) == 2:
            before, _, rest = path.read_text().partition(marker)
            _, _, after = rest.partition(marker)
            path.write_text(before + generated + after)
        else:
            path.write_text(f"# Performance\n\n{generated}\n")
