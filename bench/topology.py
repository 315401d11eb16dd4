"""The production shape on one machine: N gunicorn app servers and M qcluster workers, on loopback only.

Production settings, a local PostgreSQL database and a local Redis; every server and worker is a real
process in its own process group. `make serve-prod` runs it in the foreground; the scale-out test and
`make bench` start and stop it from Python. It binds and targets 127.0.0.1 only.

This module imports no Django settings: the processes it starts load them.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# Where the shape's emails are written, one file each, instead of sent: in its output they showed the demo's
# invitation and sign-in links to anyone reading the terminal or a log. Git ignores the folder (/sent_emails/).
EMAIL_DIR = ROOT / "sent_emails" / "serve-prod"
# Dummy but valid (long, varied, not "django-insecure"): production settings need one, loopback needs no more.
LOCAL_SECRET_KEY = "local-production-shape-on-loopback-only-3f9c2a7e5b1d4086-never-use-this-in-a-deployment"  # noqa: S105
# All the shape takes of its caller's environment (and the locale's LC_* variables): where programs, libraries and
# fonts are, the language and time zone, a temporary folder, libpq's password for the loopback database (and
# CLAMD_ADDRESS, read in env(): a scanner to measure with). Nothing else the caller has set (PORTAL_*, MEDIA_ROOT, an
# email transport, a media bucket, Sentry: a production's, perhaps) reaches the shape's servers, nor does the project
# folder's .env (PORTAL_DOTENV=off); what they need is set in env(), or by the caller through extra_env.
INHERITED_ENV = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "DYLD_FALLBACK_LIBRARY_PATH",
        "FONTCONFIG_FILE",
        "FONTCONFIG_PATH",
        "PGPASSWORD",
        "PGPASSFILE",
    }
)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log_path: Path | None

    def alive(self):
        return self.popen.poll() is None

    def terminate(self):
        """SIGTERM to the leader alone: gunicorn's master and django-q2's cluster each stop their own children."""
        with contextlib.suppress(ProcessLookupError):
            self.popen.send_signal(signal.SIGTERM)

    def signal_group(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def log_tail(self, lines=40):
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Topology:
    """App servers on ``ports`` and ``workers`` qcluster workers sharing one database and one Redis."""

    database_url: str
    redis_url: str
    ports: tuple[int, ...] = (8001, 8002)
    workers: int = 2
    gunicorn_workers: int = 2
    # None: children write to this terminal (make serve-prod); a folder: one log file per process.
    log_dir: Path | None = None
    extra_env: dict = field(default_factory=dict)
    apps: dict = field(default_factory=dict, init=False)
    qclusters: dict = field(default_factory=dict, init=False)

    def __post_init__(self):
        for url in (self.database_url, self.redis_url):
            if urlsplit(url).hostname not in (HOST, "localhost"):
                raise ValueError(f"The local topology runs on loopback only, not {url}")

    @property
    def urls(self):
        return [f"http://{HOST}:{port}" for port in self.ports]

    def env(self):
        """The processes' whole environment: what INHERITED_ENV names of the caller's, then the shape's own."""
        env = {k: v for k, v in os.environ.items() if k in INHERITED_ENV or k.startswith("LC_")}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "settings.production",
                # Nor does the project folder's .env, a developer's own (settings/base.py).
                "PORTAL_DOTENV": "off",
                "SECRET_KEY": LOCAL_SECRET_KEY,
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "DATABASE_URL": self.database_url,
                "DATABASE_CONN_MAX_AGE": "60",
                "REDIS_URL": self.redis_url,
                # Plain HTTP on loopback: no redirect to HTTPS and no HSTS. A real deployment keeps both on.
                "SECURE_SSL_REDIRECT": "false",
                "SECURE_HSTS_SECONDS": "0",
                "WAGTAILADMIN_BASE_URL": self.urls[0],
                # Production refuses to start without mail settings: the shape's emails go to files in EMAIL_DIR.
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(EMAIL_DIR),
                "DEFAULT_FROM_EMAIL": "no-reply@portal.example.org",
                # Production asks for a virus-scanning choice: the shape measures without clamd unless one is given.
                "CLAMD_ADDRESS": os.environ.get("CLAMD_ADDRESS") or "off",
                # A loopback shape of its own, loaded with the demo content (prepare): production's guard allows it.
                "PORTAL_DEMO_TOOLS": "on",
                "GUNICORN_WORKERS": str(self.gunicorn_workers),
                "Q_WORKERS": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({k: str(v) for k, v in self.extra_env.items()})
        return env

    def manage(self, *args, check=True, timeout=600):
        """Run a management command with this topology's production environment; its output on failure."""
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            timeout=timeout,
            stdout=None if self.log_dir is None else subprocess.PIPE,
            stderr=None if self.log_dir is None else subprocess.STDOUT,
            text=True,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} exited with {result.returncode}\n{result.stdout or ''}")
        return result

    def prepare(self, *, migrate=True, collectstatic=True, demo_content=False):
        """collectstatic, migrate and (optionally) the demo content, as a deployment's release step does."""
        if collectstatic:
            self.manage("collectstatic", "--no-input", "--verbosity", "0")
        if migrate:
            self.manage("migrate", "--no-input", "--verbosity", "0")
        if demo_content:
            self.manage("load_demo_content", "--if-empty")

    def _spawn(self, name, argv, extra_env=None):
        log_path = None
        stdout = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log_path = self.log_dir / f"{name}.log"
            stdout = log_path.open("ab")
        env = {**self.env(), **(extra_env or {})}
        popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            argv, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT, start_new_session=True
        )
        if stdout is not None:
            stdout.close()
        return Process(name, popen, log_path)

    def start_app(self, index):
        port = self.ports[index]
        name = f"app-{'ABCDEFGH'[index]}-{port}"
        argv = [sys.executable, "-m", "gunicorn", "-c", "python:settings.gunicorn", "cms.wsgi:application"]
        self.apps[index] = self._spawn(
            name, argv, {"GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_PROC_NAME": f"send-portal-{port}"}
        )
        return self.apps[index]

    def start_worker(self, index):
        # wait_ready() reads the worker's "running." line, logged at INFO.
        self.qclusters[index] = self._spawn(
            f"worker-{index + 1}", [sys.executable, "manage.py", "qcluster"], {"LOG_LEVEL": "INFO"}
        )
        return self.qclusters[index]

    def start(self, *, wait=True, timeout=90):
        for port in self.ports:
            if _port_taken(port):
                raise RuntimeError(f"{HOST}:{port} is already in use: stop what listens there, or pick other ports")
        try:
            self._start_all(wait=wait, timeout=timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_all(self, *, wait, timeout):
        for index in range(len(self.ports)):
            self.start_app(index)
        for index in range(self.workers):
            self.start_worker(index)
        if wait:
            self.wait_ready(timeout=timeout)

    def wait_ready(self, timeout=90):
        """Until every app server answers /healthz with 200 and every worker says it is running."""
        deadline = time.monotonic() + timeout
        pending_apps = dict(self.apps)
        pending_workers = dict(self.qclusters) if self.log_dir is not None else {}
        while pending_apps or pending_workers:
            for index, process in list(pending_apps.items()):
                self._require_alive(process)
                if _healthz(self.ports[index]):
                    del pending_apps[index]
            for index, process in list(pending_workers.items()):
                self._require_alive(process)
                if "running." in process.log_tail(200):
                    del pending_workers[index]
            if time.monotonic() > deadline:
                names = [p.name for p in (*pending_apps.values(), *pending_workers.values())]
                raise TimeoutError(f"Not ready after {timeout} s: {', '.join(names)}\n{self.logs()}")
            time.sleep(0.2)

    def _require_alive(self, process):
        if not process.alive():
            raise RuntimeError(f"{process.name} exited with {process.popen.returncode}\n{process.log_tail()}")

    def stop_process(self, process, *, kill=False, timeout=30):
        """SIGTERM (a graceful stop: finish the current request or task) or SIGKILL (a crash), then wait."""
        if kill:
            process.signal_group(signal.SIGKILL)
        else:
            process.terminate()
        try:
            process.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.signal_group(signal.SIGKILL)
            process.popen.wait(timeout=10)
        # Children of a killed group leader may linger a moment; make sure none keep working.
        process.signal_group(signal.SIGKILL)

    def stop_worker(self, index, *, kill=False):
        self.stop_process(self.qclusters.pop(index), kill=kill)

    def stop(self):
        for registry in (self.apps, self.qclusters):
            for process in registry.values():
                process.terminate()
        for registry in (self.apps, self.qclusters):
            for process in list(registry.values()):
                self.stop_process(process)
            registry.clear()

    def logs(self):
        return "\n".join(
            f"--- {p.name}\n{p.log_tail()}" for p in (*self.apps.values(), *self.qclusters.values()) if p.log_path
        )

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _port_taken(port):
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def _healthz(port):
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def ensure_database(database_url):
    """Create the PostgreSQL database named in database_url when it does not exist."""
    # Imported here: the PostgreSQL driver (about 0.2 s to import) is needed only to create the database, not by the
    # commands and tests that import this module on SQLite.
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # name comes from our own make variable


def serve(database_url, redis_url, ports=(8001, 8002), workers=2):
    """`make serve-prod`: prepare, start, print the addresses, and stop everything on Ctrl-C."""
    topology = Topology(database_url=database_url, redis_url=redis_url, ports=tuple(ports), workers=workers)
    ensure_database(database_url)
    print("Collecting static files and migrating (production settings)...", flush=True)
    topology.prepare(demo_content=True)
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    topology.start(wait=False)
    try:
        topology.wait_ready()
        print("")
        for index, url in enumerate(topology.urls):
            print(f"  App server {'ABCDEFGH'[index]}: {url}/   (admin: {url}/admin/)")
        print(f"  {workers} django-q2 workers on {redis_url}; database {database_url}")
        print("  Production settings on plain HTTP (SECURE_SSL_REDIRECT off for loopback). Ctrl-C stops all.")
        print(f"  Emails are not sent: each is written as a file in {EMAIL_DIR.relative_to(ROOT)}/")
        print("", flush=True)
        while not stopping:
            for process in (*topology.apps.values(), *topology.qclusters.values()):
                if not process.alive():
                    print(f"{process.name} exited with {process.popen.returncode}; stopping all.", flush=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("Stopping app servers and workers...", flush=True)
        topology.stop()


def main(argv=None) -> int:
    """`python -m bench.topology manage [--database-url ...] [--redis-url ...] COMMAND ...` (`make serve-prod-manage
    ARGS="demo_totp admin@..."`): one management command against the shape `make serve-prod` runs, with its
    environment (production settings, its database and Redis, its dummy SECRET_KEY, the demo tools on); its exit
    status. `.venv/bin/python manage.py ...` runs development settings instead, on db.sqlite3."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.topology")
    commands = parser.add_subparsers(dest="action", required=True)
    manage = commands.add_parser("manage", help="Run a management command with the production shape's environment.")
    manage.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_prod")
    manage.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    manage.add_argument("command", nargs=argparse.REMAINDER, help="The command and its arguments, e.g. demo_totp ...")
    options = parser.parse_args(argv)
    if not options.command:
        parser.error("name a management command, e.g. demo_totp admin@kestrelford.example.org")
    topology = Topology(database_url=options.database_url, redis_url=options.redis_url)
    return topology.manage(*options.command, check=False, timeout=None).returncode


if __name__ == "__main__":
    sys.exit(main())
