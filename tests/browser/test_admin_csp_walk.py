"""Wagtail's admin under its own Content Security Policy, in Chromium: a walk of the screens staff use records every
violation the browser reports (the `securitypolicyviolation` event, in every frame: pages, chooser modals, the
preview panel), and none may happen; the admin refuses to evaluate a string (no 'unsafe-eval').

Why the admin keeps 'unsafe-inline' and has no 'unsafe-eval': docs/operations.md, "The admin's Content Security
Policy". Waits in these tests go through tests.waiting.wait_for_script: Playwright's wait_for_function evaluates its
expression with the page's eval(), which the admin's policy refuses."""

import base64
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Page

from advice_forms.models import ChildRecord, DropdownList, FormDefinition
from faq.models import FAQPage
from tests.browser.conftest import close_context
from tests.browser.editor import chooser_shown, slid_open
from tests.conftest import seed_migrated_rows
from tests.factories.accounts import verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_ADMIN = "admin@kestrelford.example.org"  # the demo's superuser

# Every frame of the context (init scripts run in each) tells the test of each violation, and where it happened.
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(
    `${location.pathname}: ${e.effectiveDirective} refused ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`
));"""

# What a string evaluated by the page's own code does: refused under the admin's policy, as an injected eval() would
# be. Run from a timer: while page.evaluate itself runs, the DevTools protocol lets eval through whatever the policy.
TRY_EVAL = """() => new Promise((answer) => setTimeout(() => {
    try { answer(eval('"ran"')); } catch (error) { answer(error.name); }
}))"""

ONE_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def admin(browser, live_server):
    """A page of a context signed in as the demo's superuser, and the list of violations its frames report."""
    seed_migrated_rows()  # an earlier browser test's flush took the root page, groups and terms
    call_command("load_demo_content", stdout=StringIO())
    client = verified_login(Client(), get_user_model().objects.get(email=STAFF_ADMIN))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    violations = []
    context.expose_function("__cspViolation", lambda violation: violations.append(violation))
    context.add_init_script(LISTEN)
    page = context.new_page()
    yield page, violations
    page.goto("about:blank")  # stop the editor's pings before the test database is emptied
    close_context(context)


def _listed_screens():
    user = get_user_model().objects.get(email=STAFF_ADMIN)
    definition = FormDefinition.objects.first()
    home = Page.objects.get(depth=2)
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/add_subpage/",
        "/admin/pages/search/?q=school",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/workflows/list/",
        "/admin/workflows/add/",
        "/admin/workflows/tasks/index/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/site-history/",
        "/admin/reports/workflow/",
        "/admin/users/",
        reverse("wagtailusers_users:edit", args=[user.pk]),
        "/admin/groups/",
        "/admin/account/",
        reverse("wagtail_2fa_device_list", args=[user.pk]),
        reverse("wagtail_2fa_device_new"),
        reverse("child_records:index"),
        reverse("child_records:add"),
        reverse("child_records:edit", args=[ChildRecord.objects.first().pk]),
        reverse("review_queue:index"),
        reverse("team_accounts:index"),
        reverse("audit_log:index"),
        reverse("cms_broken_links_report"),
        reverse("cms_due_for_review"),
        reverse("wagtailsnippets_advice_forms_formdefinition:list"),
        reverse("wagtailsnippets_advice_forms_formdefinition:add"),
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk]),
        reverse("wagtailsnippets_advice_forms_dropdownlist:edit", args=[DropdownList.objects.first().pk]),
        reverse("advice_forms_definition_files:import"),
        f"/admin/pages/{Page.objects.filter(depth=3).first().pk}/move/",
    ]
    # The editor of each kind of page the demo has.
    kinds = {}
    for page in Page.objects.filter(depth__gt=1).specific():
        kinds.setdefault(type(page), page)
    paths += [f"/admin/pages/{page.pk}/edit/" for page in kinds.values()]
    return paths


def test_the_admins_screens_run_within_its_policy_and_it_refuses_eval(admin, live_server):
    page, violations = admin
    url = live_server.url
    for path in _listed_screens():
        response = page.goto(url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")

    # The FAQ's editor: a StreamField block added, Draftail's image and document choosers (modals), the preview in
    # its side panel with the accessibility checker, and a draft saved.
    faq = FAQPage.objects.first()
    page.goto(f"{url}/admin/pages/{faq.pk}/edit/")
    questions = page.locator('[data-contentpath="questions"]')
    questions.locator("button.c-sf-add-button").last.click()
    chooser_shown(page)
    question_boxes = page.locator("[id^=questions-][id$=-value-question]")
    before = question_boxes.count()  # the stream is drawn: its button was
    page.get_by_role("option", name="Question").click()
    slid_open(page, question_boxes.nth(before))  # the new question's box, at the end
    question_boxes.last.fill("Which app do I need?")
    answer = questions.locator('[data-contentpath="answer"]').last.get_by_role("textbox")
    answer.click()
    answer.type("Any authenticator app works.")
    for choice, modal_heading in [("Image", "Choose an image"), ("Document", "Choose a document")]:
        answer.click()
        answer.press("Enter")
        answer.type("/")
        page.get_by_role("option", name=choice).click()
        modal = page.locator(".modal-dialog")
        expect(modal.get_by_role("heading", name=modal_heading)).to_be_visible(timeout=15000)
        modal.get_by_role("button", name="Close").click()
        expect(modal).to_have_count(0)
    page.locator('[data-side-panel-toggle="preview"]').click()
    expect(page.frame_locator("#w-preview-iframe").get_by_role("heading", name="Which app do I need?")).to_be_visible(
        timeout=15000
    )
    page.locator('[data-side-panel-toggle="checks"]').click()
    expect(page.locator('[data-side-panel="checks"] [data-content-checker-count]')).to_have_text(
        re.compile(r"\d"), timeout=45000
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible(timeout=15000)

    # Images and documents through Wagtail's uploaders.
    for path, file in [
        ("/admin/images/multiple/add/", {"name": "dot.png", "mimeType": "image/png", "buffer": ONE_PIXEL_PNG}),
        ("/admin/documents/multiple/add/", {"name": "note.txt", "mimeType": "text/plain", "buffer": b"Notes."}),
    ]:
        page.goto(url + path)
        page.locator("input[type=file]").first.set_input_files(file)
        expect(page.locator("#upload-list li.upload-success")).to_have_count(1, timeout=30000)

    assert violations == []
    page.goto(f"{url}/admin/")
    assert page.evaluate(TRY_EVAL) == "EvalError"
