"""Reads, for both sides: published forms, their versions and how much each is used; the staff's review queue,
overdue list and reminders, a child record's documents, outcomes, contacts, contributions and reported changes, and
the access requests and reported changes waiting for a caseworker; a team account's requests (the only way a portal
view finds one) and what each request lets the account see of the child: documents (and which it asked access to),
outcomes, professional contacts, the contribution, and the account's own entries that it may change."""

import hashlib
import json
from itertools import groupby
from urllib.parse import urlsplit

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Lower
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Revision

from advice_forms.events import CaseworkEvent
from advice_forms.form_builder import FormBuilder
from advice_forms.models import (
    EDITABLE_STATES,
    FORM_EVIDENCE,
    AccessRequest,
    AdviceRequest,
    ChildRecord,
    ContactState,
    Contribution,
    DetailsChangeReport,
    Document,
    DocumentState,
    DropdownOption,
    FormDefinition,
    FormDefinitionVersion,
    Outcome,
    OutcomeState,
    ProfessionalContact,
    RequestState,
    Submission,
    Team,
    newest_submission_number,
    sent_with_form,
)
from advice_forms.workflow import OPEN_STATES, Action, states_allowing
from cms.formats import govuk_date
from cms.models import AuditEntry
from cms.names import name_folded
from portal_pages.models import SETTING_KINDS, Organisation, User, signs_in_q


def latest_versions():
    """The newest published version of each live definition: what a new request pins; by title, and forms of one
    title in the order they were published (PostgreSQL gives ties in any order)."""
    newest = FormDefinitionVersion.objects.filter(definition=OuterRef("definition")).order_by("-number")
    return (
        FormDefinitionVersion.objects.filter(definition__live=True, number=Subquery(newest.values("number")[:1]))
        .select_related("definition")
        .order_by("title", "published_at", "pk")
    )


def published_namesake(*, title: str, version_label: str, definition=None):
    """The newest published version of another live form with this title and version label (case and outer spaces
    ignored), or None: two such read alike wherever a form is chosen. Only each live form's newest version counts: an
    unpublished form, or an old version of one that reads differently now, is never offered beside it."""
    versions = latest_versions().filter(
        title__iexact=(title or "").strip(), version_label__iexact=(version_label or "").strip()
    )
    if definition is not None and definition.pk:
        versions = versions.exclude(definition=definition)
    return versions.order_by("-published_at").first()


def versions_with_request_counts(definition):
    """[(version, requests pinning it)], newest first."""
    return [(version, version.request_count()) for version in definition.versions.order_by("-number")]


def definitions_by_slug(slug: str) -> list:
    """The definitions a command names: by id, or by the slug of their title ("request-for-an-ehc-needs-...")."""
    if slug.isdecimal():  # "²" passes isdigit(), and int() refuses it
        return list(FormDefinition.objects.filter(pk=int(slug)))
    return [definition for definition in FormDefinition.objects.order_by("pk") if slugify(definition.title) == slug]


def _sections_use_list(sections, dropdown_list_id) -> bool:
    """Whether a question of ``sections`` (a definition's stored JSON) picks its options from the list."""
    for section in sections or []:
        for field in (section.get("value") or {}).get("fields") or []:
            if (field.get("value") or {}).get("dropdown_list") == dropdown_list_id:
                return True
    return False


def dropdown_list_in_published_use(dropdown_list):
    """True when any published form version picks its options from this list."""
    versions = FormDefinitionVersion.objects.values_list("content", flat=True).iterator()
    return any(_sections_use_list(content, dropdown_list.pk) for content in versions)


def dropdown_list_drafts_using(dropdown_list) -> list[str]:
    """The titles of the form definitions whose saved sections or latest draft pick options from this list: deleting
    it would leave those questions choosing from nothing, a blank the designer finds only by chance."""
    definitions = list(FormDefinition.objects.order_by("title", "pk"))
    drafts = dict(
        Revision.objects.filter(pk__in=[d.latest_revision_id for d in definitions if d.latest_revision_id])
        .values_list("pk", "content")
        .iterator()
    )
    titles = []
    for definition in definitions:
        draft = (drafts.get(definition.latest_revision_id) or {}).get("sections")
        draft = json.loads(draft) if isinstance(draft, str) else draft
        if any(
            _sections_use_list(sections, dropdown_list.pk) for sections in (definition.sections.get_prep_value(), draft)
        ):
            titles.append(definition.title)
    return titles


def dropdown_options_by_list():
    """{list id: [{"value", "label"}]} of every dropdown list, retired options too (marked): what the
    form-definition editor's condition picker offers as a list question's answers."""
    out = {}
    for dropdown_list_id, value, label, retired in DropdownOption.objects.order_by(
        "dropdown_list_id", "sort_order", "pk"
    ).values_list("dropdown_list_id", "value", "label", "retired"):
        out.setdefault(str(dropdown_list_id), []).append(
            {"value": value, "label": f"{label} (retired)" if retired else label}
        )
    return out


def _answers_name_term(answers, key: str, code: str) -> bool:
    """Whether answers (section -> field -> value) hold a group row (an outcome, a contact) naming ``code``."""
    for fields in (answers or {}).values():
        for value in fields.values() if isinstance(fields, dict) else ():
            if isinstance(value, list) and any(isinstance(row, dict) and row.get(key) == code for row in value):
                return True
    return False


def answers_using_term(term) -> int:
    """How many submissions and drafts name a Team or Type in their answers: deleting it would change their PDFs."""
    key = "team" if isinstance(term, Team) else "type"
    total = 0
    for model in (Submission, AdviceRequest):
        # The text test narrows the rows on every database; the walk decides.
        rows = model.objects.annotate(text=Cast("answers", TextField())).filter(text__contains=json.dumps(term.code))
        total += sum(_answers_name_term(answers, key, term.code) for answers in rows.values_list("answers", flat=True))
    return total


def taxonomy_term_usage(term):
    """How many things use a Team or Type (rows pointing at it, answers naming it): a term in use is deactivated,
    never deleted."""
    total = answers_using_term(term)
    for relation in term._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            total += relation.related_model._base_manager.filter(**{relation.field.name: term}).count()
    return total


# Casework (staff side): the review queue, the overdue list and the reminders' reads; a child record's pages (its
# documents, outcomes, contacts, contributions and reported changes, every state); what waits for a caseworker.


# What a row of the review queue shows, and all it reads: the request's, child's, co-ordinator's, form version's and
# team account's own columns, never their JSON (a request's answers, a form version's content).
REVIEW_QUEUE_COLUMNS = (
    "state",
    "due_date",
    "shows_child_name",
    "child__first_name",
    "child__last_name",
    "child__coordinator__first_name",
    "child__coordinator__last_name",
    "child__coordinator__email",
    "child__coordinator__display_name",  # the name shown of a co-ordinator with no first and last names
    "child__coordinator__is_staff",  # which names come first (User.person_name)
    "form_version__title",
    "form_version__kind",
    "form_version__version_label",
    "account__display_name",
    "account__email",
    "account__is_active",  # with the state: whether it can sign in (the mark beside its name)
    "account__account_state",
)


def review_queue():
    """Submitted requests waiting for a caseworker, with what the queue shows, in a fixed number of queries, each
    with ``last_submitted_at``, when its latest version came. A page costs the same whichever it is: the latest time
    is read for each row by its own index (grouping every column of the request, its answers too, before sorting
    made page 151 of 3,006 six times slower than page 1), and only the columns a row shows are read."""
    latest = Submission.objects.filter(request=OuterRef("pk")).order_by("-number").values("submitted_at")[:1]
    return (
        AdviceRequest.objects.filter(state=RequestState.SUBMITTED)
        .select_related("child", "child__coordinator", "form_version", "account")
        .only(*REVIEW_QUEUE_COLUMNS)
        .annotate(last_submitted_at=Subquery(latest), coordinator_does_casework=does_casework("child__coordinator_id"))
        .order_by("due_date", "pk")
    )


def overdue_requests(*, today=None, coordinator=None):
    """Requests still with a team account (to do, in progress, returned) whose due date has passed, each with
    ``coordinator_does_casework``; only those about the children ``coordinator`` co-ordinates when one is given (what
    the overdue list shows by default)."""

    today = today or timezone.localdate()
    overdue = (
        AdviceRequest.objects.filter(state__in=EDITABLE_STATES, due_date__lt=today)
        .select_related("child", "child__coordinator", "form_version", "account", "account__organisation")
        .annotate(coordinator_does_casework=does_casework("child__coordinator_id"))
        .order_by("due_date", "pk")
    )
    return overdue.filter(child__coordinator=coordinator) if coordinator else overdue


def requests_due_soon_unreminded(*, today, soon_by):
    """Requests the workflow lets the portal remind, due after today and by ``soon_by``, whose account has not had
    the due-soon reminder and can sign in (one that cannot is reminded once it can again, if still due)."""
    return AdviceRequest.objects.filter(
        signs_in_q("account__"),
        state__in=states_allowing(Action.REMIND),
        due_date__gt=today,
        due_date__lte=soon_by,
        reminded_due_soon_at__isnull=True,
    ).order_by("pk")


def requests_overdue_unreminded(*, today):
    """Requests the workflow lets the portal remind, past their due date, whose account has not had the overdue
    reminder and can sign in."""
    return (
        overdue_requests(today=today)
        .filter(signs_in_q("account__"), state__in=states_allowing(Action.REMIND), reminded_overdue_at__isnull=True)
        .order_by("pk")
    )


def last_reminder_by_hand(advice_request):
    """When a caseworker last sent this request's account a reminder (the audit entry of it), or None."""
    return (
        AuditEntry.objects.filter(
            target_type__app_label="advice_forms",
            target_type__model="advicerequest",
            target_id=str(advice_request.pk),
            action=CaseworkEvent.REQUEST_REMINDED,
        )
        .values_list("created_at", flat=True)
        .order_by("-created_at")
        .first()
    )


def requests_for_child(child):
    """Every request about a child, newest first, for the child record's page in the admin, each with
    ``latest_reference``: its latest submission's reference (None before its first)."""
    latest = Submission.objects.filter(request=OuterRef("pk")).order_by("-number").values("reference")[:1]
    return (
        child.advice_requests.select_related("form_version", "account", "account__organisation")
        .annotate(latest_reference=Subquery(latest))
        .order_by("-created_at", "-pk")
    )


CHILD_RECORD_SEARCH_FIELDS = ["first_name", "last_name", "unique_pupil_number"]


def child_name_holds(word: str, *, child=""):
    """A filter: ``word`` in the child's names, by the one rule of cms.names (no accents, any case, any
    apostrophe or none: "zoe" finds Zoë, "d'arcy" and "darcy" D’Arcy), matched against the names the record keeps
    folded; ``child`` is the path to the child record ("child__" from a request). Both searches, the staff's and the
    professionals', use it."""
    return Q(**{f"{child}search_name__contains": name_folded(word) or word})


def _child_details_holding_every_word(query: str, *, child=""):
    """A filter: every word of ``query`` (spaces or commas between words) in the child's names (``child_name_holds``)
    or pupil number, in any case; ``child`` is the path to the child record ("child__" from a request). None when
    there is no word."""
    words = query.replace(",", " ").split()
    if not words:
        return None
    every_word = Q()
    for word in words:
        every_word &= child_name_holds(word, child=child) | Q(**{f"{child}unique_pupil_number__icontains": word})
    return every_word


def child_records_like(child):
    """The records kept already whose names read as ``child``'s (an unsaved record) by the search's rule
    (cms.names: "Zoe" is Zoë) and whose date of birth is the same: a second record of the same child,
    perhaps, about to be made. By name, with their schools, for the warning that links them. One query."""
    return (
        ChildRecord.objects.filter(search_name=name_folded(child.full_name), date_of_birth=child.date_of_birth)
        .exclude(pk=child.pk)
        .select_related("school")
        .order_by("pk")
    )


# The fewest digits a search of digits alone is read as the end of a reference: "reference ending 0002".
REFERENCE_END_DIGITS = 3


def _submissions_with_reference(query: str):
    """The submission whose reference ``query`` is, in any case and with spaces around or inside it, or spaces for
    its hyphens ("kbc ersa 2026 000005" is KBC-ERSA-2026-000005): what the confirmation page tells the professional
    to quote. A search of digits alone (hyphens or spaces between them allowed), at least REFERENCE_END_DIGITS of
    them, also finds the submissions whose reference ends with them ("0005", "000005", "2026 000005"): what a
    caseworker is told on the phone. Otherwise a queryset of at most one row."""
    reference = "-".join(query.replace("-", " ").split())
    whole = Q(reference__iexact=reference)
    digits = reference.replace("-", "")
    if digits.isdigit() and digits.isascii() and len(digits) >= REFERENCE_END_DIGITS:
        return Submission.objects.filter(whole | Q(reference__endswith=reference))
    return Submission.objects.filter(whole)


def child_records_matching(queryset, query: str):
    """The records holding every word of ``query`` in their name or pupil number, in any case ("Poppy Larkspur" and
    "larkspur, poppy" find Poppy Larkspur), or whose requests have the submission ``query`` is the reference of. One
    query, however many words."""
    every_word = _child_details_holding_every_word(query)
    if every_word is None:
        return queryset
    by_reference = _submissions_with_reference(query).values("request__child_id")
    return queryset.filter(every_word | Q(pk__in=by_reference))


def requests_matching(queryset, query: str):
    """The requests about a child holding every word of ``query`` in their name or pupil number, or having the
    submission ``query`` is the reference of (child_records_matching for a list of requests). One query."""
    every_word = _child_details_holding_every_word(query, child="child__")
    if every_word is None:
        return queryset
    by_reference = _submissions_with_reference(query).values("request_id")
    return queryset.filter(every_word | Q(pk__in=by_reference))


def open_request_like(*, child, form_version, account):
    """The open request, if any, that already asks ``account``'s organisation (any of its team accounts) for the
    form of ``form_version`` (any version) about ``child``: sharing it again would ask twice for the same advice. One
    held by an account that cannot sign in (switched off, dormant) is not: nobody can give the advice through it, so
    the form may be shared with another of the organisation's accounts."""
    return (
        AdviceRequest.objects.filter(
            signs_in_q("account__"),
            child=child,
            form_version__definition_id=form_version.definition_id,
            account__organisation_id=account.organisation_id,
            state__in=OPEN_STATES,
        )
        .select_related("form_version", "account")
        .order_by("created_at", "pk")
        .first()
    )


def _does_casework_q() -> Q:
    """Staff who can do casework now: active staff who may change child records (through a group, their own
    permissions, or as superusers). A co-ordinator who no longer can (a caseworker now only a content editor, or
    switched off) counts as no co-ordinator for who is told and who deals with the child."""
    may_change = Q(groups__permissions__codename="change_childrecord") | Q(
        user_permissions__codename="change_childrecord"
    )
    return Q(is_active=True, is_staff=True) & (may_change | Q(is_superuser=True))


def does_casework(user_ref: str) -> Exists:
    """Whether the user at ``user_ref`` (a path from the rows filtered or annotated, e.g. "coordinator_id") can do
    casework now (``_does_casework_q``): a subquery, so a listing costs the same queries whatever it lists."""
    return Exists(User.objects.filter(_does_casework_q(), pk=OuterRef(user_ref)))


def coordinator_does_casework(child) -> bool:
    """Whether ``child`` has a co-ordinator who can still do casework: one query when it has one."""
    if child.coordinator_id is None:
        return False
    return User.objects.filter(_does_casework_q(), pk=child.coordinator_id).exists()


def coordinator_choices(*, keep=None):
    """Who may be a child's EHC co-ordinator: staff who can do casework now (``_does_casework_q``), by name, each with
    ``does_casework``; ``keep`` (a user id) stays listed, so an edit keeps the one recorded even once they no longer
    can (marked so where it is shown)."""
    return (
        User.objects.annotate(does_casework=does_casework("pk"))
        .filter(Q(does_casework=True) | Q(pk=keep))
        .order_by("first_name", "last_name", "email")
    )


def coordinators_to_filter_by():
    """Who a casework listing's "EHC co-ordinator" filter offers: staff who co-ordinate at least one child, by name,
    each with ``does_casework``, so one who no longer can is marked in the menu as in the lists."""
    return (
        User.objects.filter(Exists(ChildRecord.objects.filter(coordinator=OuterRef("pk"))), is_staff=True)
        .annotate(does_casework=does_casework("pk"))
        .order_by("first_name", "last_name", "email")
    )


def school_choices(*, keep=None):
    """The organisations a child may attend: the active schools and settings (not the services that give advice), and
    ``keep`` (an organisation id, the one recorded)."""
    return Organisation.objects.filter(Q(is_active=True, kind__in=SETTING_KINDS) | Q(pk=keep)).order_by("name")


def team_accounts_on_child(child):
    """The team accounts with a request about the child, by name, each with ``sees_child_in_full``: whether one of
    its requests opens the child's record in full (``OPENS_CHILD_IN_FULL``). Those that do are who a caseworker may
    make the child's documents available to; one that sees the child by initials only is never given them."""
    ids = AdviceRequest.objects.filter(child=child).values_list("account_id", flat=True)
    in_full = AdviceRequest.objects.filter(OPENS_CHILD_IN_FULL, child=child, account_id=OuterRef("pk"))
    return (
        User.objects.filter(pk__in=ids)
        .annotate(sees_child_in_full=Exists(in_full))
        .select_related("organisation")
        .order_by("display_name", "email")
    )


def accounts_seeing_child_in_full(child):
    """The team accounts that see the child in full through one of their requests: who may be given its documents."""
    return team_accounts_on_child(child).filter(sees_child_in_full=True)


def accounts_seeing_child_by_initials(child):
    """The team accounts whose every request about the child shows only its initials: never given its documents."""
    return team_accounts_on_child(child).filter(sees_child_in_full=False)


def current_documents_count(child) -> int:
    """How many current documents the child's record holds (submission PDFs and supporting documents alike)."""
    return Document.objects.filter(child=child, state=DocumentState.CURRENT).count()


def documents_for_child(child):
    """Every document of the child, withdrawn and deleted ones too, for the staff's list: its uploader, request,
    submission (with its form version and its return, if returned) and the accounts it was made available to,
    whether it was added after its request's latest submission, whether it went with a submission of its request
    (``sent_with_form``), and for a submission's PDF the newest version of its request (``newest_submission_number``:
    a later one replaced it)."""
    return (
        Document.objects.filter(child=child)
        .select_related("uploaded_by", "advice_request", "submission__form_version", "submission__returned")
        .prefetch_related("available_to")
        .annotate(
            added_after_submission=added_after_submission("uploaded_at", submission__isnull=True),
            sent_with_form=sent_with_form(),
            newest_submission_number=newest_submission_number(),
        )
    )


def outcomes_for_child(child):
    """Every outcome of the child, deleted ones too, with its Team, Type, author and who deleted it (staff list)."""
    return Outcome.objects.filter(child=child).select_related("team", "need_type", "author", "deleted_by")


def contacts_for_child(child):
    """Every professional contact of the child, removed ones too: whose audit history the staff's page shows."""
    return ProfessionalContact.objects.filter(child=child).select_related("team", "added_by")


def contributions_for_child(child):
    """The contributions recorded on any of the child's requests, with the request's account and who saved each."""
    return Contribution.objects.filter(advice_request__child=child).select_related(
        "advice_request__account", "updated_by"
    )


def change_reports_for_child(child):
    """Every reported change to the child's details, dealt with or not, with the account that reported it."""
    return DetailsChangeReport.objects.filter(child=child).select_related("account")


def _about_children_dealt_with_by(queryset, staff, child):
    """``queryset`` (rows whose child is at the lookup ``child``) narrowed to what ``staff`` deals with: the children
    they co-ordinate or that have no co-ordinator who can still do casework (``does_casework``); every row for a
    superuser."""
    if staff.is_superuser:
        return queryset
    return queryset.filter(
        Q(**{f"{child}__coordinator": staff})
        | Q(**{f"{child}__coordinator__isnull": True})
        | ~does_casework(f"{child}__coordinator_id")
    )


def change_reports_waiting(staff):
    """Reported changes to a child's details that no caseworker has dealt with yet, with their child and account,
    that this member of staff deals with (``_about_children_dealt_with_by``), latest first."""
    waiting = DetailsChangeReport.objects.filter(resolved_at__isnull=True).select_related("child", "account")
    return _about_children_dealt_with_by(waiting, staff, "child")


def change_report_place(staff, report_pk: int) -> int | None:
    """How many of ``change_reports_waiting(staff)`` are listed before the waiting report ``report_pk`` (latest first):
    where a link to it finds it in the paged list. None when it is not waiting for them. Two queries."""
    waiting = change_reports_waiting(staff)
    created_at = waiting.filter(pk=report_pk).values_list("created_at", flat=True).first()
    if created_at is None:
        return None
    later = Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=report_pk)
    return waiting.filter(later).count()


def deals_with_child(staff, child) -> bool:
    """Whether ``staff`` deals with ``child`` (``_about_children_dealt_with_by``'s rule for one child already read):
    they co-ordinate it, it has no co-ordinator who can still do casework, or they are a superuser."""
    return staff.is_superuser or child.coordinator_id == staff.pk or not coordinator_does_casework(child)


def change_reports_waiting_for_child(child) -> list:
    """The reported changes to ``child``'s details not yet dealt with, earliest first, as (id, when reported): one
    query, nothing of what was reported."""
    waiting = DetailsChangeReport.objects.filter(child=child, resolved_at__isnull=True)
    return list(waiting.order_by("created_at", "pk").values_list("pk", "created_at"))


def change_reports_waiting_for_request(advice_request) -> list:
    """When the request's own account reported a change to the child's details that the SEND service has not dealt
    with yet, earliest first (through any of its requests about the child): what the request page and the step
    showing the child's details say, so the change is not reported again. Never another account's report, nor what
    was written; one query."""
    waiting = DetailsChangeReport.objects.filter(
        child_id=advice_request.child_id, account_id=advice_request.account_id, resolved_at__isnull=True
    )
    return list(waiting.order_by("created_at", "pk").values_list("created_at", flat=True))


def access_requests_waiting(staff):
    """Requests for access to a document not yet answered that this member of staff deals with
    (``_about_children_dealt_with_by``)."""
    pending = AccessRequest.objects.filter(resolved_at__isnull=True).select_related(
        "document", "document__child", "account"
    )
    return _about_children_dealt_with_by(pending, staff, "document__child")


def access_requests_for_document(document):
    """The team accounts waiting for an answer to their request for access to ``document``, first asked first."""
    return (
        AccessRequest.objects.filter(document=document, resolved_at__isnull=True)
        .select_related("account")
        .order_by("created_at")
    )


def casework_to_do(staff) -> dict:
    """How long each list a caseworker works through is, as it opens for them (the overdue list on the children they
    co-ordinate): the same reads the lists make, counted in one query each whatever their length."""
    return {
        "review": review_queue().count(),
        "overdue": overdue_requests(coordinator=staff).count(),
        "access": access_requests_waiting(staff).count(),
        "changes": change_reports_waiting(staff).count(),
    }


def shareable_accounts():
    """Active team accounts of active organisations, in the order of the names the share form shows: who a request
    may be shared with."""
    return (
        User.objects.filter(
            signs_in_q(),
            is_staff=False,
            is_superuser=False,
            organisation__isnull=False,
            organisation__is_active=True,
        )
        .select_related("organisation")
        .order_by(Lower("display_name"), "email")
    )


# --- The professional's requests (dashboard, request pages) ---

# The dashboard's groups, in the order a professional works through them: advice returned for more information
# first, as it waits on the professional and is often due soonest. The status filter and the counts keep this order.
DASHBOARD_GROUPS = ["returned", "to_do", "in_progress", "submitted", "accepted"]


def requests_for_account(account):
    """The only way a portal view finds a request: another account's id is simply not there (404)."""
    return AdviceRequest.objects.filter(account=account)


def request_for_account(account, pk, *related):
    """The account's own advice request ``pk``, with its child, the child's co-ordinator, its form version and
    ``related``, or 404: another account's id is not found, never forbidden."""
    return get_object_or_404(
        requests_for_account(account).select_related("child", "child__coordinator", "form_version", *related), pk=pk
    )


def requests_by_inbox_link(account, links) -> dict:
    """{link: the account's request it leads to} for those of ``links`` (inbox messages' paths) that lead to one of
    a request's pages (its own, services.requests.request_inbox_link, or one under it such as its documents), with the
    child, in one query: a request that is not the account's (another account's id) is not there."""
    request_ids = {}
    for link in links:
        try:
            match = resolve(urlsplit(link).path)
        except Resolver404:
            continue
        if match.view_name.startswith("portal:request_") and "pk" in match.kwargs:
            request_ids[link] = match.kwargs["pk"]
    if not request_ids:
        return {}
    found = (
        requests_for_account(account)
        .select_related("child")
        .only("shows_child_name", "child__first_name", "child__last_name")
        .in_bulk(set(request_ids.values()))
    )
    return {link: found[pk] for link, pk in request_ids.items() if pk in found}


def _dashboard_rank():

    return Case(
        *[When(state=state, then=Value(i)) for i, state in enumerate(DASHBOARD_GROUPS)],
        default=Value(len(DASHBOARD_GROUPS)),
        output_field=IntegerField(),
    )


def dashboard_matches(account, *, search="", state=""):
    """The account's requests that the dashboard's search and status filter keep: always within
    ``requests_for_account``, so a search never reaches another account's child.

    ``search`` finds a child by name, each word in the first or last name in any order ("Ada Quill", "Quill, Ada",
    "Quill"), accents and apostrophes aside (``child_name_holds``, as the staff's search), but only where the request
    shows the child's name: an account that sees initials cannot find the name by guessing it. It also finds a
    submission's reference, whole ("KBC-ERSA-2026-000002") or by its ending digits ("0002"). ``state`` is one of
    DASHBOARD_GROUPS, or "" for every state.
    """
    requests = requests_for_account(account)
    if state:
        requests = requests.filter(state=state)
    search = search.strip()
    if not search:
        return requests
    words = search.replace(",", " ").split()
    # A search of only commas has no word of a name: it matches no name (an empty AND would match every one).
    by_name = Q(shows_child_name=True) if words else Q(pk__in=[])
    for word in words:
        by_name &= child_name_holds(word, child="child__")
    references = Q(reference__iexact=search)
    if search.isdigit():
        references |= Q(reference__endswith=search)
    by_reference = Exists(Submission.objects.filter(references, request=OuterRef("pk")))
    return requests.filter(by_name | Q(by_reference))


def dashboard_requests(requests):
    """``requests`` (a ``dashboard_matches``) in dashboard order (group, then due date), with what a row shows: the
    child, the form's title and version, and the latest submission's reference, in one query."""
    latest_reference = Submission.objects.filter(request=OuterRef("pk")).order_by("-number").values("reference")[:1]
    return (
        requests.select_related("child", "form_version")
        # A row shows the form's title and version: not its published sections, a JSON document per row.
        .defer("form_version__content", "form_version__description")
        .annotate(group_rank=_dashboard_rank(), latest_reference=Subquery(latest_reference))
        .order_by("group_rank", "due_date", "pk")
    )


def dashboard_request_ids(requests):
    """Only the ids of ``requests`` (a ``dashboard_matches``), in dashboard order: a page of these is sorted without
    reading the joined rows.

    Ordering the joined rows (child, form version with its sections) made PostgreSQL read and sort every one
    of an account's requests to show 20: 56 ms with 10,000. Sorting the narrow rows, then joining the 20, is
    the "deferred join" that keeps the dashboard's time flat (docs/performance.md).
    """
    return (
        requests.annotate(group_rank=_dashboard_rank())
        .order_by("group_rank", "due_date", "pk")
        .values_list("pk", flat=True)
    )


def dashboard_rows(requests, page_ids):
    """The requests of one page of ``dashboard_request_ids(requests)``, with what a row shows: one query (a
    subquery)."""
    return list(dashboard_requests(requests).filter(pk__in=page_ids))


def request_counts_by_state(requests) -> dict:
    """{state: how many of ``requests`` (an account's, ``requests_for_account`` or narrower) are in it}, one
    query."""
    rows = requests.order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


class TaskState:
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"  # it depends on an answer not given yet
    NOT_NEEDED = "Not needed"  # the answers given mean it is not asked
    CHANGES_NEEDED = "Changes needed"  # the caseworker's return named it, and it has not been saved since


def request_problems(advice_request, builder=None, *, records=None):
    """What stops a submission: (each required question unanswered, or answered with a value that did not pass,
    with the reason; the steps kept with errors that now have none to show, which need saving again). The one rule
    for what is missing: submit, check answers and the task list all read it. Record-backed questions are counted
    from the rows the request shows now (``records``: the caller's ``request_records`` of it, read just before)."""
    if builder is None or builder.version.pk != advice_request.form_version_id:
        builder = FormBuilder.for_version(advice_request.form_version)
    if records is None:
        records = request_records(advice_request)
    missing = builder.missing_required(advice_request.answers, advice_request.raw_steps, records=records)
    with_problems = {m.section_key for m in missing}
    visible = {s.key: s for s in builder.visible_sections(advice_request.answers)}
    unchecked = [visible[key] for key in advice_request.raw_steps if key in visible and key not in with_problems]
    return missing, unchecked


def request_task_list(advice_request, builder, *, missing=None):
    """[(section, state)] for the request page's task list, how many sections are completed and how many rows it
    lists: the one rule for a section's status, which check answers reads too (its list of sections not finished).
    It lists every section of the version, in order, whatever the answers (``task_list_position``: a step's "section
    X of Y" counts the same rows), so the count stays the same as answers show or hide sections. While the request is
    returned, a section the return named (``AdviceRequest.return_sections``) needs changes until it is saved again
    (``completed_sections``, which the return left it out of). A section is completed
    once it was saved (by any button: "Add an outcome" saves the step before leaving it), or sent with a submission
    that was returned (submission_return), with no step kept with errors and nothing in it that stops a submission
    (``request_problems``, check answers' missing list): so a required record-backed question with no rows keeps it in
    progress, as check answers names it missing, and a section check answers finds nothing missing in is never left
    "In progress". A section that its condition hides "Cannot start yet" while the answer it depends on is not given,
    and is "Not needed" once the answers given decide it is not asked. ``missing``: the caller's ``request_problems``
    of the request, read just before."""
    answers = advice_request.answers or {}
    if missing is None:
        missing, _unchecked = request_problems(advice_request, builder)
    with_problems = {m.section_key for m in missing}
    to_change = set(advice_request.return_sections) if advice_request.state == RequestState.RETURNED else set()
    tasks, done = [], 0
    conditions = builder.shown(answers)
    for section in builder.sections():
        if not conditions.section(section):
            waiting = conditions.waiting(section.condition)
            tasks.append((section, TaskState.CANNOT_START if waiting else TaskState.NOT_NEEDED))
            continue
        saved = section.key in advice_request.completed_sections or section.key in advice_request.started_sections
        if section.key in to_change and section.key not in advice_request.completed_sections:
            state = TaskState.CHANGES_NEEDED
        elif saved and section.key not in advice_request.raw_steps and section.key not in with_problems:
            state = TaskState.COMPLETED
            done += 1
        elif (
            section.key in advice_request.started_sections
            or section.key in advice_request.raw_steps
            or section.key in answers
        ):
            state = TaskState.IN_PROGRESS
        else:
            state = TaskState.NOT_STARTED
        tasks.append((section, state))
    return tasks, done, len(tasks)


def task_list_position(builder, section_key) -> tuple[int, int]:
    """(X, Y) of a step's "section X of Y": its place among the task list's rows (every section of the version, as
    ``request_task_list`` lists them) and how many there are, the same whatever the answers."""
    keys = [section.key for section in builder.sections()]
    return keys.index(section_key) + 1, len(keys)


# --- What a request lets its account see of the child (documents, outcomes, contacts) ---


# The one rule for what a request opens of its child, as a filter of requests: its record in full (the name and
# every detail, others' writing, the child's documents) when the SEND service shared the child's name, else only the
# initials. ``opens_others_writing`` reads it of one request.
OPENS_CHILD_IN_FULL = Q(shows_child_name=True)


def opens_others_writing(advice_request) -> bool:
    """``OPENS_CHILD_IN_FULL`` of one request read already: what other team accounts wrote about the child (outcomes,
    contacts, document titles) and the child's documents are shown through a request that opens the child's record
    in full, and through an initials-only request not at all, since they may name the child (the submitted PDFs name
    it in full). An account always sees its own entries."""
    return advice_request.shows_child_name


def added_after_submission(time_field: str, **also):
    """An annotation: written through its request after that request's latest submission (so not part of the
    advice being reviewed; listed as "added after submission")."""
    latest = Submission.objects.filter(request_id=OuterRef("advice_request_id")).order_by("-number")
    return ExpressionWrapper(
        Q(**{f"{time_field}__gt": Subquery(latest.values("submitted_at")[:1])}, **also), output_field=BooleanField()
    )


def documents_for_request(advice_request):
    """The child's current documents as this request shows them, each with ``downloadable`` (the account's own
    upload, or made available to it): what the list, its count, the download and the request for access all read.
    Through an initials-only request (``opens_others_writing``) the account sees the child by initials only, so it is
    given nothing of the child's but its own uploads, whatever a caseworker stored as made available to it: it lists
    its own and the SEND service's documents, and downloads its own. A file answer of a form not sent yet is part of
    its account's draft: no other account sees it, made available or not, until it is sent with the form. Each
    submission's PDF comes with its request's newest version (``newest_submission_number``), so the list says which
    were replaced, in words the staff's list shares (``Document.state_label``), without a query per document; another
    account's replaced PDF is listed only where it was made available to this account: the advice under review is
    the later version, so the earlier one is not offered for a request for access."""
    return _documents_shown(advice_request, in_full=opens_others_writing(advice_request))


def _documents_shown(advice_request, *, in_full: bool):
    account_id = advice_request.account_id
    through = Document.available_to.through
    made_available = (
        Exists(through.objects.filter(document_id=OuterRef("pk"), user_id=account_id))
        if in_full
        else Value(False, output_field=BooleanField())
    )
    documents = (
        Document.objects.filter(child_id=advice_request.child_id, state=DocumentState.CURRENT)
        .annotate(made_available=made_available)
        .annotate(
            downloadable=ExpressionWrapper(
                Q(uploaded_by_id=account_id) | Q(made_available=True), output_field=BooleanField()
            ),
            # Only this request's own: another account's submission is not this account's to be told about.
            added_after_submission=added_after_submission(
                "uploaded_at", submission__isnull=True, advice_request_id=advice_request.pk
            ),
            sent_with_form=sent_with_form(),
            newest_submission_number=newest_submission_number(),
        )
        .select_related("uploaded_by", "advice_request", "submission")
    )
    documents = documents.filter(
        Q(uploaded_by_id=account_id) | ~Q(document_type=FORM_EVIDENCE) | Q(sent_with_form=True),
        Q(submission__isnull=True) | Q(downloadable=True) | Q(newest_submission_number=F("submission__number")),
    )
    if not in_full:
        documents = documents.filter(Q(uploaded_by_id=account_id) | Q(advice_request__isnull=True))
    return documents


def documents_hidden_by_initials(advice_request) -> bool:
    """Whether the request sees the child by initials only and so lists fewer of the child's documents than a request
    opening the record in full would: those other teams added (it lists its own and the SEND service's)."""
    if opens_others_writing(advice_request):
        return False
    shown_in_full = _documents_shown(advice_request, in_full=True)
    return shown_in_full.exclude(uploaded_by_id=advice_request.account_id).filter(advice_request__isnull=False).exists()


def document_for_request(advice_request, pk):
    """A document the request shows (see documents_for_request), or 404: another child's, a withdrawn one, or
    another account's that the request does not open."""
    return get_object_or_404(documents_for_request(advice_request), pk=pk)


def own_upload_for_request(advice_request, pk):
    """A current document the request's account uploaded on the child, with the request it came with, or 404
    (someone else's, or a submission's PDF, which stays with the submission it records)."""
    return get_object_or_404(
        Document.objects.select_related("advice_request"),
        pk=pk,
        child=advice_request.child,
        uploaded_by_id=advice_request.account_id,
        state=DocumentState.CURRENT,
        submission__isnull=True,
    )


def access_request_states(account, document_ids) -> dict:
    """The state of the account's latest request for access to each document among ``document_ids`` it asked for
    (AccessRequestState: waiting, granted or refused), by the document's id; one query."""
    latest = AccessRequest.objects.filter(account=account, document__in=list(document_ids)).order_by("created_at", "pk")
    return dict(latest.values_list("document_id", "state"))


def current_outcomes(child, *, through=None):
    """The child's current outcomes, each marked ``added_after_submission`` when written after its request's latest
    submission; ``through`` a request: only that request's own are marked (another account's submission is not this
    account's to be told about)."""
    also = {"advice_request_id": through.pk} if through is not None else {}
    return (
        Outcome.objects.filter(child=child, state=OutcomeState.CURRENT)
        .select_related("team", "need_type", "author", "author__organisation", "advice_request")
        .annotate(added_after_submission=added_after_submission("created_at", **also))
    )


def outcomes_for_request(advice_request):
    """The child's current outcomes as this request shows them: every account's through a full-record request,
    only the account's own through an initials-only one."""
    outcomes = current_outcomes(advice_request.child, through=advice_request)
    if not opens_others_writing(advice_request):
        outcomes = outcomes.filter(author_id=advice_request.account_id)
    return outcomes


def outcomes_hidden_by_initials(advice_request) -> bool:
    """Whether the request sees the child by initials only and so lists none of the outcomes other teams wrote, and
    there are some."""
    if opens_others_writing(advice_request):
        return False
    return current_outcomes(advice_request.child).exclude(author_id=advice_request.account_id).exists()


def own_outcome_for_request(advice_request, pk):
    """A current outcome the request's account wrote on the child, with its Team, Type and request, or 404 (someone
    else's is not found)."""
    return get_object_or_404(
        Outcome.objects.select_related("team", "need_type", "advice_request"),
        pk=pk,
        child=advice_request.child,
        author_id=advice_request.account_id,
        state=OutcomeState.CURRENT,
    )


# The Teams a team account's organisation may be, by its kind (portal_pages.OrganisationKind) and the Teams' codes as
# casework_setup seeds them: a kind with several (a health service, OT or physiotherapy) or none names no one Team.
ORGANISATION_KIND_TEAMS = {
    "educational_psychology": ("EP",),
    "speech_and_language": ("SLT",),
    "ot_physiotherapy": ("OT", "Physio"),
    "social_care": ("Social Care",),
    "health": ("CDT", "CAMHS", "CTPLD", "Nursing", "HI", "VI"),
    "school": ("Schools",),
    "early_years": ("Schools",),
    "post_16": ("Schools",),
}


def account_team(account):
    """The account's own Team, which the outcome and contact forms start with (the professional may change it): the
    one active Team its organisation's kind names, or None when it names none of the list or several."""
    organisation = getattr(account, "organisation", None)
    codes = ORGANISATION_KIND_TEAMS.get(organisation.kind if organisation is not None else "", ())
    teams = list(Team.objects.filter(active=True, code__in=codes)[:2]) if codes else []
    return teams[0] if len(teams) == 1 else None


def outcomes_named(outcomes) -> list:
    """The outcomes (in the Types' order, as ``outcomes_for_request`` gives them), each with ``hidden_name``: the one
    rule for what a Change or Delete beside it says to a screen reader, on the Outcomes page and in a form's step
    alike, "outcome 2 under Social, emotional and mental health" (numbered within its Type, as the page groups it)."""
    outcomes = list(outcomes)
    for _need_type, items in groupby(outcomes, key=lambda o: o.need_type_id):
        for number, outcome in enumerate(items, start=1):
            outcome.hidden_name = f"outcome {number} under {outcome.need_type.display_name}"
    return outcomes


def outcomes_by_type(advice_request):
    """[(Type, [outcomes])] of the outcomes this request shows, in the Types' order, each ``outcomes_named``."""
    return [
        (need_type, list(items))
        for need_type, items in groupby(outcomes_named(outcomes_for_request(advice_request)), key=lambda o: o.need_type)
    ]


def outcomes_for_pdf(child, *, advice_request=None):
    """[(Type, [(Team, [outcomes])])] for a PDF: grouped by Type, then Team. Only the outcomes written on
    ``advice_request`` when it is given (e.g. a submission's PDF), else the child's (for staff)."""
    if advice_request is not None:
        outcomes = outcomes_for_request(advice_request).filter(advice_request=advice_request)
    else:
        outcomes = current_outcomes(child)
    grouped = []
    for need_type, by_type in groupby(outcomes, key=lambda o: o.need_type):
        teams = sorted(
            ((team, list(items)) for team, items in groupby(by_type, key=lambda o: o.team)),
            key=lambda pair: (pair[0].sort_order, pair[0].code),
        )
        grouped.append((need_type, teams))
    return grouped


def current_contacts(child):
    return ProfessionalContact.objects.filter(child=child, state=ContactState.CURRENT).select_related(
        "team", "added_by"
    )


def contacts_for_request(advice_request):
    """The child's current professional contacts as this request shows them: every account's through a
    full-record request, only the account's own through an initials-only one."""
    contacts = current_contacts(advice_request.child)
    if not opens_others_writing(advice_request):
        contacts = contacts.filter(added_by_id=advice_request.account_id)
    return contacts


def own_contact_for_request(advice_request, pk):
    """A current professional contact the request's account added on the child, or 404 (someone else's is not
    found)."""
    return get_object_or_404(
        ProfessionalContact,
        pk=pk,
        child=advice_request.child,
        added_by_id=advice_request.account_id,
        state=ContactState.CURRENT,
    )


def contribution_for_request(advice_request):
    """The parent or carer's contribution recorded on this request, or None."""
    return Contribution.objects.filter(advice_request=advice_request).first()


def request_extras_counts(advice_request):
    """The counts the request page shows beside the links to documents, outcomes and contacts: of what the
    request shows, so a count never reveals entries the pages do not list."""
    return {
        "documents": documents_for_request(advice_request).count(),
        "outcomes": outcomes_for_request(advice_request).count(),
        "contacts": contacts_for_request(advice_request).count(),
    }


def submissions_today_count() -> int:
    """Submissions made since midnight (the portal's time zone), for the operators' metrics."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Submission.objects.filter(submitted_at__gte=midnight).count()


# --- The record-backed questions' rows, live for a draft and frozen with a submission ---

NOT_SHARED = "Not shared with your team"


def child_record_details(child) -> dict:
    """The child's details in words, as the child record holds them now: what a request that shows the name opens,
    and what the SEND service's own screens read (staff see every child)."""
    return {
        "name": child.full_name,
        "date_of_birth": govuk_date(child.date_of_birth),
        "address": child.address or "Not given",
        "school": str(child.school) if child.school_id else "Not given",
        "unique_pupil_number": child.unique_pupil_number or "Not given",
    }


def child_details_for_request(advice_request) -> dict:
    """The child's details as this request opens them, in words: only the initials (and nothing else, with
    ``initials_only`` set) unless the SEND service chose to show the name. Read-only to professionals; a change is
    reported, never typed."""
    if not advice_request.shows_child_name:
        hidden = dict.fromkeys(("date_of_birth", "address", "school", "unique_pupil_number"), NOT_SHARED)
        return {"name": advice_request.child_display_name, **hidden, "initials_only": True}
    return child_record_details(advice_request.child)


def child_details_rows(advice_request) -> list[tuple[str, str]]:
    """What this account may see of the child, as (label, words) rows: the request page, Report a change and the
    contribution page show the same. ``child_details_for_request``, with the parent or carer's when the request opens
    the record in full; the initials alone otherwise."""
    details = child_details_for_request(advice_request)
    if details.get("initials_only"):
        return [("Initials", details["name"])]
    child = advice_request.child
    return [
        ("Name", details["name"]),
        ("Date of birth", details["date_of_birth"]),
        ("Unique pupil number", details["unique_pupil_number"]),
        ("Address", details["address"]),
        ("School or setting", details["school"]),
        ("Parent or carer", child.parent_carer_name or "Not given"),
        ("Parent or carer's contact details", child.parent_carer_contact or "Not given"),
    ]


def records_for_staff(records, child):
    """A submission's frozen ``records`` as the SEND service reads them (its review page, the PDF staff download):
    where the team account saw the child by initials only, the child's details are the child record's now, marked
    ``seen_as`` with the initials the team saw. The submission itself keeps no more of the child than its team saw,
    and the team's own copy (its download, preview and inbox) stays initials only."""
    frozen = (records or {}).get("child") or {}
    if not frozen.get("initials_only"):
        return records
    return {**records, "child": {**child_record_details(child), "seen_as": frozen.get("name") or child.initials}}


def _outcome_row(outcome, account_id, advice_request):
    return {
        "pk": outcome.pk,
        "own": outcome.author_id == account_id and outcome.advice_request.takes_supporting,
        "hidden_name": outcome.hidden_name,
        "this_request": outcome.advice_request_id == advice_request.pk,
        "type": outcome.need_type.display_name,
        "team": outcome.team.display_name,
        "outcome": outcome.outcome,
        "provision": outcome.provision,
        "timescale": outcome.timescale,
        "author": str(outcome.author),
        "written_by": f"{outcome.author}, {govuk_date(outcome.created_at)}",
        "written_on": timezone.localdate(outcome.created_at).isoformat(),
    }


def _contact_row(contact, account_id):
    return {
        "pk": contact.pk,
        "own": contact.added_by_id == account_id,
        **{name: getattr(contact, name) for name in ("name", "role", "organisation", "email", "phone")},
        "team": contact.team.display_name,
    }


def _contribution_row(contribution):
    if contribution is None:
        return {}
    interpreter = "No"
    if contribution.interpreter_needed:
        interpreter = f"Yes: {contribution.interpreter_language}" if contribution.interpreter_language else "Yes"
    return {
        "contribution_methods": ", ".join(contribution.contribution_labels()),
        "communication_methods": ", ".join(contribution.communication_labels()),
        "interpreter": interpreter,
        "parent_views": contribution.parent_views,
    }


def request_records(advice_request) -> dict:
    """What the record-backed questions of this request show, as plain words (FormBuilder's `records`): the child's
    details, the outcomes and contacts the request's pages list (same rows, same order: Type, then Team) and the
    contribution. Rows carry ``pk`` and ``own`` (this account may change it) for the step's links; a submission
    keeps ``records_frozen`` of it."""
    account_id = advice_request.account_id
    return {
        "child": child_details_for_request(advice_request),
        "outcomes": [
            _outcome_row(o, account_id, advice_request) for o in outcomes_named(outcomes_for_request(advice_request))
        ],
        "contacts": [_contact_row(c, account_id) for c in contacts_for_request(advice_request)],
        "contribution": _contribution_row(contribution_for_request(advice_request)),
    }


def records_frozen(records: dict) -> dict:
    """`records` without what only the live step needs (row ids, who may change them, the names of their buttons): the
    copy a submission keeps."""
    strip = {"pk", "own", "hidden_name"}
    return {
        name: [{k: v for k, v in row.items() if k not in strip} for row in value] if isinstance(value, list) else value
        for name, value in records.items()
    }


def child_fields_digest(child) -> str:
    """A digest of the child's own fields (names, date of birth, pupil number, address, the school by id): frozen with
    a submission, it tells the review page whether the record changed since (``submission_records``) where the words
    the answers show would change with a school's rename, the request's choice to show the name, or the wording of
    a date. A digest, so the submission keeps no more of the child than its answers show."""
    fields = [
        child.first_name,
        child.last_name,
        child.date_of_birth.isoformat(),
        child.unique_pupil_number,
        child.address,
        child.school_id,
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


# The key of ``child_fields_digest`` in what a submission freezes.
CHILD_FIELDS = "child_fields"


def submission_records(advice_request, *, records=None) -> dict:
    """What a submission freezes: ``records_frozen`` of what its questions show (``records``: the caller's
    ``request_records`` of it, read just before), and ``child_fields_digest``."""
    if records is None:
        records = request_records(advice_request)
    return {**records_frozen(records), CHILD_FIELDS: child_fields_digest(advice_request.child)}


_UNDER_REVIEW_OR_ACCEPTED = frozenset({RequestState.SUBMITTED, RequestState.ACCEPTED})


def return_section_titles(submission_return) -> list[str]:
    """The titles of the sections a return named as needing changes, as the returned version titled them, in the
    form's order ([]: none named, the whole form; or no return)."""
    if submission_return is None or not submission_return.sections:
        return []
    named = set(submission_return.sections)
    builder = FormBuilder.for_version(submission_return.submission.form_version)
    return [section.title for section in builder.sections() if section.key in named]


def submission_history(advice_request) -> list[dict]:
    """Each submitted version, newest first, with what became of it: returned (when, and the caseworker's words: the
    version's ``SubmissionReturn`` row, the one store of a return), accepted (when: the acceptance's audit entry, as
    an acceptance keeps no row of its own), or being reviewed. Every version but the latest was returned, and so was
    the latest while the request is back with the account, even where no row kept the words. ``sections``: the titles
    of the sections the return named (``return_section_titles``; [] for the whole form). ``pdf_removed``: a
    caseworker deleted the version's filed PDF, so there is nothing to download. ``pdf_size``: the filed PDF's size in
    words ("38 KB") for its download link; "" until the filing task has run (the PDF is made on its first download)."""
    state = advice_request.state
    accepted = None
    if state == RequestState.ACCEPTED:
        accepted = (
            AuditEntry.objects.filter(
                target_type__app_label="advice_forms",
                target_type__model="advicerequest",
                target_id=str(advice_request.pk),
                action=CaseworkEvent.REQUEST_ACCEPTED,
            )
            .order_by("created_at", "pk")
            .last()
        )
    submissions = list(
        advice_request.submissions.select_related("document", "returned", "form_version").order_by("number")
    )
    history = []
    for submission in submissions:
        document = getattr(submission, "document", None)  # none until the filing task has run
        returned = getattr(submission, "returned", None)  # the reverse one-to-one raises when there is none
        row = {"submission": submission, "outcome": "Being reviewed", "reason": "", "sections": [], "decided_at": None}
        row["pdf_removed"] = document is not None and not document.is_current
        row["pdf_size"] = document.size_display if document is not None and document.is_current else ""
        if returned is not None or submission is not submissions[-1] or state not in _UNDER_REVIEW_OR_ACCEPTED:
            row["outcome"] = "Returned for more information"
            if returned is not None:
                row.update(
                    reason=returned.reason, sections=return_section_titles(returned), decided_at=returned.returned_at
                )
        elif state == RequestState.ACCEPTED:
            row.update(outcome="Accepted", decided_at=accepted.created_at if accepted else None)
        history.append(row)
    return history[::-1]


def submission_replaced(submission):
    """The earlier version a submission replaces (one returned for more information), or None for the first: each
    submission has a reference of its own, so the receipt and the confirmation page name the one it replaces."""
    return submission.request.submissions.filter(number__lt=submission.number).order_by("-number").first()
