from django.forms import Media
from django.template.defaultfilters import linebreaksbr
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.userbar import BaseItem, ContentCheckerItem
from wagtail.admin.utils import get_user_display_name
from wagtail.models import TaskState, WorkflowState

from cms.admin_views import (
    BrokenLinksReportView,
    DueForReviewReportView,
    EmailsNotSentReportView,
    FailedTasksReportView,
    GuidanceDocumentCreateView,
    GuidanceDocumentMultipleEditView,
    SendTestEmailView,
    admin_api_choosable_only,
    cache_clear,
    cache_index,
    email_retry,
    may_edit_guidance,
    may_see_emails_not_sent,
    may_see_failed_tasks,
    report_paths,
)
from cms.cache import request_is_cacheable, response_is_cacheable
from cms.document_accessibility import documents_accessibility_messages
from cms.events import SiteEvent
from cms.formats import govuk_date
from cms.models import EmailNotification, GuidancePage
from cms.page_links import after_page_goes, before_page_goes, documents_linked
from cms.rich_text import GuidanceDocumentLinkHandler, GuidanceImageEmbedHandler, GuidancePageLinkHandler
from cms.selectors import (
    RECENT_FAILURE_DAYS,
    TASK_WORDS_HOOK,
    emails_given_up_recent_count,
    failed_tasks_recent_count,
)
from cms.wagtail_2fa_compat import device_urlpatterns

hooks.register("is_request_cacheable", request_is_cacheable)
hooks.register("is_response_cacheable", response_is_cacheable)

# Before wagtail-2fa's own (order 0): its device list and removal, for one's own devices or a superuser.
hooks.register("register_admin_urls", device_urlpatterns, order=-1)

# After Wagtail's own endpoints (order 0), which it replaces: images and documents one may choose, no others.
hooks.register("construct_admin_api", admin_api_choosable_only, order=1)


@hooks.register("register_admin_urls", order=-1)
def register_cache_urls():
    """wagtail-cache's own paths, answered first by views that admit superusers only (its menu's audience)."""
    return [
        path("cache/", cache_index, name="cms_cache_index"),
        path("cache/clearcache", cache_clear, name="cms_cache_clear"),
    ]


@hooks.register("register_admin_urls", order=-1)
def register_document_add_urls():
    """Wagtail's addresses of "Add a document" (wagtaildocs:add) and of the multiple uploader's "Update"
    (wagtaildocs:edit_multiple), answered first by their views that also warn of what the PDF lacks."""
    return [
        path("documents/add/", GuidanceDocumentCreateView.as_view(), name="cms_document_add"),
        path(
            "documents/multiple/<int:doc_id>/",
            GuidanceDocumentMultipleEditView.as_view(),
            name="cms_document_edit_multiple",
        ),
    ]


@hooks.register("register_admin_urls")
def register_send_test_email_url():
    return [path("send-test-email/", SendTestEmailView.as_view(), name="cms_send_test_email")]


@hooks.register("register_admin_urls")
def register_broken_links_report_url():
    return [path("reports/broken-links/", BrokenLinksReportView.as_view(), name="cms_broken_links_report")]


class _ShownToMenuItem(MenuItem):
    """A menu item shown to those for whom ``shown_to(user)`` is true: the same test its view makes."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


@hooks.register("register_reports_menu_item")
def register_broken_links_report_menu_item():
    return _ShownToMenuItem(
        "Broken links", reverse("cms_broken_links_report"), icon_name="warning", order=900, shown_to=may_edit_guidance
    )


@hooks.register("register_settings_menu_item")
def register_send_test_email_menu_item():
    return AdminOnlyMenuItem("Send a test email", reverse("cms_send_test_email"), icon_name="mail", order=900)


@hooks.register("register_admin_urls")
def register_due_for_review_urls():
    return report_paths("reports/due-for-review/", DueForReviewReportView, "cms_due_for_review")


@hooks.register("register_reports_menu_item")
def register_due_for_review_menu_item():
    return _ShownToMenuItem(
        "Due for review",
        reverse("cms_due_for_review"),
        name="due-for-review",
        icon_name="date",
        order=800,
        shown_to=may_edit_guidance,
    )


@hooks.register("register_admin_urls")
def register_emails_not_sent_urls():
    return [
        path("reports/emails-not-sent/", EmailsNotSentReportView.as_view(), name="cms_emails_not_sent"),
        path("reports/emails-not-sent/<int:notification_id>/retry/", email_retry, name="cms_email_retry"),
    ]


@hooks.register("register_reports_menu_item")
def register_emails_not_sent_menu_item():
    return _ShownToMenuItem(
        "Emails not sent",
        reverse("cms_emails_not_sent"),
        name="emails-not-sent",
        icon_name="mail",
        order=950,
        shown_to=may_see_emails_not_sent,
    )


@hooks.register("register_admin_urls")
def register_failed_tasks_urls():
    return [path("reports/failed-tasks/", FailedTasksReportView.as_view(), name="cms_failed_tasks")]


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return _ShownToMenuItem(
        "Failed background tasks",
        reverse("cms_failed_tasks"),
        name="failed-tasks",
        icon_name="warning",
        order=960,
        shown_to=may_see_failed_tasks,
    )


class FailuresPanel(Component):
    """The admin dashboard tells those who may see Reports → Failed background tasks and Emails not sent how many
    failed lately, each linked to its report: without it an administrator learnt of a failure only by opening them."""

    name = "failures"
    template_name = "cms/admin/failures_panel.html"
    order = 90  # first, before the other dashboard panels (100 on)

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows}


def failure_rows(user) -> list[tuple[str, str]]:
    """The panel's lines, (words, the report's URL), for what ``user`` may see and what failed in the last
    RECENT_FAILURE_DAYS days: none when nothing did."""
    days, rows = RECENT_FAILURE_DAYS, []
    if may_see_failed_tasks(user) and (tasks := failed_tasks_recent_count(days=days)):
        tasks_failed = "background task failed" if tasks == 1 else "background tasks failed"
        rows.append((f"{tasks} {tasks_failed} in the last {days} days", reverse("cms_failed_tasks")))
    if may_see_emails_not_sent(user) and (emails := emails_given_up_recent_count(user=user, days=days)):
        emails_made, were = ("email made", "was") if emails == 1 else ("emails made", "were")
        url = f"{reverse('cms_emails_not_sent')}?state={EmailNotification.State.GIVEN_UP}"
        rows.append((f"{emails} {emails_made} in the last {days} days could not be sent and {were} given up", url))
    return rows


@hooks.register("construct_homepage_panels")
def failures_panel(request, panels):
    if rows := failure_rows(request.user):
        panels.append(FailuresPanel(rows))


@hooks.register(TASK_WORDS_HOOK)
def site_task_words():
    return {
        "cms.tasks.email_notification_send": "Send an email",
        "cms.tasks.email_notifications_requeue": "Queue again the emails left waiting",
        "cms.tasks.sent_email_bodies_clear": "Remove the words of sent emails",
        "cms.tasks.failed_tasks_remove": "Remove old failed tasks",
        "cms.tasks.review_reminders_send": "Send guidance review reminders",
        "cms.tasks.pages_publish_scheduled": "Publish scheduled pages",
    }


@hooks.register("register_audit_events")
def site_events():
    """The audit log filters and labels by this list."""
    return "Email", SiteEvent


def _review_notice(page):
    return f"This page was due for review on {govuk_date(page.review_by)}. Check it is still true, then set a new date."


@hooks.register("before_edit_page")
def notice_page_due_for_review(request, page):
    """A quiet notice at the top of the editor of a page past its review date (never on the public page)."""
    page = page.specific
    if request.method == "GET" and isinstance(page, GuidancePage) and page.is_due_for_review():
        messages.warning(request, _review_notice(page))


def changes_asked_notice(page):
    """What an approver's "Request changes" asked, in a line for the page's editor: "Changes were asked for by Abi
    Approver on 5 December 2026: <their comment>" (escaped, its line breaks kept); None unless the page's workflow
    waits for those changes. Wagtail's own editor says only "In Moderation" and "Changes requested" in its status
    panel, with the comment under "View details"."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return None
    who = get_user_display_name(task_state.finished_by) if task_state.finished_by else "an approver"
    asked = f"Changes were asked for by {who} on {govuk_date(task_state.finished_at)}"
    comment = task_state.get_comment().strip()
    if not comment:
        return f"{asked}. Make the changes, then resubmit the page."
    return format_html("{}: {}", asked, linebreaksbr(comment, autoescape=True))


@hooks.register("before_edit_page")
def notice_changes_asked_for(request, page):
    """At the top of the editor, until the page is resubmitted: the changes its approver asked for, and why."""
    notice = changes_asked_notice(page) if request.method == "GET" else None
    if notice:
        messages.warning(request, notice)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_of_inaccessible_documents(request, page):
    """After a page is saved, submitted or published: one warning on the next page naming each document its content
    (as saved) links whose PDF may not be accessible, in the words of the document's own pages. A PDF uploaded in the
    page editor's chooser is told nowhere else: the chooser answers with JSON and closes. The save is made already;
    this only tells. An autosave (answered with JSON, no next page) is told nothing, or its warnings would pile up
    for the next page."""
    if not request.accepts("text/html"):
        return
    found = documents_accessibility_messages(documents_linked(page))
    if found:
        # One line each, beside the message's icon: Wagtail's messages are blocks in which paragraphs would stack
        # below it.
        messages.warning(request, format_html_join(mark_safe("<br>"), "{}", ((message,) for message in found)))


class ReviewDueUserbarItem(BaseItem):
    """The userbar's line for a page past its review date: editors see it on the live page and in previews."""

    template_name = "cms/admin/userbar_review_due.html"

    def __init__(self, page):
        self.notice = _review_notice(page)


@hooks.register("construct_wagtail_userbar")
def add_review_due_to_userbar(request, items, page):
    # Wagtail shows the userbar only to signed-in users with admin access, never to the public.
    if isinstance(page, GuidancePage) and page.is_due_for_review(timezone.localdate()):
        items.append(ReviewDueUserbarItem(page))


# Link text that says nothing of where the link goes when read alone, as a screen reader's list of links reads it.
VAGUE_LINK_TEXT = ["click here", "here", "read more", "more", "link", "this page"]
LINK_TEXT_RULE = "link-text-says-where"
LINK_TEXT_CHECK = "check-link-text-says-where"  # evaluated by cms/static/cms/userbar/link-text-check.js


class GuidanceContentCheckerItem(ContentCheckerItem):
    """Wagtail's content checker (the userbar's "Checks" and the editor's Checks panel) with one more rule: a link in
    the page's content whose whole text is "click here", "here", "read more", "more", "link" or "this page" (any
    case). Wagtail's own rules found nothing in such a draft ("Issues found 0")."""

    def get_axe_run_only(self, request):
        return [*super().get_axe_run_only(request), LINK_TEXT_RULE]

    def get_axe_custom_rules(self, request):
        rule = {
            "id": LINK_TEXT_RULE,
            "impact": "serious",
            "selector": "main a[href]",
            "tags": ["best-practice"],
            "any": [LINK_TEXT_CHECK],
            "enabled": True,
        }
        return [*super().get_axe_custom_rules(request), rule]

    def get_axe_custom_checks(self, request):
        return [*super().get_axe_custom_checks(request), {"id": LINK_TEXT_CHECK, "options": {"words": VAGUE_LINK_TEXT}}]

    def get_axe_messages(self, request):
        message = {
            "error_name": "Link text should say where the link goes, not 'click here'",
            "help_text": "Use words that make sense on their own, like 'school transport policy'",
        }
        return {**super().get_axe_messages(request), LINK_TEXT_RULE: message}

    @property
    def media(self):
        return Media(js=["cms/userbar/link-text-check.js"])


@hooks.register("construct_wagtail_userbar")
def check_link_text(request, items, page):
    """Wagtail's checker, in the page's userbar and in the editor's Checks panel (in_editor), checks link text too."""
    items[:] = [
        GuidanceContentCheckerItem(in_editor=item.in_editor) if _wagtails_checker(item) else item for item in items
    ]


def _wagtails_checker(item):
    return isinstance(item, ContentCheckerItem) and not isinstance(item, GuidanceContentCheckerItem)


@hooks.register("register_rich_text_features", order=100)
def register_guidance_page_links(features):
    """After Wagtail's own (order 0), so that links to deleted or unpublished pages and to deleted documents render
    as plain words, and deleted pictures are left out."""
    features.register_link_type(GuidancePageLinkHandler)
    features.register_link_type(GuidanceDocumentLinkHandler)
    features.register_embed_type(GuidanceImageEmbedHandler)


# The delete and unpublish confirmations (cms/templates/wagtailadmin/pages/) list the pages that link to the page and
# offer a redirect to a page the editor picks.
for _hook in ("before_delete_page", "before_unpublish_page"):
    hooks.register(_hook, before_page_goes)
for _hook in ("after_delete_page", "after_unpublish_page"):
    hooks.register(_hook, after_page_goes)


# The admin's own scripts (cms/static/cms/admin/), on every admin page, deferred, in this order.
ADMIN_SCRIPTS = [
    "cms/admin/field-labels.js",  # names each rich text editor's textbox by its label
    "cms/admin/rich-text-table-paste.js",  # a table pasted into rich text keeps its cells apart
    "cms/admin/wagtail-autosave-compat.js",  # keeps Wagtail's autosave from racing the editor's own save
    # Wagtail's unsaved-changes check reads a big form in one pass, and counts typing before its first copy
    "cms/admin/wagtail-unsaved-compat.js",
    "cms/admin/upload-label.js",  # names the file input of the pages that upload several documents or images
    "cms/admin/document-accessibility-update.js",  # the uploader's warning outlives its row's "Update"
    "cms/admin/date-picker-close.js",  # Wagtail's date picker closes on Escape and when focus leaves its field
    "cms/admin/filters-open-at-error.js",  # a listing's filters open at a filter in error, its error in sight
    "cms/admin/download-once.js",  # a listing's download says it is being prepared, and is asked for once
    "cms/admin/message-focus.js",  # a message of an action done on the page before takes the focus, to be read out
    "cms/admin/problem-links.js",  # a problem's link opens the collapsed panels around its field, and goes to it
    "cms/form-fragment.js",  # a form posts to its address without the fragment, which would keep focus off the errors
]


@hooks.register("insert_global_admin_js")
def admin_js():
    return format_html_join("", '<script src="{}" defer></script>', ((static(script),) for script in ADMIN_SCRIPTS))


@hooks.register("insert_global_admin_css")
def admin_css():
    """Fixes to Wagtail's own screens (cms/static/cms/admin/admin.css): target sizes on a phone."""
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin/admin.css"))
