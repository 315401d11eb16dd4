"""Time a council's full-size form definition's editor in Chromium: what the designer waits for, not the server.

Not a test. It creates the 250-question definition (`bench.definition_post.large_layout`, the one `bench_advice`
times on the server) through the admin's edit view, serves the site from this process on 127.0.0.1 (Django's
threaded development server, static files through whitenoise's finders), signs a superuser in with a checked
authenticator code, and opens the editor `--runs` times in Debian's Chromium (bench/editor_browser.py), then
presses "Save draft". It deletes what it made at the end. Run it with development settings on a throwaway
database (`DATABASE_URL=sqlite:////tmp/x.sqlite3 manage.py migrate` first); `--json` prints the figures as one line.
"""

import json
import threading
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice_forms.models import FormDefinition
from bench import editor_browser
from bench.definition_post import definition_post, large_layout, large_sections
from cms.demo import demo_tools_allowed
from faq.captures import CHROMIUM, CHROMIUM_ARGS

TITLE = "Bench editor form"
ADMIN_EMAIL = "bench-editor@kestrelford.example.org"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Server:
    """The site, served by threads of this process while Chromium asks for it."""

    def __init__(self):
        self.httpd = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        self.httpd.set_app(get_wsgi_application())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        close_old_connections()


class Command(BaseCommand):
    help = "Open a 250-question form definition's editor in Chromium: DOMContentLoaded, load, where the time goes."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3, help="Openings measured, after one warm-up.")
        parser.add_argument("--cpuprofile", help="A folder to keep each opening's CPU profile in (.cpuprofile).")
        parser.add_argument("--json", action="store_true", help="Print the figures as one JSON line at the end.")

    def handle(self, *args, **options):
        demo_tools_allowed("bench_editor")
        self._remove_leftovers()  # of a run stopped half-way
        user = get_user_model().objects.create_superuser(email=ADMIN_EMAIL, password=None)
        try:
            client = self._signed_in(user)
            definition = self._large_definition(client)
            results = self._measure(client, definition, options["runs"], options["cpuprofile"])
        finally:
            self._remove_leftovers()
        self._print(results)
        if options["json"]:
            self.stdout.write(json.dumps(results))

    def _remove_leftovers(self):
        FormDefinition.objects.filter(title=TITLE).delete()
        get_user_model().objects.filter(email=ADMIN_EMAIL).delete()

    def _signed_in(self, user):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.create(user=user, name="bench", confirmed=True).persistent_id
        session.save()
        return client

    def _large_definition(self, client):
        layout = large_layout()
        definition = FormDefinition.objects.create(title=TITLE, version_label="V0")
        url = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk])
        data = definition_post(title=TITLE, version_label="LARGE", sections=large_sections(layout))
        response = client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
        if response.status_code != 302:
            raise CommandError(f"The admin refused the 250-question definition ({response.status_code})")
        return definition

    def _measure(self, client, definition, runs, keep=None):
        from playwright.sync_api import sync_playwright

        path = reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk])
        with _Server() as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
            page = context.new_page()
            page.goto(server.url + path, wait_until="load", timeout=300_000)  # warm-up: caches, compiled scripts
            openings = [
                editor_browser.open_editor(page, server.url + path, keep and f"{keep}/editor-{n + 1}.cpuprofile")
                for n in range(runs)
            ]
            save_ms = editor_browser.save_draft(page)
            browser.close()
        return {"runs": runs, "openings": openings, "save_draft_ms": save_ms}

    def _print(self, results):
        runs = results["openings"]
        med = lambda *path: editor_browser.median_of(runs, *path)  # noqa: E731
        first = runs[0]
        self.stdout.write(
            f"The 250-question definition's editor in Chromium ({first['elements']:,} elements, "
            f"{first['form_controls']:,} form controls, {first['posted_fields']:,} fields posted), median of "
            f"{len(runs)} openings: response {med('response_end_ms'):.0f} ms, DOMContentLoaded "
            f"{med('dom_content_loaded_ms'):.0f} ms, load {med('load_ms'):.0f} ms; long tasks "
            f"{med('long_tasks', 'count'):.0f} ({med('long_tasks', 'ms'):.0f} ms), the last ending at "
            f"{med('long_tasks', 'last_end_ms'):.0f} ms"
        )
        kinds = sorted({kind for run in runs for kind in run["profile_ms"]})
        self.stdout.write(
            "  main thread (CPU profile, ms): " + ", ".join(f"{kind} {med('profile_ms', kind):.0f}" for kind in kinds)
        )
        files = sorted({name for run in runs for name in run["ours_ms"]})
        self.stdout.write("  our scripts (ms): " + ", ".join(f"{name} {med('ours_ms', name):.0f}" for name in files))
        self.stdout.write(
            f"  Performance.getMetrics (ms): script {med('ScriptDuration'):.0f}, "
            f"style {med('RecalcStyleDuration'):.0f}, layout {med('LayoutDuration'):.0f}, "
            f"tasks {med('TaskDuration'):.0f}"
        )
        self.stdout.write(f'  "Save draft" to the redrawn editor\'s load event: {results["save_draft_ms"]:.0f} ms')
