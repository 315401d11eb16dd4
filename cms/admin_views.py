"""Wagtail admin views of the site core."""

import datetime
import json
import re
import uuid
from collections import Counter

from django.conf import settings
from django.contrib import messages as django_messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.side_panels import StatusSidePanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.pages import move, ordering
from wagtail.admin.views.reports import ReportView
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_permission_policy
from wagtail.documents.views import multiple as document_multiple_views
from wagtail.documents.views.documents import CreateView as DocumentCreateView
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_permission_policy
from wagtail.models import Page
from wagtail.permissions import page_permission_policy
from wagtailcache import views as wagtailcache_views

from cms.document_accessibility import document_accessibility_message
from cms.formats import govuk_date, govuk_datetime, govuk_waited
from cms.logs import scrub_text
from cms.models import EmailNotification
from cms.outbox import Retry, RetryRefused, email_notification_retry, email_notification_retry_refused
from cms.page_links import pages_with_broken_links
from cms.permissions import superusers_only
from cms.selectors import (
    EMAIL_NOT_SENT_STATES,
    REVIEW_SOON_DAYS,
    emails_last_errors,
    emails_listed_since,
    emails_not_sent,
    failed_tasks,
    pages_due_for_review,
    task_words,
)
from cms.services import email_notification_queue

_TOKEN = re.compile(r"[0-9a-f]{32}")  # fullmatch: "$" would pass a final "\n"


class SendTestEmailView(WagtailAdminTemplateMixin, TemplateView):
    """An administrator checks that outgoing email works: a background worker sends a test email to them.

    Each form carries a one-time token, so posting it twice (a double click, a retry) sends one email.
    """

    page_title = "Send a test email"
    header_icon = "mail"
    template_name = "cms/admin/send_test_email.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=uuid.uuid4().hex, recipient=self.request.user.email, **kwargs)

    def post(self, request):
        token = request.POST.get("token", "")
        if not _TOKEN.fullmatch(token):
            messages.error(request, "The form had expired. Send the test email again.")
            return redirect("cms_send_test_email")
        notification = email_notification_queue(
            key=f"admin-test-email:{token}",
            to=request.user.email,
            subject=f"Test email from {settings.WAGTAIL_SITE_NAME}",
            body=(
                f"This is a test email from {settings.WAGTAIL_SITE_NAME} at {settings.WAGTAILADMIN_BASE_URL}.\n\n"
                "A background worker sent it, so outgoing email and the task queue both work.\n"
            ),
        )
        messages.success(
            request,
            f"A test email to {notification.to} is queued. It arrives within a minute if email works.",
        )
        return redirect(reverse("cms_send_test_email"))


class GuidanceDocumentCreateView(DocumentCreateView):
    """Wagtail's "Add a document" (at its own address, answered here first), whose next page also says what the PDF
    lacks that screen readers need, as kept when it was saved: the editor is not sent to its edit page to find out."""

    def save_action(self):
        response = super().save_action()
        warning = "" if self.expects_json_response else document_accessibility_message(self.object)
        if warning:
            messages.warning(self.request, warning)
        return response


class GuidanceDocumentMultipleEditView(document_multiple_views.EditView):
    """Wagtail's "Update" of one row of the multiple uploader (at its own address, answered here first): the row goes
    once updated, and its warning with it, so the answer carries the warning, naming the document by its title as
    now saved, for cms/static/cms/admin/document-accessibility-update.js to show as a message."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        answer = json.loads(response.content)
        warning = document_accessibility_message(self.object) if answer.get("success") else ""
        return JsonResponse({**answer, "accessibility_warning": warning}) if warning else response


class ChoosableOnlyMixin:
    """An endpoint of Wagtail's admin API (``/admin/api/main/<endpoint>/``) that lists, shows and finds only what the
    user may choose, as Wagtail's own choosers do (``instances_user_has_any_permission_for(user, ["choose"])``).

    Wagtail 7.4's admin API filters images and documents by nothing but the public API's collection privacy, so any
    admin user (a caseworker, a portal administrator) read every title, file name and URL, whatever their collection
    permissions. The listing, the detail (404 for one not choosable, as for one that does not exist) and ``find/``
    all start from ``get_queryset``."""

    permission_policy = None

    def get_queryset(self):
        choosable = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
        return super().get_queryset().filter(pk__in=choosable.values("pk"))

    def find_object(self, queryset, request):
        # Wagtail looks ``?id=`` up as given: one that is not a whole number ("abc") was a ValueError, a 500. It is
        # not found, as one that does not exist (``find_view`` answers None with its 404).
        if "id" in request.GET and not re.fullmatch(r"[0-9]+", request.GET["id"]):
            return None
        return super().find_object(queryset, request)


class ChoosableDocumentsAdminAPIViewSet(ChoosableOnlyMixin, DocumentsAdminAPIViewSet):
    permission_policy = document_permission_policy


class ChoosableImagesAdminAPIViewSet(ChoosableOnlyMixin, ImagesAdminAPIViewSet):
    permission_policy = image_permission_policy


def admin_api_choosable_only(router):
    """Replace Wagtail's own "documents" and "images" endpoints of the admin API (registered by wagtail.documents and
    wagtail.images in the same hook, so this runs after them) with ones that keep to the choose permission."""
    router.register_endpoint("documents", ChoosableDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ChoosableImagesAdminAPIViewSet)


def set_page_position(request, page_to_move_id):
    """Wagtail's reordering of a page among its siblings (``/admin/pages/<id>/set_position/``), answered first
    (cms/urls.py). Wagtail 7.4 asks the page's parent for the permission before anything else, and the root page has
    none: an AttributeError, a 500 for every role, GET or POST. The root page is a 404 here, as a page that does not
    exist; every other page goes to Wagtail's view, which checks the permission."""
    if Page.objects.filter(pk=page_to_move_id, depth=1).exists():
        raise Http404
    return ordering.set_page_position(request, page_to_move_id)


def move_page_confirm(request, page_to_move_id, destination_id):
    """Wagtail's move confirmation (``/admin/pages/<id>/move/<destination>/confirm/``), answered first (cms/urls.py).
    Wagtail 7.4 checks the move only when it is posted (MovePageAction), and tells whether the page's slug is taken
    under the destination before its ``before_move_page`` hooks run: on GET any admin user saw the page's and the
    destination's titles, and learnt whether a slug exists under a page ("The slug 'secret-draft-closure-plan' is
    already in use…"). The move's own check comes first here, refused as Wagtail refuses the POST (PermissionDenied:
    its redirect to the dashboard); a move the user may make goes to Wagtail's view."""
    page_to_move = get_object_or_404(Page, id=page_to_move_id)
    destination = get_object_or_404(Page, id=destination_id)
    if not page_to_move.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
    return move.move_confirm(request, page_to_move_id, destination_id)


# wagtail-cache shows its menu item to superusers only but checks nothing in its views, so any staff role could
# open the cache's keys or empty it. Its paths answered by these first (cms.wagtail_hooks, order -1).
cache_index = superusers_only(wagtailcache_views.index)
cache_clear = superusers_only(wagtailcache_views.clear)


def _local_seconds(value):
    """An aware time as the council reads it: Europe/London (TIME_ZONE), to the second."""
    return timezone.localtime(value).replace(microsecond=0, tzinfo=None)


class TimeColumn(Column):
    """A time as every list and page of ours in the admin writes it, GOV.UK style ("5 December 2026 at 9:41am",
    cms.formats.govuk_datetime), not Wagtail's "3 hours ago" nor Django's "5 Dec 2026, 9:41 a.m."."""

    def get_value(self, instance):
        return govuk_datetime(super().get_value(instance))


class TimedHistoryMixin:
    """Wagtail's history of one object with its times in the admin's one format (``TimeColumn``)."""

    @cached_property
    def columns(self):
        columns = super().columns
        return [
            TimeColumn(col.name, label=col.label, width=col.width) if isinstance(col, DateColumn) else col
            for col in columns
        ]


# What an edit page says of a save that changed nothing (UnchangedSaveMixin), on every screen that keeps a History.
NO_CHANGES = "No changes to save: the record is as it was"


class UnchangedSaveMixin:
    """An edit view whose save of a form left as it was writes nothing and says so: Wagtail logs an "edit" for every
    save, changed or not, and the row's History would then show an edit nobody made. Not for a model with drafts,
    revisions or publishing, where saving or publishing what is unchanged means something of its own. A request for
    JSON (Wagtail's scripts) gets the answer Wagtail gives a save, and nothing is written either."""

    def has_changes(self, form) -> bool:
        """Whether the save changes the row: its form's fields, unless the page saves more than its form."""
        return form.has_changed()

    def form_valid(self, form):
        if self.has_changes(form):
            return super().form_valid(form)
        if self.expects_json_response:
            self.form = form  # drawn into the answer's partials
            return JsonResponse(self.get_success_json())
        django_messages.info(self.request, NO_CHANGES)  # Wagtail's adds the markup of buttons to its words
        return redirect(self.get_success_url())


def _ordered_last_by_pk(rows) -> bool:
    """Whether ``rows`` is a query ordered last by its primary key, its ordering reversed then its exact mirror."""
    if not isinstance(rows, QuerySet) or not rows.ordered:
        return False
    query = rows.query
    ordering = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    last = ordering[-1] if ordering else None
    return isinstance(last, str) and last.lstrip("-") in ("pk", rows.model._meta.pk.name)


class EitherEndPaginator(WagtailPaginator):
    """Reads a page in the second half of a list from its far end (the ordering reversed, the page's rows put back in
    order), so the database walks past at most half the list to reach it: an OFFSET reads every row it skips, and the
    last page of a 500,000-entry audit log took 420 ms in PostgreSQL where the first took 1 ms. Only for a list ordered
    last by its primary key, whose reversed ordering is its exact mirror; any other is read from the front."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom * 2 <= self.count or not _ordered_last_by_pk(self.object_list):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
        return self._get_page(rows[::-1], number, self)


class IdsFirstPaginator(WagtailPaginator):
    """Finds a page's rows by their ids alone (the list's filters and ordering, nothing else read), then reads all
    that a row shows for those rows only: an OFFSET computes every row it skips, joins and annotations included, so
    page 151 of the review queue's 3,006 requests took six times page 1. One query more than a plain page."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


ADMIN_PAGE_SIZE = 20  # rows a page of an admin list: Wagtail's model listings' (the child records list's) own
PAGE_PARAM = "p"  # and their page's query parameter


def admin_list_page(request, rows, *, noun: str, noun_plural: str) -> dict:
    """The context of a page of ``rows`` for an admin list that is not one of Wagtail's listings, paged as those are:
    ``items`` (the page) and ``elided_page_range`` for Wagtail's "wagtailadmin/shared/pagination_nav.html" (included
    ``with items=items``: "Page 2 of 19", "375 reported changes", its links keeping the rest of the query string, so
    a list's filters), ADMIN_PAGE_SIZE rows a page. A page number out of range gives the last page, and one that is
    not a number the first, as Wagtail's listings do."""
    paginator = WagtailPaginator(rows, ADMIN_PAGE_SIZE)
    paginator.verbose_name, paginator.verbose_name_plural = noun, noun_plural
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    return {"items": page, "elided_page_range": paginator.get_elided_page_range(page.number)}


def list_number(value, *, lowest: int, highest: int) -> int | None:
    """A page or row number from a query string or a post, from ``lowest`` to ``highest``, or None: written in
    ASCII digits only, with no leading zero ("²" passes str.isdigit but not int(); "01", "-1", "abc" and a number past
    ``highest`` are a link someone changed, not one the admin wrote)."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()) or len(value) > len(str(highest)):
        return None
    number = int(value)
    return number if str(number) == value and lowest <= number <= highest else None


def back_to_list_row(request, rows, url: str, *, anchor: str, list_anchor: str, row_stays: bool = False):
    """A redirect, after an action on one row of a paged admin list, to the same page of ``rows`` (the list as it now
    is) at the next row, ``#<anchor><pk>``. The page and the row's place on it (from 0) come from the query string
    or the post, ``p`` and ``row`` (``list_number``: a page past the last by one at most, a row on a page). A row the
    action took off the list (``row_stays`` false) left its next row in its place; one it changed is still there,
    its next row after it, on the next page after a page's last. When its page has gone (it was that page's only
    row) it is the last page at its last row, the one before; with no next row, or no row or page named, or either
    not a number (a link from elsewhere, or one changed by hand), the first page at ``#<list_anchor>``."""
    params = request.POST if PAGE_PARAM in request.POST else request.GET
    paginator = WagtailPaginator(rows, ADMIN_PAGE_SIZE)
    asked = list_number(params.get(PAGE_PARAM), lowest=1, highest=paginator.num_pages + 1)
    place = list_number(params.get("row"), lowest=0, highest=ADMIN_PAGE_SIZE - 1)
    page = paginator.get_page(asked)
    index = None if asked is None or place is None else place + row_stays
    if index is not None and asked != page.number:
        index = -1
    elif index is not None and index >= ADMIN_PAGE_SIZE and page.has_next():
        page, index = paginator.page(page.next_page_number()), 0
    on_page = list(page.object_list)
    found = index is not None and on_page and index < len(on_page)
    return redirect(f"{url}?{PAGE_PARAM}={page.number}#{f'{anchor}{on_page[index].pk}' if found else list_anchor}")


def list_return_url(request, rows, url: str, *, row_anchor: str) -> str:
    """Where a Cancel (or a "back") on a page reached from a row of a paged admin list goes: the page of ``rows`` it
    came from (its ``p``, ``list_number``; the first when it does not say or says something else) at
    ``#<row_anchor>``, the row itself."""
    paginator = WagtailPaginator(rows, ADMIN_PAGE_SIZE)
    page = list_number(request.GET.get(PAGE_PARAM), lowest=1, highest=paginator.num_pages) or 1
    return f"{url}?{PAGE_PARAM}={page}#{row_anchor}"


class LocalTimeExportMixin:
    """A report's CSV and Excel exports give times in local time (TIME_ZONE) to the second, never UTC with
    microseconds, which is what Wagtail's exports give by default."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: _local_seconds(value).isoformat(sep=" "),
            SpreadsheetExportMixin.FORMAT_XLSX: _local_seconds,
        },
    }

    def get_preprocess_function(self, field, value, export_format):
        """Wagtail's choice for a field, a class of value and a format, made once a download: it depends on nothing
        else, and Wagtail makes it again for every cell (a tenth of a 100,000-row CSV's CPU)."""
        chosen = self.__dict__.setdefault("_preprocess_functions", {})
        key = (field, type(value), export_format)
        if key not in chosen:
            chosen[key] = super().get_preprocess_function(field, value, export_format)
        return chosen[key]


def review_status(page, today=None):
    """How a page stands against its review date, in the words of the "Due for review" report."""
    today = today or timezone.localdate()
    if page.review_by is None:
        return "No review date"
    return "Overdue" if page.review_by < today else "Due soon"


def owner_name(page):
    if page.owner_person_id:
        return page.owner_person.get_full_name() or page.owner_person.email
    return page.owner_team.name if page.owner_team_id else "No owner"


def report_paths(route: str, view_class, name: str) -> list:
    """A Wagtail report's two URLs: its page, and its table alone (``<name>_results``, the view's
    ``index_results_url_name``), which the report's filters fetch to refresh the table in place."""
    return [
        path(route, view_class.as_view(), name=name),
        path(f"{route}results/", view_class.as_view(results_only=True), name=f"{name}_results"),
    ]


class DueForReviewReportView(LocalTimeExportMixin, ReportView):
    """Live guidance pages past their review date or due within four weeks, soonest first, with their owners:
    the pages whose editors can open them."""

    page_title = "Due for review"
    header_icon = "date"
    index_url_name = "cms_due_for_review"
    index_results_url_name = "cms_due_for_review_results"
    permission_policy = page_permission_policy
    any_permission_required = ["add", "change", "publish"]
    columns = [
        TitleColumn("title", label="Page", get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk])),
        Column("owner_display", label="Owner", accessor=owner_name),
        Column("review_by", label="Review by", accessor=lambda page: govuk_date(page.review_by)),
        Column("status", label="Status", accessor=review_status),
    ]
    list_export = ["title", "admin_url", "owner_display", "review_by", "status"]
    export_headings = {
        "title": "Page",
        "admin_url": "Edit at",
        "owner_display": "Owner",
        "review_by": "Review by",
        "status": "Status",
    }

    @property
    def page_subtitle(self):
        return f"Live guidance pages past their review date, or due within {REVIEW_SOON_DAYS // 7} weeks."

    def get_filename(self):
        return f"due-for-review-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        editable = page_permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "publish"]
        )
        return pages_due_for_review(pages=editable)

    def decorate_paginated_queryset(self, object_list):
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for page in object_list:
            page.owner_display = owner_name(page)
            page.status = review_status(page)
            page.admin_url = f"{base_url}{reverse('wagtailadmin_pages:edit', args=[page.pk])}"
        return object_list


def may_edit_guidance(user) -> bool:
    """Content editors, Guidance approvers and superusers: anyone who may add, edit or publish some page."""
    return page_permission_policy.user_has_any_permission(user, ["add", "change", "publish"])


class AllowedOnlyMixin:
    """An admin view that refuses (Wagtail's refusal) anyone for whom ``allowed(user)`` is false, before it reads
    anything; its menu item is shown by the same test."""

    allowed = None

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BrokenLinksReportView(AllowedOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Reports → Broken links: every page that links to a deleted or unpublished page, or uses a deleted document or
    image, to be mended by an editor."""

    page_title = "Broken links"
    header_icon = "warning"
    template_name = "cms/admin/broken_links.html"
    allowed = staticmethod(may_edit_guidance)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pages=pages_with_broken_links(), **kwargs)


# Who sees the emails the outbox has not sent (Reports → Emails not sent) and tries one again: the Portal
# administrator role (portal_pages.roles) and superusers.
EMAILS_NOT_SENT_PERMISSION = "cms.view_emailnotification"


def may_see_emails_not_sent(user) -> bool:
    return user.is_active and user.has_perm(EMAILS_NOT_SENT_PERMISSION)


_TRACEBACK = " : Traceback (most recent call last):"  # how a django-q2 worker joins an error and its traceback


def task_error_words(result: str) -> str:
    """A failed task's stored error as its exception says it ("smtplib.SMTPRecipientsRefused: {'[email]': (550, …)}"),
    without the traceback a django-q2 worker keeps after it (file paths and lines of code, for a developer): the
    traceback's last lines, those after its last indented one, are the exception's type and words. Any other text
    (an error stored otherwise) as it is."""
    words, found, traceback = result.partition(_TRACEBACK)
    if not found:
        return result.strip()
    lines = traceback.strip("\n").splitlines()
    last_indented = max((i for i, line in enumerate(lines) if line[:1].isspace()), default=-1)
    return "\n".join(lines[last_indented + 1 :]).strip() or words.strip()


def _given_up_reason() -> str:
    return (
        f"It was given up {settings.PORTAL_EMAIL_GIVE_UP_HOURS} hours after it was made, and its words were removed "
        "then, so there is nothing to send"
    )


class EmailsNotSentReportView(AllowedOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Reports → Emails not sent: every email of the outbox still waiting or given up, newest first, with how long it
    has waited and its last try's error (addresses masked), for the administrator who must put the mail server right
    without reading logs or the database. A waiting one can be tried again now. Those the user may see: every one for
    a superuser, those to team accounts for a portal administrator (cms.selectors.emails_shown_to)."""

    page_title = "Emails not sent"
    header_icon = "mail"
    template_name = "cms/admin/emails_not_sent.html"
    allowed = staticmethod(may_see_emails_not_sent)

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state", "")
        state = state if state in EMAIL_NOT_SENT_STATES else ""
        emails = emails_not_sent(user=self.request.user, state=state)
        listed = admin_list_page(self.request, emails, noun="email", noun_plural="emails")
        page = listed["items"]
        page.object_list = list(page.object_list)  # read once, for the errors' lookup and the table
        errors = emails_last_errors([email.pk for email in page.object_list])
        for email in page.object_list:
            email.state_words = EMAIL_NOT_SENT_STATES[email.state]
            email.given_up = email.state == EmailNotification.State.GIVEN_UP
            email.waited = (
                f"Given up after {settings.PORTAL_EMAIL_GIVE_UP_HOURS} hours"
                if email.given_up
                else govuk_waited(email.created_at)
            )
            email.last_error = scrub_text(task_error_words(errors[email.pk])) if errors.get(email.pk) else ""
        return super().get_context_data(
            state=state,
            states=list(EMAIL_NOT_SENT_STATES.items()),
            token=_email_list_token(),
            every_address=self.request.user.is_superuser,
            give_up_hours=settings.PORTAL_EMAIL_GIVE_UP_HOURS,
            **listed,
            **kwargs,
        )


# Who sees the background tasks that failed (Reports → Failed background tasks): the Portal administrator role
# (portal_pages.roles) and superusers.
FAILED_TASKS_PERMISSION = "django_q.view_failure"


def may_see_failed_tasks(user) -> bool:
    return user.is_active and user.has_perm(FAILED_TASKS_PERMISSION)


class FailedTasksReportView(AllowedOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Reports → Failed background tasks: every task django-q2 keeps as failed (a PDF not filed, an email not sent, a
    nightly clean-up that stopped), newest first, by its plain name, when it failed, after how many tries, and its
    error as its exception says it (addresses masked when it was kept, and again here), for the administrator who
    would otherwise need a shell on the server. No task's arguments are shown."""

    page_title = "Failed background tasks"
    header_icon = "warning"
    template_name = "cms/admin/failed_tasks.html"
    allowed = staticmethod(may_see_failed_tasks)

    def get_context_data(self, **kwargs):
        listed = admin_list_page(self.request, failed_tasks(), noun="failed task", noun_plural="failed tasks")
        page = listed["items"]
        page.object_list = list(page.object_list)  # read once, for the names and the table
        for task in page.object_list:
            task.words = task_words(task.func)
            task.error = scrub_text(task_error_words("" if task.result is None else str(task.result)))
        return super().get_context_data(failed_task_days=settings.PORTAL_FAILED_TASK_DAYS, **listed, **kwargs)


_EMAIL_LIST_SALT = "cms.admin_views.emails_not_sent"
# How long a shown list's "Try again now" may be used: a page left open for longer tries nothing.
EMAIL_LIST_MAX_AGE = datetime.timedelta(days=1)
EMAIL_LIST_OUT_OF_DATE = (
    "This list was out of date, so nothing was queued. Check the email is still listed below and choose Try again "
    "now once more"
)


def _email_list_token() -> str:
    """The token of the list's "Try again now" forms: a new random one each time the list is shown (what makes a
    second post of the same form queue nothing, cms.outbox) and when it was shown, signed, so that a try of an email
    sent since can be told from an id the list never showed."""
    shown = {"form": uuid.uuid4().hex, "shown": timezone.now().isoformat()}
    return signing.dumps(shown, salt=_EMAIL_LIST_SALT)


def _email_list_token_read(token: str) -> tuple[str, datetime.datetime | None, RetryRefused | None]:
    """(the form's random token, when the list was shown, None) of a token ``_email_list_token`` made at most
    ``EMAIL_LIST_MAX_AGE`` ago; of an older one, when it was shown and OUT_OF_DATE (it still tells an email sent since
    from one never listed); ("", None, NOT_THE_LISTS) of any other."""
    refused = None
    try:
        try:
            shown = signing.loads(token, salt=_EMAIL_LIST_SALT, max_age=EMAIL_LIST_MAX_AGE)
        except signing.SignatureExpired:
            shown, refused = signing.loads(token, salt=_EMAIL_LIST_SALT), RetryRefused.OUT_OF_DATE
        form, shown_at = shown["form"], datetime.datetime.fromisoformat(shown["shown"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "", None, RetryRefused.NOT_THE_LISTS
    if not (isinstance(form, str) and _TOKEN.fullmatch(form)):
        return "", None, RetryRefused.NOT_THE_LISTS
    return form, shown_at, refused


def email_retry(request, notification_id):
    """POST: queue the send of a waiting email at once (cms.outbox.email_notification_retry), back to the list where
    it was, with a banner saying what was done. Refused before the id is looked up to anyone not allowed the report;
    then only an email the list shows the user now, or showed when its form was made and has been sent since
    (``emails_listed_since``), is found: any other id (sent before, or one whose address the user may not see) is a
    404, and the banner for one sent since names no address. A list shown more than ``EMAIL_LIST_MAX_AGE`` ago tries
    nothing and says it is out of date. Each refusal, the 404 or the list out of date, is audited by the ids alone."""
    if not may_see_emails_not_sent(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form_token, shown_at, refused = _email_list_token_read(request.POST.get("token", ""))
    notification = emails_listed_since(user=request.user, shown_at=shown_at).filter(pk=notification_id).first()
    if notification is None:
        email_notification_retry_refused(
            notification_id=notification_id, why=RetryRefused.NOT_LISTED, actor=request.user, request=request
        )
        raise Http404
    back = reverse("cms_emails_not_sent")
    state = request.POST.get("state", "")
    page = list_number(request.POST.get(PAGE_PARAM), lowest=1, highest=10**9)
    query = "&".join(
        part
        for part in (f"state={state}" if state in EMAIL_NOT_SENT_STATES else "", f"p={page}" if page else "")
        if part
    )
    back = f"{back}?{query}#email-{notification.pk}" if query else f"{back}#email-{notification.pk}"
    if refused:
        email_notification_retry_refused(
            notification_id=notification.pk, why=refused, actor=request.user, request=request
        )
        messages.error(request, EMAIL_LIST_OUT_OF_DATE)
        return redirect(back)
    done = email_notification_retry(
        notification_id=notification.pk, form_token=form_token, actor=request.user, request=request
    )
    if done == Retry.QUEUED:
        messages.success(
            request,
            f"The email to {notification.to} is queued to be sent now. It leaves this list once the mail server "
            "takes it; if it is refused again, its new error shows here.",
        )
    elif done == Retry.QUEUED_ALREADY:
        messages.info(request, f"The email to {notification.to} was queued already: nothing more was queued.")
    elif done == Retry.SENT:
        messages.info(request, "That email has been sent since this list was shown.")
    else:
        messages.error(request, f"The email to {notification.to} cannot be tried again. {_given_up_reason()}.")
    return redirect(back)


# Deleting what other rows keep. A foreign key with on_delete=PROTECT (a request keeps its team account, an account
# its organisation) makes Django's delete raise ProtectedError, a 500 error page in the admin: Wagtail's own check
# (`is_protected`) sees only what its reference index holds, and our casework is kept out of it.


def rows_in_words(rows, *, counted=None) -> str:
    """Rows counted by kind, in a fixed order: "2 advice requests and 1 outcome". Counts only, never a row's name,
    which may be a child's. ``counted(model)``: whether the reader may be told how many of that kind there are (a
    portal administrator, who sees no casework, is told of "records you cannot see", not how many child records
    name a school); every kind when not given."""
    counts = Counter(row._meta.concrete_model for row in rows)
    shown = sorted(
        ((model, count) for model, count in counts.items() if counted is None or counted(model)),
        key=lambda item: str(item[0]._meta.verbose_name),
    )
    parts = [
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in shown
    ]
    if len(shown) < len(counts):
        parts.append("records you cannot see")
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _kept_rows(error) -> set:
    return error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects


def kept_by(instance, *, counted=None) -> str:
    """What keeps ``instance`` from being deleted (rows pointing at it, or at what its deletion would take with it,
    with PROTECT or RESTRICT), found as Django's own delete finds them, in words (``rows_in_words``); "" when
    nothing does."""
    collector = Collector(using=router.db_for_write(type(instance), instance=instance))
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError) as error:
        return rows_in_words(_kept_rows(error), counted=counted)
    return ""


def may_count(user):
    """``counted`` for ``rows_in_words``: the kinds of row ``user`` may view or change."""

    def counted(model):
        opts = model._meta
        return any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change"))

    return counted


def any_kept(instances) -> bool:
    """Whether anything keeps any of ``instances`` (of one model) from being deleted: one reading for all of them,
    as deleting them together would make, where ``kept_by`` reads each."""
    if not instances:
        return False
    first = instances[0]
    try:
        Collector(using=router.db_for_write(type(first), instance=first)).collect(list(instances))
    except (ProtectedError, RestrictedError):
        return True
    return False


def kept_reason(what: str, used_by: str) -> str:
    return f"This {what} cannot be deleted: it is used by {used_by}."


class _NamedOptions:
    """A model's options as Wagtail's templates read them, with its rows named in a view's own words."""

    def __init__(self, options, verbose_name, verbose_name_plural):
        self._options, self.verbose_name, self.verbose_name_plural = options, verbose_name, verbose_name_plural

    def __getattr__(self, name):
        return getattr(self._options, name)


class NamedRowsMixin:
    """A Wagtail model view (listing, add, edit, delete, history, usage) that calls its rows ``noun`` and
    ``noun_plural`` wherever Wagtail would use the model's verbose name: its title, breadcrumbs and messages. For a
    viewset over part of a model, such as the team accounts among the users."""

    noun = ""
    noun_plural = ""

    def get_page_title(self):
        return self.page_title or capfirst(self.noun_plural)

    def get_breadcrumbs_items(self):
        index_url = reverse(self.index_url_name) if self.index_url_name else None
        return [
            {**item, "label": capfirst(self.noun_plural)} if index_url and item.get("url") == index_url else item
            for item in super().get_breadcrumbs_items()
        ]

    @property
    def confirmation_message(self):
        return f"Are you sure you want to delete this {self.noun}?"

    def get_success_message(self, instance=None):
        if self.success_message is None:
            return None
        return capfirst(self.success_message % {"model_name": self.noun, "object": instance or self.object})

    def get_side_panels(self):
        panels = super().get_side_panels()
        for panel in panels:
            if isinstance(panel, StatusSidePanel):  # its heading is the model's verbose name ("User")
                panel.model = type(
                    "NamedRows", (), {"_meta": _NamedOptions(panel.model._meta, self.noun, self.noun_plural)}
                )
        return panels

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("model_opts"):  # the delete page's "This user is referenced 3 times"
            context["model_opts"] = _NamedOptions(context["model_opts"], self.noun, self.noun_plural)
        return context

    def get_error_message(self):
        if self.error_message is None or getattr(self, "expects_json_response", False):
            return super().get_error_message()  # the autosave's message names no model
        return capfirst(self.error_message % {"model_name": self.noun})


class KeptFromDeletionMixin:
    """A Wagtail delete view (generic, snippet or user) that will not delete what other rows keep: its confirmation
    page says why and what to do ``instead``, with no Delete button (Wagtail's ``is_protected``), and a POST deletes
    nothing, logs nothing and comes back to that page with the reason. ``noun`` names the row (the model's verbose
    name by default)."""

    instead = ""
    noun = ""

    @cached_property
    def kept_by(self) -> str:
        return kept_by(self.object, counted=may_count(self.request.user))

    @property
    def kept_reason(self) -> str:
        return kept_reason(self.noun or self.object._meta.verbose_name, self.kept_by)

    def get_template_names(self):
        return ["cms/admin/confirm_delete_kept.html"] if self.kept_by else super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.kept_by:
            context.update(is_protected=True, kept_reason=self.kept_reason, kept_instead=self.instead)
        return context

    def form_valid(self, form):
        if not self.kept_by:
            try:
                return super().form_valid(form)
            except (ProtectedError, RestrictedError) as error:  # a row that keeps it came in since the check
                self.kept_by = rows_in_words(_kept_rows(error), counted=may_count(self.request.user))
        messages.error(self.request, f"Nothing was deleted. {self.kept_reason} {self.instead}".strip())
        return redirect(self.request.get_full_path())


class KeptFromBulkDeletionMixin:
    """A Wagtail bulk delete action (one with Wagtail's ReferenceIndexMixin) that refuses the whole action when any
    chosen row is kept by others: its confirmation page says which and why, with no Delete button, and a POST
    deletes nothing and comes back to that page with a message. What keeps them is read once for all the chosen
    rows (a "select all" may choose thousands); each is read on its own only to name, on that page, the kept ones,
    listed first and counted (``kept_count``)."""

    instead = ""
    noun = ""

    def annotate_items(self, items):
        items = super().annotate_items(items)
        kept_any = any_kept(items)
        name_each = kept_any and self.request.method != "POST"  # a refused POST shows the page again, naming them
        for item in items:
            item.kept_by = kept_by(item) if name_each else ""
        self.is_protected = self.is_protected or kept_any
        return items

    def object_context(self, item):
        context = super().object_context(item)
        if item.kept_by:
            noun = self.noun or item._meta.verbose_name
            context.update(is_protected=True, kept_reason=kept_reason(noun, item.kept_by))
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The kept ones first, counted for the line above the list that says none will be deleted while they are chosen.
        items = sorted(context["items"], key=lambda item: not item.get("kept_reason"))
        kept_count = sum(1 for item in items if item.get("kept_reason"))
        return {**context, "items": items, "kept_count": kept_count, "kept_instead": self.instead}

    def prepare_action(self, objects, objects_without_access):
        if self.is_protected:
            return self._refused()
        return super().prepare_action(objects, objects_without_access)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ProtectedError, RestrictedError):  # a row that keeps one came in since the check: nothing deleted
            return self._refused()

    def _refused(self):
        messages.error(
            self.request,
            f"Nothing was deleted: some of the chosen {self.model._meta.verbose_name_plural} are still in use, "
            f"as this page says. {self.instead}".strip(),
        )
        return redirect(self.request.get_full_path())
