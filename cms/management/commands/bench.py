"""`make bench`: measure the production shape side by side on this machine, print a table, write docs/performance.md.

Not a test: it starts the local topology (cms/topology.py: two gunicorn app servers, two workers, PostgreSQL,
Redis, production settings with PORTAL_BENCH_VIEWS on), drives concurrent clients at 127.0.0.1 only, for a
bounded number of seconds per scenario, and stops everything. Server CPU time comes from the Server-Timing
header that cms/bench_views.py adds.
"""

import datetime
import http.client
import os
import platform
import re
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms import topology as topology_module

NEEDS_ISSUE_6 = "not measured yet: needs issue 6"
# Rows that the advice loop (issue 6) fills in; each keeps its place in the table until then.
PENDING_ROWS = [
    ("Dashboard, 10 requests in the database", "server time and query count", "queries equal to 10,000's"),
    ("Dashboard, 10,000 requests in the database", "server time and query count", "time within 1.5x of 10's"),
    ("Wizard step POST, 40-field section", "server time p50/p95", "p95 < 100 ms"),
    ("Demo ERSA final PDF, every field answered", "median render time, peak memory", "< 1.5 s and < 100 ms/page"),
    ("50 professionals each saving 10 steps and submitting", "p95, errors, lost saves", "0 lost, p95 < 300 ms"),
]
CPU_TARGET_MS = 15.0
THROUGHPUT_TARGET = 0.5


def _percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _get(port, path):
    """One request on a fresh connection (gunicorn's sync workers close each one): status, body, ms, cpu ms."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(topology_module.HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"{topology_module.HOST}:{port}"})
        response = connection.getresponse()
        body = response.read()
        timing = response.getheader("Server-Timing", "")
    finally:
        connection.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    match = re.search(r"cpu;dur=([0-9.]+)", timing)
    return response.status, body, elapsed_ms, float(match.group(1)) if match else None


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


def _server_cpu(port, path, *, count):
    """Sequential requests, one at a time: the server CPU each took, from its Server-Timing header."""
    cpu = []
    for _ in range(count):
        status, _, _, cpu_ms = _get(port, path)
        if status != 200 or cpu_ms is None:
            raise CommandError(f"{path} answered {status} without a Server-Timing header")
        cpu.append(cpu_ms)
    return {"p50": statistics.median(cpu), "p90": _percentile(cpu, 0.9)}


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
        parser.add_argument("--output", default=str(topology_module.ROOT / "docs" / "performance.md"))
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="Reuse the static files a previous run collected."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        machine = machine_description()
        topology_module.ensure_database(options["database_url"])
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as logs:
            shape = topology_module.Topology(
                database_url=options["database_url"],
                redis_url=options["redis_url"],
                ports=(8001, 8002),
                workers=2,
                gunicorn_workers=2,
                log_dir=Path(logs),
                extra_env={"PORTAL_BENCH_VIEWS": "true", "GUNICORN_ACCESS_LOG": ""},
            )
            self.stdout.write("Preparing: collectstatic, migrate, demo content (production settings)...")
            shape.prepare(collectstatic=not options["skip_collectstatic"], demo_content=True)
            self.stdout.write("Starting two app servers and two workers on 127.0.0.1...")
            with shape:
                rows, cpu = self._measure(shape, options)
        table = self._table(rows, cpu, options)
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(table)
        self.stdout.write(f"\nMachine: {machine}\nThe whole run took {elapsed:.0f} s.")
        self._write(Path(options["output"]), table, machine, options, elapsed)
        self.stdout.write(f"Written to {options['output']}")

    def _measure(self, shape, options):
        ports = list(shape.ports)
        status, body, _, _ = _get(ports[0], "/")
        if status != 200:
            raise CommandError(f"The home page answered {status}; is the demo content loaded?")
        match = re.search(rb'href="(/static/cms/dist/portal\.[0-9a-f]+\.css)"', body)
        if match is None:
            raise CommandError("No hashed portal.css on the home page: static files are not collected")
        static_path = match.group(1).decode()
        static_bytes = len(_get(ports[0], static_path)[1])
        # The home page stands in for the FAQ page until the guidance pages (issue 3) land.
        scenarios = [
            ("page", "Home page (stand-in for the FAQ page)", "/"),
            ("minimal", "Minimal Django view, fixed 2 KB page", "/bench/minimal"),
            ("static", f"Static file through whitenoise ({static_bytes // 1024} KB CSS)", static_path),
        ]
        rows = {}
        for key, label, path in scenarios:
            self.stdout.write(f"Measuring {label}: {options['clients']} clients for {options['seconds']:.0f} s...")
            _load(ports, path, clients=options["clients"], seconds=1.0)  # warm every worker's caches
            rows[key] = {"label": label, "path": path, **_load(ports, path, **self._load_options(options))}
        self.stdout.write(f"Measuring the home page's server CPU time, {options['cpu_samples']} requests one by one...")
        # Every request renders the page: there is no page cache yet. Once one exists, bypass it here.
        cpu = {
            "page": _server_cpu(ports[0], "/", count=options["cpu_samples"]),
            "minimal": _server_cpu(ports[0], "/bench/minimal", count=options["cpu_samples"]),
        }
        return rows, cpu

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
        for key in ("page", "minimal", "static"):
            row = rows[key]
            server = f"{cpu[key]['p50']:.1f}, {cpu[key]['p90']:.1f}" if key in cpu else "n/a"
            lines.append(
                f"| {row['label']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
                f"{row['rps'] / minimal_rps:.2f} | {server} | {row['errors']} |"
            )
        for label, measure, _ in PENDING_ROWS:
            lines.append(f"| {label} ({measure}) | {NEEDS_ISSUE_6} | | | | | |")
        ratio = rows["page"]["rps"] / minimal_rps
        page_cpu = cpu["page"]["p50"]
        lines += [
            "",
            "| target | measured | result |",
            "| --- | --- | --- |",
            f"| FAQ page to an anonymous visitor: at least {THROUGHPUT_TARGET} of the minimal view's throughput "
            f"| {ratio:.2f} | {'met' if ratio >= THROUGHPUT_TARGET else 'not met'} |",
            f"| FAQ page rendered uncached: under {CPU_TARGET_MS:.0f} ms server CPU per request "
            f"| {page_cpu:.1f} ms | {'met' if page_cpu < CPU_TARGET_MS else 'not met'} |",
        ]
        for label, _, target in PENDING_ROWS:
            lines.append(f"| {label}: {target} | | {NEEDS_ISSUE_6} |")
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
