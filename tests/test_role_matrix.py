"""The role matrix: every URL pattern of the project, for every role, with someone else's ids.

DESIGN.md "People and what each may do" says what each role may reach; this test holds every URL pattern
(Wagtail's admin, the portal, the public site, documents) to it. Each pattern must match exactly one
most-specific row of MATRIX; a new URL without a row fails ``test_every_url_pattern_has_one_row``. Each role
test finds the same data set (made once for the module, each test's changes rolled back), requests every pattern
once (GET, or POST where the view takes nothing else) and reports every mismatch of that role together as a table.

Outcomes (what a response is classed as):

- OK: 2xx, or a redirect that is neither to a sign-in page nor Wagtail's refusal.
- LOGIN: a redirect to the admin's or the portal's sign-in page.
- DENIED: refused: 403, 404, or Wagtail's refusal (a redirect to the dashboard with "Sorry, you do not have
  permission to access this area.", which Wagtail 7.4's ``require_admin_access`` gives for PermissionDenied).
- NOT_FOUND: exactly 404: someone else's id, which must not be told apart from an id that does not exist.
- BAD_LINK: 400, a signed link that is not valid (the portal's token pages, given a made-up token).
- NOT_ALLOWED: 405, a view that takes POST only and is open to this role.
- ERROR: 5xx (only Wagtail's deliberate /admin/failwhale/).
"""

import fnmatch
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
import wagtail_factories
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Collection, GroupApprovalTask, Workflow

from advice_forms.services import documents as document_services
from advice_forms.services import involvement as involvement_services
from advice_forms.services import outcomes as outcome_services
from advice_forms.services.requests import request_inbox_link
from cms.models import AuditEntry, EmailNotification
from faq.models import PageFeedback
from portal_pages.models import AccountState, JoinRequest, User
from portal_pages.roles import GUIDANCE_APPROVAL, guidance_approval_ensure
from portal_pages.services.inbox import inbox_message_send
from tests.factories.accounts import (
    OrganisationFactory,
    ProfessionalFactory,
    StaffUserFactory,
    SuperuserFactory,
    TOTPDeviceFactory,
)
from tests.factories.advice_forms import (
    ChildRecordFactory,
    advice_request,
    document_types,
    need_type,
    pdf_upload,
    submission_make,
    team,
)
from tests.factories.cms import HelpPageFactory

OK, LOGIN, DENIED, NOT_FOUND, BAD_LINK, NOT_ALLOWED, ERROR = (
    "OK",
    "LOGIN",
    "DENIED",
    "NOT_FOUND",
    "BAD_LINK",
    "NOT_ALLOWED",
    "ERROR",
)
# What each expected outcome accepts: a refusal may be a 404 as well as a 403 or Wagtail's redirect.
ACCEPTS = {DENIED: {DENIED, NOT_FOUND}}

ANONYMOUS = "anonymous"
TEAM_A = "team account A"
TEAM_B = "team account B"
CASEWORKER = "SEND caseworker"
FORM_DESIGNER = "Form designer"
CONTENT_EDITOR = "Content editor"
GUIDANCE_APPROVER = "Guidance approvers"
PORTAL_ADMIN = "Portal administrator"
SUPERUSER = "superuser"
ROLES = (
    ANONYMOUS,
    TEAM_A,
    TEAM_B,
    CASEWORKER,
    FORM_DESIGNER,
    CONTENT_EDITOR,
    GUIDANCE_APPROVER,
    PORTAL_ADMIN,
    SUPERUSER,
)
TEAM_ACCOUNTS = (TEAM_A, TEAM_B)
STAFF = (CASEWORKER, FORM_DESIGNER, CONTENT_EDITOR, GUIDANCE_APPROVER, PORTAL_ADMIN, SUPERUSER)

WAGTAIL_REFUSAL = "Sorry, you do not have permission to access this area."
SIGN_IN_PATHS = ("/admin/login/", "/portal/sign-in/")


def lit(value):
    """A literal URL argument, not a key of the data set."""
    return ("literal", value)


# --- Expectations, row by row -------------------------------------------------------------------------------


def everyone(outcome=OK, **special):
    return {role: special.get(_key(role), outcome) for role in ROLES}


def admin(*allowed, others=DENIED, then=OK, **special):
    """A Wagtail admin screen: the sign-in page for anyone without admin access, ``then`` (OK unless the screen
    says otherwise past the permission check, e.g. 405 for POST only) for ``allowed`` staff and the superuser,
    ``others`` (refused) for the remaining staff."""
    expected = {ANONYMOUS: LOGIN, TEAM_A: LOGIN, TEAM_B: LOGIN}
    for role in STAFF:
        expected[role] = then if role in allowed or role == SUPERUSER else others
    for key, outcome in special.items():
        expected[_role(key)] = outcome
    return expected


def portal(**special):
    """A portal page behind sign-in that is each account's own (dashboard, inbox, devices): staff are refused."""
    expected = {ANONYMOUS: LOGIN, TEAM_A: OK, TEAM_B: OK} | dict.fromkeys(STAFF, DENIED)
    for key, outcome in special.items():
        expected[_role(key)] = outcome
    return expected


def portal_b(**special):
    """A portal page about team account B's request or its records: A gets 404, as for an id that does not
    exist; staff are refused (they work in the admin)."""
    return portal(team_a=NOT_FOUND, **special)


_KEYS = {
    "anonymous": ANONYMOUS,
    "team_a": TEAM_A,
    "team_b": TEAM_B,
    "caseworker": CASEWORKER,
    "form_designer": FORM_DESIGNER,
    "content_editor": CONTENT_EDITOR,
    "guidance_approver": GUIDANCE_APPROVER,
    "portal_admin": PORTAL_ADMIN,
    "superuser": SUPERUSER,
}


def _role(key):
    return _KEYS[key]


def _key(role):
    return {v: k for k, v in _KEYS.items()}[role]


def staff(outcome, **special):
    """Only for staff signed in to the admin; ``outcome`` for each of them."""
    return admin(others=outcome, **({_key(r): outcome for r in STAFF} | special))


# Wagtail's choosers and the admin API behind them answer any admin user: page titles of the public guidance, never
# casework (images and documents: only those one may choose, cms.admin_views.ChoosableOnlyMixin). Least privilege
# would close them, but form designers' rich text and editors' links need them; they are noted here rather than
# overridden.
WAG = "Wagtail opens it to every admin user; it shows guidance content only"
CE, GA, FD, CW, PA = CONTENT_EDITOR, GUIDANCE_APPROVER, FORM_DESIGNER, CASEWORKER, PORTAL_ADMIN
ALL_STAFF = (CW, FD, CE, GA, PA)


@dataclass
class Row:
    """``pattern``: a URL name, an fnmatch glob of URL names, or "route:<prefix>" for a route (how an
    unnamed pattern is matched). ``method``: "post" where the view answers GET with 405 for everyone."""

    pattern: str
    expected: dict
    note: str = ""
    method: str = "get"
    query: dict = field(default_factory=dict)
    fill: dict = field(default_factory=dict)


MATRIX = [
    # --- The public site -----------------------------------------------------------------------------------
    Row("robots_txt", everyone(), "what search engines may read: the public guidance"),
    Row("sitemap", everyone(), "the live pages without a view restriction, for search engines"),
    Row("healthz", everyone()),
    Row("readyz", everyone(), "readiness, for monitoring: no session, no personal data"),
    Row("metrics", everyone(), "loopback, this client's address, is allowed; others get 404 (test_metrics.py)"),
    Row("search", everyone()),
    Row(
        "image_rendition", everyone(), "a picture of a public page, from MEDIA_ROOT/images", fill={"path": "rendition"}
    ),
    Row("faq:feedback", everyone(), "a page's 'was this useful' page: the vote's form, posted with its own token"),
    Row(
        "faq:feedback_vote",
        everyone(NOT_ALLOWED),
        "POST only: a guide page's Yes / Neutral / No, taken without a token, refused from another site",
    ),
    Row("wagtail_serve", everyone(), "guidance pages"),
    Row(
        "wagtail_login_closed",
        everyone(LOGIN),
        "Wagtail's page-privacy sign-in took a password alone: it leads to the portal's sign-in (cms/urls.py)",
    ),
    Row("wagtailcore_login", everyone(LOGIN), "its named route, reached through the one above"),
    Row("wagtailcore_authenticate_with_password", everyone(NOT_FOUND), "no password-protected page exists"),
    Row("wagtaildocs_serve", everyone(), "public guidance documents (Wagtail documents, not children's files)"),
    Row("wagtaildocs_authenticate_with_password", everyone(NOT_FOUND), "no password-protected collection"),
    # --- The portal: doors open to anyone ------------------------------------------------------------------
    Row("portal:sign_in", everyone()),
    Row("portal:sign_in_code", portal(anonymous=LOGIN), "the code step, after the password"),
    Row("portal:sign_out", everyone(anonymous=LOGIN)),
    Row("portal:signed_out", everyone()),
    Row("portal:register", everyone()),
    Row("portal:register_done", everyone()),
    Row("portal:verification_resend", everyone()),
    Row("portal:password_reset", everyone()),
    Row("portal:password_reset_sent", everyone()),
    Row("portal:verify", everyone(BAD_LINK), "a made-up token"),
    Row("portal:invitation", everyone(BAD_LINK), "a made-up token"),
    Row("portal:password_reset_confirm", everyone(BAD_LINK), "a made-up token"),
    # --- The portal behind sign-in and a verified code --------------------------------------------------------
    Row("portal:dashboard", portal()),
    Row("portal:keep_alive", portal(), method="post"),
    Row("portal:inbox", portal()),
    Row("portal:inbox_message", portal_b(), "team account B's message"),
    Row("portal:two_factor", portal()),
    Row("portal:two_factor_setup", portal()),
    Row("portal:two_factor_add", portal()),
    Row("portal:two_factor_backup_codes", portal()),
    Row("portal:two_factor_remove", portal_b(), "team account B's device"),
    Row("portal:request_*", portal_b(), "team account B's request and its records"),
    Row("portal:request_document_access", portal_b(), method="post"),
    Row(
        "portal:request_step_autosave",
        portal_b(team_b=DENIED),
        "B's request is submitted: no more saving",
        method="post",
    ),
    Row("portal:request_submit", portal_b(), method="post"),
    Row("portal:request_document_withdraw", portal_b(), method="post"),
    # --- Wagtail admin: open doors and the dashboard ----------------------------------------------------------
    Row("wagtailadmin_login", everyone()),
    Row("wagtailadmin_password_reset*", everyone()),
    Row("portal_admin_password_reset", everyone(), "the admin's reset, on the portal's limiter"),
    Row("portal_admin_password_reset_confirm", everyone(), "the admin's new password, followed as the portal's is"),
    Row("portal_admin_keep_alive", admin(*ALL_STAFF), "the admin's 'Stay signed in'", method="post"),
    Row("wagtailadmin_javascript_catalog", everyone()),
    Row("wagtailadmin_sprite", everyone()),
    Row("wagtail_2fa_auth", admin(*ALL_STAFF), "verified staff are sent on to the dashboard"),
    Row("wagtailadmin_home", admin(*ALL_STAFF)),
    Row("route:admin/^.*/$", staff(NOT_FOUND), "Wagtail's catch-all: 404 inside the admin"),
    Row("route:admin/test404/", admin(*ALL_STAFF)),
    Row("wagtailadmin_error_test", staff(ERROR), "Wagtail's deliberate error page"),
    Row("wagtailadmin_account", admin(*ALL_STAFF), "own account settings"),
    Row("wagtailadmin_logout", staff(NOT_ALLOWED), "POST only"),
    Row("wagtailadmin_dismissibles", admin(*ALL_STAFF)),
    Row("wagtailadmin_editing_sessions:*", staff(NOT_ALLOWED), "POST only"),
    Row("wagtailadmin_block_preview", staff(NOT_FOUND), "without a block id from an open editor: 404"),
    Row("wagtailadmin_tag_autocomplete", admin(*ALL_STAFF)),
    Row("wagtailadmin_tag_model_autocomplete", admin(*ALL_STAFF)),
    # Own second factor: wagtail-2fa's screens for another user's devices are the superuser's alone.
    Row("wagtail_2fa_device_new", admin(*ALL_STAFF), "set up an own device"),
    Row("wagtail_2fa_device_qrcode", admin(*ALL_STAFF)),
    Row("wagtail_2fa_device_list", admin(), "another user's devices (the superuser's)"),
    Row("wagtail_2fa_device_update", staff(DENIED), "another user's device: wagtail-2fa edits own devices only"),
    Row("wagtail_2fa_device_remove", admin(), "another user's device"),
    # --- Guidance pages, images, documents: content editors ----------------------------------------------------
    Row("wagtailadmin_explore*", admin(CE, GA)),
    Row("wagtailadmin_pages:*", admin(CE, GA)),
    Row("wagtailadmin_pages:lock", admin(), "content editors do not lock pages", method="post"),
    Row("wagtailadmin_pages:unlock", admin(), method="post"),
    Row("wagtailadmin_pages:*workflow*", admin(GA), "moderation: the Guidance approvers (and the superuser)"),
    # A live page changes for the public only through an approver (Wagtail asks for the publish permission).
    Row("wagtailadmin_pages:delete", admin(GA), "content editors submit; approvers delete a live page"),
    Row("wagtailadmin_pages:unpublish", admin(GA), "content editors submit; approvers unpublish"),
    Row("wagtailadmin_pages:move", admin(GA), "moving a live page changes its public address"),
    Row("wagtailadmin_pages:set_page_position", admin(GA), "reordering live pages changes the public menus"),
    Row("cms_set_page_position", admin(GA), "the same path, answered first (cms/urls.py): Wagtail's view behind it"),
    Row("wagtailadmin_pages:set_privacy", admin(GA), "a view restriction changes the public page"),
    Row("wagtailadmin_pages:revisions_unschedule", admin(GA), "a scheduled publish is an approver's"),
    Row("wagtailadmin_pages:workflow_history*", admin(CE, GA), "a page's moderation history, for its editors"),
    Row("wagtailadmin_pages:choose_parent", admin(*ALL_STAFF), WAG),
    Row("wagtailadmin_pages:move_confirm", admin(GA), "the move's own check, on GET as on POST, before the slug's"),
    Row("cms_move_page_confirm", admin(GA), "the same path, answered first (cms/urls.py): Wagtail's view behind it"),
    Row("wagtailadmin_pages:confirm_workflow_cancellation", admin(*ALL_STAFF), WAG),
    Row("wagtailadmin_pages:revisions_index", admin(*ALL_STAFF), "redirects to the page history, which checks"),
    Row("wagtailadmin_choose_page*", admin(FD, CE, GA), "answered first by cms_wagtailadmin_choose_page*"),
    Row(
        "cms_wagtailadmin_choose_page*",
        admin(FD, CE, GA),
        "the page chooser and its link views: for page editors and form designers (guidance text links pages)",
    ),
    Row("wagtailadmin_api:*", admin(*ALL_STAFF), "the admin API behind the choosers: " + WAG),
    Row("wagtailadmin_api:pages:find", admin(CE, GA), "pages one may not edit: 404", query={"html_path": lit("/")}),
    Row("wagtailadmin_api:pages:detail", admin(CE, GA), "pages one may not edit: 404"),
    Row("wagtailadmin_api:documents:listing", admin(*ALL_STAFF), "documents one may choose (none: an empty list)"),
    Row("wagtailadmin_api:documents:detail", admin(CE, GA), "a document one may not choose: 404"),
    Row("wagtailadmin_api:documents:find", admin(CE, GA), "one may not choose: 404", query={"id": "wagtail_document"}),
    Row("wagtailadmin_api:images:listing", admin(*ALL_STAFF), "images one may choose (none: an empty list)"),
    Row("wagtailadmin_api:images:detail", admin(CE, GA), "an image one may not choose: 404"),
    Row("wagtailadmin_api:images:find", admin(CE, GA), "one may not choose: 404", query={"id": "image"}),
    Row("wagtailadmin_api:pages:action", admin(GA), "copying a live page keeps it live: publishing", method="post"),
    Row(
        "wagtail_bulk_action", admin(*ALL_STAFF), WAG + " (each action is checked per page)", query={"id": "help_page"}
    ),
    Row("wagtaildocs:*", admin(CE, GA)),
    Row("wagtaildocs:add_multiple", admin(CE, GA), "the upload page"),
    Row("cms_document_add", admin(CE, GA), "wagtaildocs:add's path, answered first: it also warns of a PDF's gaps"),
    Row("cms_document_edit_multiple", staff(NOT_ALLOWED), "wagtaildocs:edit_multiple's path, first: POST only"),
    Row("wagtaildocs:*_multiple", staff(NOT_ALLOWED), "POST only for everyone (a POST would delete or create)"),
    Row("wagtaildocs:*_multiple_*", staff(NOT_ALLOWED), "POST only for everyone"),
    Row("wagtaildocs_chooser:*", admin(*ALL_STAFF), "choosers: " + WAG),
    Row("wagtaildocs_chooser:chosen", admin(CE, GA), "choosing needs the collection permission"),
    Row("wagtaildocs_chooser:create", admin(CE, GA), "uploading needs the collection permission"),
    Row("wagtailimages:*", admin(CE, GA)),
    Row("wagtailimages:add_multiple", admin(CE, GA), "the upload page"),
    Row("wagtailimages:*_multiple", staff(NOT_ALLOWED), "POST only for everyone (a POST would delete or create)"),
    Row("wagtailimages:*_multiple_*", staff(NOT_ALLOWED), "POST only for everyone"),
    Row("wagtailimages:url_generator*", admin(CE, GA, then=NOT_FOUND), "no image-serving view is configured"),
    Row("wagtailimages_chooser:*", admin(*ALL_STAFF), "choosers: " + WAG),
    Row("wagtailimages_chooser:chosen", admin(CE, GA), "choosing needs the collection permission"),
    Row("wagtailimages_chooser:create", admin(CE, GA), "uploading needs the collection permission"),
    Row("wagtailembeds:*", admin(), "answered first by cms_wagtailembeds_*"),
    Row("cms_wagtailembeds_*", admin(), "the embed chooser: no rich text of the portal has the embed feature"),
    Row("wagtailadmin_reports:*", admin(CE, GA)),
    Row("cms_broken_links_report", admin(CE, GA), "pages linking to deleted or unpublished pages"),
    Row("wagtailadmin_reports:locked_pages*", admin(), "content editors do not lock pages"),
    Row("wagtailadmin_reports:site_history*", admin(*ALL_STAFF), "Wagtail filters it to what each may see"),
    Row("cms_due_for_review*", admin(CE, GA), "guidance pages due for review: those who edit or approve pages"),
    Row("faq_feedback_*", admin(CE), "page feedback: content editors read it, redact and delete comments"),
    Row("wagtailredirects:*", admin()),
    Row("wagtailredirects:process_import", admin(then=NOT_ALLOWED), "POST only (an empty POST is a 500 in Wagtail)"),
    Row("wagtailadmin_collections:*", admin()),
    Row("wagtailadmin_workflows:*", admin()),
    Row("wagtailadmin_workflows:task_cho*", admin(), "answered first by cms_wagtailadmin_workflows_task_cho*"),
    Row("cms_wagtailadmin_workflows_task_cho*", admin(), "the task chooser: those who manage workflows only"),
    Row("wagtailadmin_workflows:enable*", admin(), method="post"),
    Row("wagtailadmin_workflows:remove", admin(), method="post"),
    Row(
        "wagtailsettings:*",
        admin(CE, GA),
        "the portal settings: the phone number and its hours (their other fields are superusers' alone)",
    ),
    Row("wagtailsettings:preview_on_edit", staff(DENIED), "the portal settings have no preview: 404"),
    Row("wagtailsites:*", admin()),
    Row(
        "wagtailsearchpromotions:*",
        admin(CE, GA),
        "Promoted search results: those who keep the guidance choose the pages a search shows first",
    ),
    Row("wagtailsearchpromotions:search_terms*", admin(), "Wagtail's search terms report: superusers only"),
    Row("wagtailsearchpromotions:chooser*", admin(*ALL_STAFF), WAG),
    Row("wagtailcache_admin:*", admin(), "wagtail-cache's paths, answered by cms_cache_* first"),
    Row("cms_cache_*", admin(), "the page cache's keys and emptying it: superusers, as wagtail-cache's menu"),
    Row("cms_send_test_email", admin()),
    Row("cms_emails_not_sent", admin(PA), "emails the outbox has not sent: portal administrators and the superuser"),
    Row(
        "cms_email_retry",
        admin(PA),
        "try a waiting email again now (an empty post: the page had expired, nothing queued)",
        method="post",
    ),
    Row("cms_failed_tasks", admin(PA), "background tasks that failed: portal administrators and the superuser"),
    # --- Form design: form designers (the choosers too: DESIGN.md's roles table) ---------------------------
    Row("wagtailsnippets:index", staff(DENIED), "no model is in Wagtail's Snippets menu (see Advice forms)"),
    Row("wagtailsnippets_advice_forms_*", admin(FD)),
    Row("wagtailsnippets_advice_forms_formdefinition:lock", admin(FD), method="post"),
    Row("wagtailsnippets_advice_forms_formdefinition:unlock", admin(FD), method="post"),
    Row("wagtailsnippetchoosers_advice_forms_*", admin(FD)),
    Row("advice_forms_definition_files:*", admin(FD), "form definition files: download (view), import (add)"),
    # --- Casework: SEND caseworkers ----------------------------------------------------------------------------
    Row("child_records:*", admin(CW)),
    Row("child_records:delete", admin(), "records are never deleted by caseworkers"),
    Row("review_queue:*", admin(CW)),
    Row("review_queue:accept", admin(CW), "a GET goes to the confirmation page (a POST would accept)"),
    Row(
        "review_queue:accept_confirm",
        admin(CW),
        "the version read (1) is sent, as Accept sends it",
        query={"submission": lit("1")},
    ),
    Row("review_queue:remind", admin(CW), "a GET goes to the request's page (a POST would send a reminder)"),
    Row("overdue_advice:*", admin(CW)),
    Row("casework_*", admin(CW)),
    # --- Accounts: portal administrators -----------------------------------------------------------------------
    Row("organisation:*", admin(PA)),
    Row("organisation:index*", admin(PA, CW), "caseworkers pick an organisation when they invite"),
    Row("team_accounts:*", admin(PA), "team account B"),
    Row("team_accounts:index*", admin(PA, CW), "caseworkers invite team accounts to share requests"),
    Row("team_accounts:add", admin(PA, CW)),
    Row("team_accounts:history*", admin(PA, CW)),
    Row("team_accounts:delete", admin(), "accounts are deactivated, not deleted"),
    Row("audit_log:*", staff(DENIED), "the log is read-only, for the superuser too"),
    Row("audit_log:index*", admin(PA)),
    Row("audit_log:inspect", admin(PA)),
    Row("portal_reset_two_factor", admin(PA), "team account B's devices"),
    Row("portal_reactivate", admin(PA), "team account B"),
    Row("portal_join_requests", admin(PA), "the queue of requests to join"),
    Row("portal_join_request_decide", admin(PA), "a waiting request to join"),
    # --- Staff accounts and roles: the superuser alone ---------------------------------------------------------
    Row("wagtailusers_users:*", admin(), "another staff account: the superuser's"),
    Row("wagtailusers_groups:*", admin(), "a role group"),
    Row("portal_send_password_link", admin(), "another staff account's password link: the superuser's"),
]

# Probes beyond one per pattern: the same screen with a different kind of id. They do not count as rows.
PROBES = [
    Row(
        "team_accounts:edit",
        admin(superuser=(OK, NOT_FOUND)),
        "a staff account (the caseworker's) through the team-account screen",
        fill={"pk": "caseworker_user"},
    ),
    Row(
        "team_accounts:delete",
        admin(superuser=(OK, NOT_FOUND)),
        "a staff account (the caseworker's) through the team-account screen",
        fill={"pk": "caseworker_user"},
    ),
    Row("portal_reset_two_factor", admin(), "the superuser's devices", fill={"user_id": "other_superuser"}),
    Row("portal_reactivate", admin(), "the superuser's account", fill={"user_id": "other_superuser"}),
    Row(
        "portal_send_password_link",
        admin(superuser=NOT_FOUND),
        "a team account's: staff accounts only",
        fill={"user_id": "team_b"},
    ),
    Row("wagtail_2fa_device_list", admin(*ALL_STAFF), "own devices", fill={"user_id": "me"}),
    Row("wagtail_2fa_device_update", admin(*ALL_STAFF), "own device", fill={"pk": "my_device"}),
    Row(
        "wagtailusers_users:edit",
        admin(superuser=NOT_FOUND),
        "a team account through Wagtail's user screen: staff accounts only, even for the superuser",
        fill={"pk": "team_b"},
    ),
    Row(
        "cms_set_page_position",
        staff(NOT_FOUND),
        "the root page, which has no parent (a 500 in Wagtail)",
        fill={"page_to_move_id": "root_page"},
    ),
    Row(
        "cms_document_edit_multiple",
        admin(CE, GA),
        "the multiple uploader's Update, posted to: it saves the document (an empty post: the title's error)",
        method="post",
        fill={"doc_id": "guidance_pdf"},
    ),
    Row(
        "cms_set_page_position",
        staff(NOT_FOUND),
        "the root page, posted to (a 500 in Wagtail)",
        method="post",
        fill={"page_to_move_id": "root_page"},
    ),
]


# --- Filling URL arguments from one data set -----------------------------------------------------------------


# For each URL name glob (first match with the argument wins): argument name -> data key (or lit(...)).
FILLS = [
    ("portal:inbox_message", {"pk": "inbox_message"}),
    ("portal:two_factor_remove", {"device_id": "team_b_device"}),
    (
        "portal:*",
        {
            "pk": "request_b",
            "document_pk": "document",
            "outcome_pk": "outcome",
            "contact_pk": "contact",
            "number": "submission_number",
            "step": "step",
            "token": lit("not-a-real-token"),
        },
    ),
    ("review_queue:submission_pdf", {"pk": "submission"}),
    ("review_queue:*", {"pk": "request_b"}),
    ("child_records:*", {"pk": "child"}),
    ("casework_*", {"child_id": "child", "document_id": "document", "outcome_id": "outcome", "access_id": "access"}),
    ("organisation:*", {"pk": "organisation_b"}),
    ("team_accounts:*", {"pk": "team_b"}),
    ("audit_log:*", {"pk": "audit_entry"}),
    ("portal_reset_two_factor", {"user_id": "team_b"}),
    ("portal_reactivate", {"user_id": "team_b"}),
    ("portal_join_request_decide", {"join_id": "join_request"}),
    ("cms_email_retry", {"notification_id": "email_notification"}),
    ("wagtailusers_users:*", {"pk": "other_superuser"}),
    ("portal_send_password_link", {"user_id": "other_superuser"}),
    ("wagtailusers_groups:*", {"pk": "caseworker_group"}),
    ("wagtail_2fa_device_list", {"user_id": "other_superuser"}),
    ("wagtail_2fa_device_*", {"pk": "other_superuser_device"}),
    ("wagtailsnippets_advice_forms_formdefinition:*", {"pk": "form_definition", "revision_id": "form_revision"}),
    ("wagtailsnippets_advice_forms_formdefinition:version", {"version_pk": "form_version"}),
    ("wagtailsnippets_advice_forms_formdefinition:revisions_compare", {"revision_id_a": lit("earliest")}),
    ("wagtailsnippets_advice_forms_formdefinition:revisions_compare", {"revision_id_b": lit("live")}),
    ("wagtailsnippets_advice_forms_dropdownlist:*", {"pk": "dropdown_list"}),
    ("advice_forms_definition_files:*", {"pk": "form_definition"}),
    ("wagtailsnippets_advice_forms_team:*", {"pk": "team_term"}),
    ("wagtailsnippets_advice_forms_needtype:*", {"pk": "need_type"}),
    ("wagtailsnippetchoosers_advice_forms_formdefinition:*", {"pk": "form_definition"}),
    ("wagtailsnippetchoosers_advice_forms_dropdownlist:*", {"pk": "dropdown_list"}),
    ("wagtailsnippetchoosers_advice_forms_team:*", {"pk": "team_term"}),
    ("wagtailsnippetchoosers_advice_forms_needtype:*", {"pk": "need_type"}),
    ("wagtailadmin_api:pages:*", {"pk": "help_page", "action_name": lit("copy")}),
    ("wagtailadmin_api:documents:*", {"pk": "wagtail_document"}),
    ("wagtailadmin_api:images:*", {"pk": "image"}),
    ("wagtailadmin_pages:add", {"parent_page_id": "home_page"}),
    ("wagtailadmin_pages:*", {"content_type_app_name": lit("cms"), "content_type_model_name": lit("helppage")}),
    ("wagtailadmin_pages:choose_parent", {"app_label": lit("cms"), "model_name": lit("helppage")}),
    ("wagtailadmin_pages:move_confirm", {"destination_id": "home_page"}),
    ("cms_move_page_confirm", {"page_to_move_id": "help_page", "destination_id": "home_page"}),
    ("cms_set_page_position", {"page_to_move_id": "help_page"}),
    ("wagtailadmin_pages:revisions_compare", {0: "help_page", 1: lit("earliest"), 2: lit("live")}),
    ("wagtailadmin_pages:convert_alias", {"page_id": "alias_page"}),
    ("wagtailadmin_pages:*workflow*", {"page_id": "moderated_page"}),
    (
        "wagtailadmin_*",
        {
            "page_id": "help_page",
            "parent_page_id": "home_page",
            "page_to_move_id": "help_page",
            "revision_id": "page_revision",
            "task_state_id": "task_state",
            "workflow_state_id": "workflow_state",
            "task_id": "task",
            "action_name": lit("approve"),
        },
    ),
    ("wagtailadmin_workflows:remove", {"page_pk": "home_page", "workflow_pk": "workflow"}),
    ("wagtailadmin_workflows:add_task", {"app_label": lit("wagtailcore"), "model_name": lit("groupapprovaltask")}),
    ("wagtailadmin_workflows:task_chosen", {"task_id": "task"}),
    ("cms_wagtailadmin_workflows_task_chosen", {"task_id": "task"}),
    ("cms_wagtailadmin_choose_page_child", {"parent_page_id": "home_page"}),
    ("wagtailadmin_workflows:*_task", {"pk": "task"}),
    ("wagtailadmin_workflows:*", {"pk": "workflow"}),
    ("wagtailadmin_collections:*", {"pk": "collection", "collection_id": "collection"}),
    ("wagtailadmin_tag_model_autocomplete", {"app_name": lit("taggit"), "model_name": lit("tag")}),
    (
        "wagtailadmin_editing_sessions:*",
        {
            "app_label": lit("wagtailcore"),
            "model_name": lit("page"),
            "object_id": "help_page",
            "session_id": lit(1),
        },
    ),
    ("wagtail_bulk_action", {"app_label": lit("wagtailcore"), "model_name": lit("page"), "action": lit("delete")}),
    ("wagtailadmin_password_reset_confirm", {"uidb64": lit("MQ"), "token": lit("not-a-real-token")}),
    ("portal_admin_password_reset_confirm", {"uidb64": lit("MQ"), "token": lit("not-a-real-token")}),
    ("wagtaildocs:*", {"document_id": "wagtail_document", "doc_id": "wagtail_document"}),
    ("wagtaildocs:*", {"uploaded_file_id": lit(0)}),
    ("cms_document_edit_multiple", {"doc_id": "wagtail_document"}),
    ("wagtaildocs_chooser:*", {"pk": "wagtail_document"}),
    ("wagtaildocs_serve", {0: "wagtail_document", 1: "wagtail_document_filename"}),
    ("wagtaildocs_authenticate_with_password", {"restriction_id": lit(0)}),
    ("wagtailimages:preview", {"filter_spec": lit("original")}),
    ("wagtailimages:*", {"image_id": "image", "uploaded_file_id": lit(0)}),
    ("wagtailimages_chooser:*", {"pk": "image", "image_id": "image"}),
    ("wagtailredirects:*", {"redirect_id": "redirect"}),
    ("wagtailsettings:*", {"app_name": lit("cms"), "model_name": lit("portalsettings"), "pk": "site"}),
    ("wagtailsites:*", {"pk": "site"}),
    ("wagtailsearchpromotions:*", {"query_id": "promoted_query"}),
    ("faq_feedback_*", {"page_id": "help_page", "feedback_id": "page_feedback"}),
    ("faq:feedback", {"page_id": "help_page"}),
    ("faq:feedback_vote", {"page_id": "help_page"}),
    ("wagtail_serve", {0: lit("")}),
    ("wagtailcore_authenticate_with_password", {"page_view_restriction_id": lit(0), "page_id": "help_page"}),
]
# Unnamed patterns are requested at a path of their own.
PATHS = {"route:admin/^.*/$": "/admin/no-such-screen/", "route:admin/test404/": "/admin/test404/"}


def _staff(group_name):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    TOTPDeviceFactory(user=user)
    return user


def matrix_for_test(matrix):
    """The module's data set (``matrix`` in tests/conftest.py) for one test: a dict of its own to add to, and its
    users read again from the database (the rows as the test's savepoint has them, not instances an earlier test's
    sign-in changed)."""
    data, users = matrix
    return dict(data), {role: User.objects.get(pk=user.pk) for role, user in users.items()}


def matrix_data(home_page, superuser):
    """One data set for a whole role: two team accounts (B owns every record), a user of each staff role, a
    second superuser (the "someone else" of staff screens), and a page, an image, a document and a form."""
    from advice_forms.models import AccessRequest, DropdownList, FormDefinition

    help_page = HelpPageFactory(parent=home_page)
    help_page.save_revision().publish()
    users = {
        role: _staff(role) for role in (CASEWORKER, FORM_DESIGNER, CONTENT_EDITOR, GUIDANCE_APPROVER, PORTAL_ADMIN)
    }
    users[SUPERUSER] = superuser
    other_superuser = SuperuserFactory()
    other_superuser_device = TOTPDeviceFactory(user=other_superuser)
    accounts = {}
    for role in TEAM_ACCOUNTS:
        accounts[role] = ProfessionalFactory(organisation=OrganisationFactory())
        TOTPDeviceFactory(user=accounts[role])
    team_b = accounts[TEAM_B]

    document_types()
    child = ChildRecordFactory(first_name="Ariadne", last_name="Quill")
    request_b = advice_request(team_b, child=child)
    document = document_services.document_upload(
        advice_request=request_b, account=team_b, uploaded=pdf_upload(), title="Report", document_type="report"
    )
    outcome = outcome_services.outcome_create(
        advice_request=request_b, account=team_b, team=team(), need_type=need_type(), outcome="Uses a timetable"
    )
    contact = involvement_services.contact_create(
        advice_request=request_b, account=team_b, data={"name": "Sam Rivers", "role": "Therapist", "team": team()}
    )
    inbox_message = inbox_message_send(
        account=team_b,
        subject="A request",
        body="Please give advice.",
        event_key="matrix:1",
        **request_inbox_link(request_b),
    )
    submission = submission_make(request_b, {"about": {"strengths": "Kind"}})
    definition = FormDefinition.objects.get(pk=request_b.form_version.definition_id)
    root_collection = Collection.get_first_root_node()
    wagtail_document = wagtail_factories.DocumentFactory(collection=root_collection)
    # A file of a kind guidance may hold (the factory's is not): saving the document checks its file's extension.
    guidance_pdf = wagtail_factories.DocumentFactory(collection=root_collection, file__filename="leaflet.pdf")
    alias_page = HelpPageFactory(parent=home_page).create_alias(update_slug="alias-of-help")
    # A second page in moderation, so that the workflow screens have a workflow and a task state to show.
    moderated = HelpPageFactory(parent=home_page)
    moderated.save_revision()
    # The guidance approval workflow, made again if a transactional test flushed the one migrations made.
    guidance_approval_ensure(apps)
    workflow = Workflow.objects.get(name=GUIDANCE_APPROVAL)
    task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
    workflow_state = workflow.start(moderated, users[CONTENT_EDITOR])
    redirect = Redirect.objects.create(old_path="/old-guidance", redirect_link="/")
    data = {
        "home_page": home_page.pk,
        "root_page": home_page.get_parent().pk,
        "help_page": help_page.pk,
        "page_revision": help_page.latest_revision_id,
        "site": home_page.get_site().pk,
        "collection": root_collection.add_child(name="Guidance pictures").pk,
        "workflow": workflow.pk,
        "task": task.pk,
        "task_state": workflow_state.current_task_state_id,
        "workflow_state": workflow_state.pk,
        "alias_page": alias_page.pk,
        "moderated_page": moderated.pk,
        "image": wagtail_factories.ImageFactory(collection=root_collection).pk,
        "rendition": wagtail_factories.ImageFactory().get_rendition("max-960x720").file.name.removeprefix("images/"),
        "wagtail_document": wagtail_document.pk,
        "wagtail_document_filename": wagtail_document.filename,
        "guidance_pdf": guidance_pdf.pk,
        "redirect": redirect.pk,
        "promoted_query": SearchPromotion.objects.create(query=Query.get("ehcp"), page=help_page).query_id,
        "page_feedback": PageFeedback.objects.create(page=help_page, rating="no", comment="Unclear").pk,
        "other_superuser": other_superuser.pk,
        "other_superuser_device": other_superuser_device.pk,
        "caseworker_user": users[CASEWORKER].pk,
        "caseworker_group": Group.objects.get(name=CASEWORKER).pk,
        "team_b": team_b.pk,
        "team_b_device": team_b.totpdevice_set.get().pk,
        "organisation_b": team_b.organisation_id,
        "child": child.pk,
        "request_b": request_b.pk,
        "step": "about",
        "document": document.pk,
        "outcome": outcome.pk,
        "access": AccessRequest.objects.create(
            document=document, account=ProfessionalFactory(organisation=OrganisationFactory()), advice_request=request_b
        ).pk,
        "contact": contact.pk,
        "inbox_message": inbox_message.pk,
        "submission": submission.pk,
        "submission_number": submission.number,
        "audit_entry": AuditEntry.objects.order_by("pk").first().pk,
        "form_definition": definition.pk,
        "form_revision": definition.latest_revision_id,
        "form_version": request_b.form_version_id,
        "dropdown_list": DropdownList.objects.order_by("pk").first().pk,
        "team_term": team().pk,
        "need_type": need_type().pk,
        "join_request": _join_request_waiting().pk,
        "email_notification": EmailNotification.objects.create(
            key="matrix:email", to=team_b.email, subject="A test", body="Words"
        ).pk,
    }
    return data, users | accounts


def _join_request_waiting():
    """A confirmed account of an unlisted service, waiting for a portal administrator."""
    waiting = User.objects.create_user(
        "slt@unlisted-service.example.org", "a-long-test-password", account_state=AccountState.AWAITING_APPROVAL
    )
    return JoinRequest.objects.create(
        account=waiting,
        organisation_name="Unlisted SLT",
        kind="speech_and_language",
        email_domain="unlisted.example.org",
    )


# --- Walking the URL patterns -------------------------------------------------------------------------------


@dataclass
class Pattern:
    name: str | None  # "namespace:name", or None
    route: str
    kwarg_names: list
    positional: int

    @property
    def key(self):
        return self.name or f"route:{self.route}"


def url_patterns(resolver=None, prefix="", namespaces=(), kwargs=(), positional=0):
    """Every URLPattern of the project, with its full route and the arguments its route takes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        names, count = _arguments(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from url_patterns(entry, prefix + str(entry.pattern), ns, kwargs + names, positional + count)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield Pattern(name, prefix + str(entry.pattern), list(kwargs + names), positional + count)


def _arguments(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), 0
    regex = pattern.regex
    return tuple(regex.groupindex), regex.groups - len(regex.groupindex)


def row_for(key, rows=MATRIX):
    """The one most specific row matching ``key``: an exact name before any glob, then the longest literal
    part. Returns (row, problem); problem names a missing or ambiguous row."""
    matches = [row for row in rows if _matches(row.pattern, key)]
    if not matches:
        return None, f"{key}: no row in the role matrix"
    ranked = sorted(matches, key=_specificity, reverse=True)
    if len(ranked) > 1 and _specificity(ranked[0]) == _specificity(ranked[1]):
        return None, f"{key}: rows {ranked[0].pattern!r} and {ranked[1].pattern!r} are equally specific"
    return ranked[0], None


def _matches(pattern, key):
    if pattern.startswith("route:"):
        return key == pattern or (key.startswith("route:") and key.startswith(pattern))
    return key is not None and fnmatch.fnmatchcase(key, pattern)


def _specificity(row):
    literal = re.sub(r"\[[^]]*\]|[*?]", "", row.pattern)
    return (not re.search(r"[*?\[]", row.pattern), len(literal))


def fill_path(pattern, data, fill=None):
    """The path to request for ``pattern``, its arguments filled from ``data`` through FILLS (or ``fill``)."""
    if pattern.key in PATHS:
        return PATHS[pattern.key]
    wanted = list(pattern.kwarg_names) + list(range(pattern.positional))
    values = {}
    for argument in wanted:
        source = (fill or {}).get(argument)
        if source is None:
            source = next(
                (
                    spec[argument]
                    for glob, spec in FILLS
                    if argument in spec and fnmatch.fnmatchcase(pattern.name or "", glob)
                ),
                None,
            )
        if source is None:
            raise LookupError(f"{pattern.key} ({pattern.route}): no fill for the URL argument {argument!r}")
        values[argument] = _value(source, data)
    args = [values[i] for i in range(pattern.positional)]
    kwargs = {name: values[name] for name in pattern.kwarg_names}
    return reverse(pattern.name, args=args or None, kwargs=kwargs or None)


# --- Asking and classing --------------------------------------------------------------------------------------


def outcome_of(response):
    status = response.status_code
    if 300 <= status < 400:
        location = urlsplit(response["Location"]).path
        if location.startswith(SIGN_IN_PATHS):
            return LOGIN
        queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
        if location == reverse("wagtailadmin_home") and any(WAGTAIL_REFUSAL in str(m) for m in queued):
            return DENIED
        return OK
    if status < 300:
        return OK
    return {400: BAD_LINK, 403: DENIED, 404: NOT_FOUND, 405: NOT_ALLOWED}.get(status, ERROR)


def _accepts(expected):
    options = expected if isinstance(expected, tuple) else (expected,)
    return set().union(*(ACCEPTS.get(option, {option}) for option in options))


def signed_in_client(user):
    """Signed in with password and a verified authenticator code (as the session holds it after sign-in)."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = user.totpdevice_set.filter(confirmed=True).first().persistent_id
        session.save()
    return client


def _value(source, data):
    return source[1] if isinstance(source, tuple) else data[source]


def _probe(client, row, pattern, data):
    path = fill_path(pattern, data, row.fill)
    query = {name: _value(source, data) for name, source in row.query.items()}
    if row.method == "post":
        return path, client.post(path + ("?" + urlencode(query) if query else ""))
    return path, client.get(path, query)


def _table(mismatches):
    header = ("URL name", "path", "expected", "got", "note")
    rows = [header] + [tuple(str(cell) for cell in mismatch) for mismatch in mismatches]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


# --- The tests ---------------------------------------------------------------------------------------------------


def test_every_url_pattern_has_one_row():
    problems = [problem for pattern in url_patterns() for _, problem in [row_for(pattern.key)] if problem]
    assert not problems, "URL patterns without exactly one row in the role matrix:\n" + "\n".join(problems)


def test_every_row_matches_a_url_pattern():
    keys = [pattern.key for pattern in url_patterns()]
    unused = [row.pattern for row in MATRIX + PROBES if not any(_matches(row.pattern, key) for key in keys)]
    assert not unused, f"Rows that match no URL pattern (remove or rename them): {unused}"


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, matrix, db, schedules_on_time):
    data, users = matrix_for_test(matrix)
    me = users.get(role)
    data["me"] = me.pk if me is not None and me.is_staff else data["other_superuser"]
    data["my_device"] = me.totpdevice_set.get().pk if me is not None and me.is_staff else data["team_b_device"]
    client = signed_in_client(me)
    mismatches = []
    probes = [(row_for(p.key)[0], p) for p in url_patterns()]
    probes += [(row, p) for row in PROBES for p in url_patterns() if _matches(row.pattern, p.key)]
    for row, pattern in probes:
        assert row is not None, f"{pattern.key}: no row in the role matrix"
        expected = row.expected[role]
        path, response = _probe(client, row, pattern, data)
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if me is not None and (cookie is None or not cookie.value):
            # Wagtail's sign-out deletes the session cookie even when it answers 405: sign in again.
            client = signed_in_client(me)
        got = outcome_of(response)
        if got not in _accepts(expected):
            where = response.get("Location", "") if 300 <= response.status_code < 400 else ""
            mismatches.append(
                (pattern.key, path, expected, f"{got} ({response.status_code}{' ' + where if where else ''})", row.note)
            )
    assert not mismatches, f"{role}: {len(mismatches)} URL(s) answer otherwise than the role matrix says\n" + _table(
        mismatches
    )
