"""`manage.py capture_guides` (`make guides`): retake every captured picture of the visual guides from the portal.

The demo runs in a throwaway SQLite database, served on 127.0.0.1 by a second process; the pictures are saved in this
site's own database, on the guides' steps, and each changed guide is published again.
"""

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from email import message_from_bytes
from pathlib import Path

import wagtail
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from cms.demo import demo_tools_allowed, demo_words
from faq.captures import CHROMIUM, CHROMIUM_ARGS, CaptureFailed, CaptureRunner, captures_run, guide_captures
from faq.models import VisualGuidePage
from faq.services import guide_captures_save, printable_render_stale

SERVER_START_SECONDS = 120


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


APPS_WITH_DEMO = ("cms", "faq", "advice_forms", "portal_pages")


def _migrations_key():
    """A digest of every migration file and Wagtail's version: the migrated empty database is kept while it holds."""
    digest = hashlib.sha256(wagtail.__version__.encode())
    for path in sorted(Path(settings.BASE_DIR).glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _demo_key():
    """A digest of what the demo database is made from (every migration and every module of the apps, and Wagtail's
    version): the demo, once loaded, is kept in .make/ and copied afresh for each run while this stays the same."""
    digest = hashlib.sha256(wagtail.__version__.encode())
    base = Path(settings.BASE_DIR)
    for app in APPS_WITH_DEMO:
        for path in sorted((base / app).rglob("*.py")):
            if path.name == "captures.py" or "management" in path.parts:
                continue  # how pictures are taken, not what the demo holds
            digest.update(str(path.relative_to(base)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class DemoServer:
    """The demo in a temporary folder: a SQLite database, media, emails; served by runserver on a free port."""

    def __init__(self, out):
        self.out = out
        self.folder = Path(tempfile.mkdtemp(prefix="portal-guides-"))
        self.database = self.folder / "demo.sqlite3"
        self.emails = self.folder / "emails"
        self.emails.mkdir()
        (self.folder / "media").mkdir()
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE", "REDIS", "EMAIL", "SENTRY", "PORTAL_PAGE_CACHE"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="settings.capture",
            DATABASE_URL=f"sqlite:///{self.database}",
            MEDIA_ROOT=str(self.folder / "media"),
            PORTAL_CAPTURE_EMAIL_DIR=str(self.emails),
            WAGTAILADMIN_BASE_URL=self.base_url,
            PYTHONUNBUFFERED="1",
        )

    def _manage(self, *args):
        result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"The throwaway demo failed at `manage.py {' '.join(args)}`:\n{result.stderr[-3000:]}")

    def _migrate(self, cache):
        """A migrated empty database: copied from the one kept for the same migrations, else migrated and kept."""
        schema = cache / f"guides-schema-{_migrations_key()}.sqlite3"
        if schema.exists():
            shutil.copyfile(schema, self.database)
            return
        self._manage("migrate", "--no-input")
        cache.mkdir(exist_ok=True)
        for old in cache.glob("guides-schema-*.sqlite3"):
            old.unlink()
        shutil.copyfile(self.database, schema)

    def start(self, *, fresh=False):
        """Load the demo (or copy the one kept from an earlier run of the same code) and serve it."""
        kept = Path(settings.BASE_DIR) / ".make" / f"guides-demo-{_demo_key()}"
        if kept.exists() and not fresh:
            shutil.copyfile(kept / "demo.sqlite3", self.database)
            shutil.copytree(kept / "media", self.folder / "media", dirs_exist_ok=True)
            self.out.write("Copied the demo kept from an earlier run of this code (--fresh loads it again).")
        else:
            self._migrate(kept.parent)
            self._manage("load_demo_content")
            shutil.rmtree(kept.parent / "guides-demo-tmp", ignore_errors=True)
            (kept.parent / "guides-demo-tmp").mkdir(parents=True)
            shutil.copyfile(self.database, kept.parent / "guides-demo-tmp" / "demo.sqlite3")
            shutil.copytree(self.folder / "media", kept.parent / "guides-demo-tmp" / "media")
            for old in kept.parent.glob("guides-demo-*"):
                if old.name != "guides-demo-tmp":
                    shutil.rmtree(old, ignore_errors=True)
            (kept.parent / "guides-demo-tmp").rename(kept)
        self.process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError("The throwaway demo's server stopped as it started.")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"The throwaway demo did not answer within {SERVER_START_SECONDS} seconds.")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def code_for(self, email):
        """The current code of the account's first confirmed authenticator, read from the throwaway database."""
        # The table of the project's user model, whichever app holds it (a name from the code, never from input).
        users = get_user_model()._meta.db_table
        query = (
            "SELECT d.key, d.step, d.t0, d.digits, d.drift FROM otp_totp_totpdevice d "  # noqa: S608
            f"JOIN {users} u ON u.id = d.user_id WHERE lower(u.email) = lower(?) AND d.confirmed ORDER BY d.id"
        )
        with sqlite3.connect(self.database) as connection:
            row = connection.execute(query, (email,)).fetchone()
        if row is None:
            return None
        key, step, t0, digits, drift = row
        return f"{totp(bytes.fromhex(key), step, t0, digits, drift):0{digits}d}"

    def emails_to(self, address):
        texts = []
        for path in sorted(self.emails.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = message_from_bytes(raw.strip())
                if address.lower() not in (message.get("To") or "").lower():
                    continue
                for part in message.walk():
                    if part.get_content_type() == "text/plain":
                        texts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
        return texts


class Command(BaseCommand):
    help = "Retake the captured pictures of every visual guide from the demo portal, and publish the guides again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh", action="store_true", help="Load the demo afresh, not from the copy kept by an earlier run."
        )
        parser.add_argument(
            "--demo-pictures",
            metavar="FOLDER",
            help="Also write each picture there as <guide slug>-<step>.png (`make guides` keeps the demo's copy).",
        )

    def handle(self, *args, demo_pictures=None, fresh=False, **options):
        demo_tools_allowed("capture_guides")
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        guides = list(VisualGuidePage.objects.order_by("path"))
        captures = guide_captures(guides)
        if not captures:
            self.stdout.write("No visual guide step has a capture: nothing to do.")
            return
        if not os.path.exists(CHROMIUM):
            raise CommandError(f"No Chromium at {CHROMIUM} (apt-get install chromium, or set PORTAL_CHROMIUM).")
        server = DemoServer(self.stdout)
        try:
            self.stdout.write(f"Starting the demo in a throwaway database ({server.folder})…")
            server.start(fresh=fresh)
            self.stdout.write(f"Demo ready after {time.monotonic() - started:.0f} s; taking {len(captures)} pictures…")
            pictures = self._take(server, captures)
        finally:
            server.stop()
        result = guide_captures_save(pictures=pictures)
        if demo_pictures:
            folder = Path(demo_pictures)
            folder.mkdir(parents=True, exist_ok=True)
            for capture, png in pictures:
                (folder / f"{capture.guide.slug}-{capture.position}.png").write_bytes(png)
        for line in result.lines:
            self.stdout.write(f"  {line}")
        # Each publish queued its guide's printable for a worker; the run ends with them ready, worker or not.
        rendered = printable_render_stale()
        self.stdout.write(f"  {rendered} printable PDFs rendered again.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(pictures)} pictures taken for {len(result.guides)} guides in {time.monotonic() - started:.0f} s."
            )
        )

    def _take(self, server, captures):
        from playwright.sync_api import sync_playwright

        progress = self.stdout.write if self.verbosity > 1 else None
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return captures_take(browser, server, captures, progress=progress)
            finally:
                browser.close()


def captures_take(browser, server, captures, *, progress=None):
    """Every capture's picture, taken in ``browser`` from the portal ``server`` serves; a CommandError naming the
    guide, the step, the line and what it looked for when one cannot be taken."""
    runner = CaptureRunner(
        browser,
        base_url=server.base_url,
        password=_demo_password(),
        code_for=server.code_for,
        emails_to=server.emails_to,
    )
    try:
        return captures_run(runner, captures, progress=progress)
    except CaptureFailed as failure:
        raise CommandError(f"A capture failed. {failure}") from None


def _demo_password():
    password = demo_words("demo_password")
    if not password:
        raise CommandError("No installed app keeps the demo accounts (demo_words: demo_password).")
    return password
