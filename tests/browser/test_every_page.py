"""Every page at 1280 and 320 px (WCAG 2.2 AA): each public page, each portal page a team account reaches
(every wizard step of the demo forms, the services' appendices among them, with and without errors) and each admin
page the project added.

On each: axe (WCAG 2.0-2.2 A/AA) finds nothing, the page does not scroll sideways (1.4.10 Reflow), it has exactly one
h1, no id is used twice (outside Wagtail's admin), its title names it, and the browser logged no error (a blocked
avatar, a script that failed). The demo content is loaded because the acceptance is about the demo forms and a site
with every kind of page and record state; the demo loader has its own tests. One browser, one context per width, the
signed-in sessions shared by both widths. Problems are gathered and reported together, so one run shows everything
left to fix.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from advice_forms import casework_demo
from advice_forms.form_builder import FormBuilder
from advice_forms.models import (
    AdviceRequest,
    ChildRecord,
    DetailsChangeReport,
    DropdownList,
    FormDefinition,
    NeedType,
    Team,
)
from advice_forms.selectors import TaskState, request_task_list
from advice_forms.services.requests import submission_return
from faq.models import PageFeedback
from portal_pages.models import InboxMessage
from tests.browser.conftest import AXE_JS, WCAG_22_AA, axe_run, close_context, known_false_positive
from tests.conftest import seed_migrated_rows
from tests.factories.accounts import verified_login
from tests.otp import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 320)
FILE_LINK = re.compile(r"(\.pdf|/pdf/|/documents/\d+/)$")  # downloads, not pages
PORTAL_ACCOUNT = "senco@oakfield-primary.example.org"
DEMO_PORTAL_PASSWORD = "kestrelford-demo-portal"  # noqa: S105 - the demo's published password (README)
STAFF_ADMIN = "admin@kestrelford.example.org"
CASEWORKER = "caseworker@kestrelford.example.org"
# Wagtail's own admin chrome, not the project's pages: an avatar-less sidebar still logs nothing.
IGNORED_CONSOLE = ("Failed to load resource: the server responded with a status of 404",)


# Words of letters that the browser split across two lines (a narrow column with overflow-wrap: "Provisio/n").
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main") || document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode() && broken.length < 10) {
    const node = walker.currentNode;
    // Visually hidden text (1 px wide, for screen readers) wraps every word by design; an email address may wrap.
    if (node.parentElement.getBoundingClientRect().width <= 2 || node.textContent.includes("@")) continue;
    for (const match of node.textContent.matchAll(/[A-Za-z]{2,20}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""

# The ids more than one element of the page has.
REPEATED_IDS_JS = """() => {
  const ids = Array.from(document.querySelectorAll("[id]"), (element) => element.id);
  return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
}"""


class Walk:
    """Visits pages in one browser context of one width and records what is wrong with each."""

    def __init__(self, context, width, base_url, axe_source):
        self.page = context.new_page()
        self.width = width
        self.base_url = base_url
        self.axe_source = axe_source
        self.console = []
        self.problems = []
        self.visited = 0
        self.page.on("console", lambda message: self.console.append(message.text) if message.type == "error" else None)

    def visit(self, path, *, status=200):
        self.console.clear()
        response = self.page.goto(self.base_url + path)
        if response is None or response.status != status:
            self.problems.append(f"{self.width}px {path}: status {response and response.status}, expected {status}")
            return False
        self.check(path)
        return True

    def check(self, where):
        self.visited += 1
        page = self.page
        page.wait_for_load_state("load")
        for violation in axe_run(page, "tag", WCAG_22_AA, self.axe_source):
            targets = [node["target"] for node in violation["nodes"] if not known_false_positive(violation, node)]
            if targets:
                self.problems.append(f"{self.width}px {where}: axe {violation['id']} {targets[:3]}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > self.width:
            self.problems.append(f"{self.width}px {where}: scrolls sideways ({scroll_width}px wide)")
        # Wagtail's own listings squeeze their columns on a phone; the check is for the GOV.UK pages.
        broken = [] if where.startswith("/admin/") else page.evaluate(BROKEN_WORDS_JS)
        if broken:
            self.problems.append(f"{self.width}px {where}: words broken across lines {broken[:5]}")
        # An id used twice sends a skip link, label or aria reference to the wrong element. axe does not say: its
        # duplicate-id rules are off (WCAG 4.1.1 is obsolete) but duplicate-id-aria, which only asks for a review.
        repeated = [] if where.startswith("/admin/") else page.evaluate(REPEATED_IDS_JS)
        if repeated:
            self.problems.append(f"{self.width}px {where}: ids used more than once {repeated[:5]}")
        h1_count = page.locator("h1").count()
        if h1_count != 1:
            self.problems.append(f"{self.width}px {where}: {h1_count} h1 elements")
        title = page.title()
        name = title.split(" – ")[0].split(" - SEND Professional Portal staff admin")[0].strip()
        if not name or name in ("Wagtail", "SEND Professional Portal"):
            self.problems.append(f"{self.width}px {where}: the title {title!r} does not name the page")
        errors = [text for text in self.console if not text.startswith(IGNORED_CONSOLE)]
        if errors:
            self.problems.append(f"{self.width}px {where}: console errors {errors[:2]}")
        self.console.clear()

    def submit_with_errors(self, path, button_name):
        """Post the page's form as it stands; when it comes back with an error summary, check that too."""
        button = self.page.get_by_role("button", name=button_name)
        if not button.count():
            return
        with self.page.expect_navigation():
            button.first.click()
        if self.page.locator(".govuk-error-summary").count():
            self.check(f"{path} (with errors)")


@pytest.fixture
def demo_site(live_server):
    seed_migrated_rows()  # an earlier browser test's flush took the root page, groups and terms
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def widths(browser, live_server, demo_site):
    source = AXE_JS.read_text()
    contexts = [browser.new_context(viewport={"width": width, "height": 900}) for width in WIDTHS]
    walks = [Walk(context, width, live_server.url, source) for context, width in zip(contexts, WIDTHS, strict=True)]
    yield walks
    for context in contexts:
        close_context(context)


def _sign_in_contexts(walks, client, live_server):
    for walk in walks:
        walk.page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )


def _report(walks):
    problems = [problem for walk in walks for problem in walk.problems]
    assert problems == [], f"{len(problems)} problems on {sum(w.visited for w in walks)} page views:\n" + "\n".join(
        problems
    )


def test_every_public_page(widths):
    paths = [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific() if page.url]
    paths += [
        "/search/?q=assessment",
        "/search/?q=",
        "/portal/sign-in/",
        "/portal/register/",
        "/portal/password-reset/",
    ]
    assert len(paths) >= 10
    for walk in widths:
        for path in paths:
            walk.visit(path)
        walk.visit("/a-page-that-does-not-exist/", status=404)
        walk.visit("/portal/sign-in/")
        walk.submit_with_errors("/portal/sign-in/", "Continue")
        walk.visit("/portal/register/")
        walk.submit_with_errors("/portal/register/", "Continue")
    _report(widths)


def _sign_in_as(widths, live_server, email):
    account = get_user_model().objects.get(email=email)
    client = Client()
    assert sign_in(client, account, password=DEMO_PORTAL_PASSWORD).status_code == 302
    _sign_in_contexts(widths, client, live_server)
    return account


def _steps(requests):
    """Each wizard step a team account may open of each request."""
    return [
        f"/portal/requests/{r.pk}/steps/{section.key}/"
        for r in requests
        for section, state in request_task_list(r, FormBuilder(r.form_version))[0]
        if state not in (TaskState.CANNOT_START, TaskState.NOT_NEEDED)
    ]


def _walk_steps(widths, steps):
    for walk in widths:
        for path in steps:
            if walk.visit(path):
                walk.submit_with_errors(path, "Save and continue")


def test_every_portal_page_of_a_team_account_with_each_wizard_step_with_and_without_errors(widths, live_server):
    account = _sign_in_as(widths, live_server, PORTAL_ACCOUNT)
    requests = list(AdviceRequest.objects.filter(account=account).select_related("form_version", "child"))
    editable = [r for r in requests if r.is_editable]
    assert {r.form_version.definition.title for r in editable} >= {
        "Request for an EHC needs assessment (ERSA)",
        "Educational advice (Appendix B)",
    }, "each demo form should have an editable request"
    paths = ["/portal/", "/portal/inbox/", "/portal/two-factor/"]
    messages = InboxMessage.objects.filter(account=account).values_list("pk", flat=True)
    paths += [f"/portal/inbox/{pk}/" for pk in messages[:1]]
    first = widths[0]
    for advice_request in requests:
        # Every page the request page links to (each form offers its own pages around it), files aside.
        first.page.goto(f"{live_server.url}/portal/requests/{advice_request.pk}/")
        links = first.page.eval_on_selector_all(
            f'main a[href^="/portal/requests/{advice_request.pk}/"]', "links => links.map(a => a.getAttribute('href'))"
        )
        paths += [f"/portal/requests/{advice_request.pk}/"]
        paths += [link for link in links if "/steps/" not in link and not FILE_LINK.search(link)]
        if advice_request.is_editable:
            base = f"/portal/requests/{advice_request.pk}/"
            paths += [base + "outcomes/new/", base + "contacts/new/", base + "documents/"]
    paths = list(dict.fromkeys(path.split("#")[0] for path in paths))
    steps = _steps(editable)
    assert len(steps) >= 10
    for walk in widths:
        for path in paths:
            walk.visit(path)
    _walk_steps(widths, steps)
    _report(widths)


def test_each_step_and_check_answers_of_the_services_appendices_with_and_without_errors(widths, live_server):
    """The demo shares Appendix C with the educational psychologists, D with the speech and language therapists and
    E with social care (advice_forms/casework_demo.py); the walk above saw only the school's forms. The therapists'
    Appendix D is submitted in the demo: the caseworker returns it, so its steps open again with its answers, table
    answers among them on its check answers page."""
    appendix_d = AdviceRequest.objects.get(
        account__email=casework_demo.SPEECH_AND_LANGUAGE, form_version__definition__title=casework_demo.APPENDIX_D
    )
    caseworker = get_user_model().objects.get(email=CASEWORKER)
    submission_return(advice_request=appendix_d, actor=caseworker, reason="Please add when you last saw Rowan.")
    for email, title in (
        (casework_demo.EDUCATIONAL_PSYCHOLOGY, casework_demo.APPENDIX_C),
        (casework_demo.SPEECH_AND_LANGUAGE, casework_demo.APPENDIX_D),
        (casework_demo.SOCIAL_CARE, casework_demo.APPENDIX_E),
    ):
        account = _sign_in_as(widths, live_server, email)
        requests = [
            r
            for r in AdviceRequest.objects.filter(account=account, form_version__definition__title=title)
            if r.is_editable
        ]
        assert requests, f"{title} should have an editable request for {email}"
        _walk_steps(widths, _steps(requests))
        for walk in widths:
            for advice_request in requests:
                walk.visit(reverse("portal:request_check_answers", kwargs={"pk": advice_request.pk}))
    _report(widths)


def test_every_admin_page_the_project_added(widths, live_server):
    admin = get_user_model().objects.get(email=STAFF_ADMIN)
    _sign_in_contexts(widths, verified_login(Client(), admin), live_server)
    child = ChildRecord.objects.filter(advice_requests__submissions__isnull=False).first()
    reviewed = AdviceRequest.objects.filter(child=child, submissions__isnull=False).first()
    to_review = AdviceRequest.objects.filter(state="submitted").first() or reviewed
    definition = FormDefinition.objects.first()
    feedback_page = PageFeedback.objects.values_list("page_id", flat=True).first()
    team_account = get_user_model().objects.get(email=PORTAL_ACCOUNT)
    paths = [
        reverse("child_records:index"),
        reverse("child_records:add"),
        reverse("child_records:inspect", args=[child.pk]),
        reverse("child_records:edit", args=[child.pk]),
        reverse("child_records:share", args=[child.pk]),
        reverse("casework_documents", args=[child.pk]),
        reverse("casework_outcomes", args=[child.pk]),
        reverse("casework_contacts", args=[child.pk]),
        reverse("casework_contribution", args=[child.pk]),
        reverse("casework_child_change_reports", args=[child.pk]),
        reverse("child_records:history", args=[child.pk]),
        reverse("casework_access_requests"),
        reverse("casework_change_reports"),
        reverse("review_queue:index"),
        reverse("review_queue:review", args=[to_review.pk]),
        reverse("review_queue:review", args=[reviewed.pk]),
        reverse("overdue_advice:index"),
        reverse("team_accounts:index"),
        reverse("team_accounts:add"),
        reverse("team_accounts:edit", args=[team_account.pk]),
        reverse("audit_log:index"),
        reverse("wagtailsnippets_advice_forms_formdefinition:list"),
        reverse("wagtailsnippets_advice_forms_formdefinition:add"),
        reverse("wagtailsnippets_advice_forms_formdefinition:edit", args=[definition.pk]),
        reverse("wagtailsnippets_advice_forms_formdefinition:version", args=[definition.versions.first().pk]),
        reverse("wagtailsnippets_advice_forms_formdefinition:changes", args=[definition.pk]),
        reverse("advice_forms_definition_files:import"),
        reverse("portal_join_requests"),
        reverse("wagtailsnippets_advice_forms_dropdownlist:list"),
        reverse("wagtailsnippets_advice_forms_dropdownlist:add"),
        reverse("wagtailsnippets_advice_forms_dropdownlist:edit", args=[DropdownList.objects.first().pk]),
        reverse("wagtailsnippets_advice_forms_team:list"),
        reverse("wagtailsnippets_advice_forms_team:add"),
        reverse("wagtailsnippets_advice_forms_team:edit", args=[Team.objects.first().pk]),
        reverse("wagtailsnippets_advice_forms_needtype:list"),
        reverse("wagtailsnippets_advice_forms_needtype:add"),
        reverse("wagtailsnippets_advice_forms_needtype:edit", args=[NeedType.objects.first().pk]),
        reverse("cms_broken_links_report"),
        reverse("cms_due_for_review"),
        reverse("cms_cache_index"),
        reverse("cms_send_test_email"),
        reverse("cms_emails_not_sent"),
        reverse("cms_failed_tasks"),
        reverse("faq_feedback_report"),
    ]
    if feedback_page:
        paths.append(reverse("faq_feedback_page", args=[feedback_page]))
    # Accept's confirmation, for the version the review page shows (the demo has advice waiting for review).
    assert to_review.state == "submitted"
    latest = to_review.submissions.order_by("-number").first()
    paths.append(f"{reverse('review_queue:accept_confirm', args=[to_review.pk])}?submission={latest.number}")
    for walk in widths:
        for path in paths:
            walk.visit(path)

    # The dashboard's "Casework to do" panel, as the caseworker it is for, with lines in it (the demo's submitted and
    # overdue requests).
    caseworker = get_user_model().objects.get(email=CASEWORKER)
    _sign_in_contexts(widths, verified_login(Client(), caseworker), live_server)
    for walk in widths:
        if walk.visit(reverse("wagtailadmin_home")):
            lines = walk.page.locator("#casework-to-do-content tbody tr")
            assert lines.count() > 0, "the caseworker's dashboard should show what is waiting"
    # The edit form reached from a reported change shows what was reported above the form.
    report = DetailsChangeReport.objects.first()
    if report is not None:
        for walk in widths:
            walk.visit(f"{reverse('child_records:edit', args=[report.child_id])}?report={report.pk}&p=1&row=0")
    _report(widths)


def test_the_file_upload_buttons_name_holds_its_visible_text(widths, live_server):
    account = get_user_model().objects.get(email=PORTAL_ACCOUNT)
    client = Client()
    assert sign_in(client, account, password=DEMO_PORTAL_PASSWORD).status_code == 302
    _sign_in_contexts(widths[:1], client, live_server)
    editable = AdviceRequest.objects.filter(account=account, state="to_do").first()
    page = widths[0].page
    page.goto(f"{live_server.url}/portal/requests/{editable.pk}/documents/")

    visible = page.locator("button.govuk-file-upload-button").inner_text()
    snapshot = page.locator(".govuk-file-upload-wrapper").aria_snapshot()
    name = re.search(r'button "([^"]+)"', snapshot).group(1)

    assert name.startswith("Upload a file")
    for words in ("No file chosen", "Choose file", "or drop file"):
        assert words in visible and words in name, (visible, name)
