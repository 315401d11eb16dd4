"""Non-trivial reads of the site core: search over the guidance; guidance pages due for review; the outbox and
the task queue and its schedules, for operators."""

import functools
import re
from datetime import date, datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Failure, OrmQ, Schedule
from django_q.signing import SignedPackage
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search.query import PlainText

from cms.models import EmailNotification, GuidancePage
from cms.promoted_results import promoted_results
from cms.search_spelling import corrected_terms

RESULTS_PER_PAGE = 10
MAX_SEARCH_TERMS = 12
_WORD_RE = re.compile(r"\w+")
# FTS5's operator words, written in capitals; as plain terms they would only narrow the search.
_OPERATOR_WORDS = {"AND", "OR", "NOT", "NEAR"}
# Short forms people search for where guidance spells the words out. Wagtail's database backends know no synonyms
# (Elasticsearch's analysers would), so a query with one also looks for the words written out.
SEARCH_SHORT_FORMS = {"ehcp": "EHC plan", "ehcps": "EHC plans"}


def search_terms(query: str) -> str:
    """The words of a visitor's query, space-separated; quotes, brackets, operator characters and the operator
    words AND, OR, NOT and NEAR are dropped.

    Search syntax (FTS5's quotes, ``*``, ``^``, ``:``, brackets; tsquery's ``&|!:``) never reaches the backend:
    each word is passed as a plain term, so no input can be a syntax error on SQLite or PostgreSQL.
    """
    words = [word for word in _WORD_RE.findall(query) if word not in _OPERATOR_WORDS]
    return " ".join(words[:MAX_SEARCH_TERMS])


def pages_readable_by(user) -> Q:
    """The pages ``user`` may read despite their view restrictions (Wagtail's, on the page or above it), as a filter:
    public pages for anyone; those private to signed-in users, for a user signed in with an authenticator code (as
    portal_pages.access holds private pages to it); those private to groups, for such a user in one of the groups,
    or a superuser. A page behind a shared password never: its password is asked for on the page itself.

    One query reads every restriction with its groups; the user's groups are read only when a groups restriction is
    there to pass."""
    verified = getattr(user, "is_verified", None)
    signed_in = user is not None and user.is_authenticated and verified is not None and verified()
    restrictions = {}  # id: (page path, kind, group ids)
    for pk, path, kind, group in PageViewRestriction.objects.values_list(
        "pk", "page__path", "restriction_type", "groups"
    ):
        restrictions.setdefault(pk, (path, kind, set()))[2].add(group)
    user_groups = None
    readable = Q()
    for path, kind, groups in restrictions.values():
        if signed_in and kind == PageViewRestriction.LOGIN:
            continue
        if signed_in and kind == PageViewRestriction.GROUPS:
            if user.is_superuser:
                continue
            if user_groups is None:
                user_groups = set(user.groups.values_list("pk", flat=True))
            if groups & user_groups:
                continue
        readable &= ~Q(path__startswith=path)
    return readable


def _search_query(terms: str, operator: str = "and"):
    """``terms`` as plain text, or, when they hold a short form, those terms or the same with it written out."""
    written_out = " ".join(SEARCH_SHORT_FORMS.get(word.lower(), word) for word in terms.split())
    query = PlainText(terms, operator=operator)
    return query if written_out == terms else query | PlainText(written_out, operator=operator)


def _found(pages, terms: str, operator: str = "and"):
    return Paginator(pages.search(_search_query(terms, operator=operator)), RESULTS_PER_PAGE)


def guidance_search(*, query: str, page_number=1, user=None):
    """Live pages matching the query's words that ``user`` may read (``pages_readable_by``; public pages alone for
    anyone signed out), best first, each with its section (the parent page's title); whether they hold every word;
    the words searched for instead, when the query's own found nothing ("" when they were the query's); and the
    results editors promote for the query (cms.promoted_results), shown first: on the first page of results, the
    pages they promote are not listed again.

    The pages holding all the words; when none does, those holding all the words of the query corrected
    (cms.search_spelling: "assessments" and "assesment" search for "assessment"); failing that, those holding some of
    the words, best first (a parent's question in their own words, "what if I disagree with the school", finds the
    pages about disagreeing), and then some of the corrected words.

    The database backend uses PostgreSQL's full-text search (with stemming) on PostgreSQL, FTS5 on SQLite (no
    stemming: the index finds "assessment" but not "assessments", so the correction above finds it; an FTS5 table
    made with the porter tokenizer would stem, but it breaks the admin's part-word search, "assessmen" finding
    nothing, so it is not done). A query with no words (only punctuation) finds nothing.
    """
    query = search_terms(query)
    if not query:
        return None, [], True, "", []
    readable = Page.objects.live().exclude(depth=1).filter(pages_readable_by(user))
    pages = readable.specific()
    paginator, all_words, searched = _found(pages, query), True, query
    corrected = corrected_terms(query, readable) if not paginator.count else query
    if corrected != query:
        paginator, searched = _found(pages, corrected), corrected
    if len(query.split()) > 1 and not paginator.count:
        all_words = False
        for terms in dict.fromkeys((query, corrected)):
            paginator, searched = _found(pages, terms, operator="or"), terms
            if paginator.count:
                break
    if not paginator.count:
        searched = query
    page = paginator.get_page(page_number)
    promoted = promoted_results(query, readable) if page.number == 1 else []
    promoted_pages = {promotion.page_id for promotion in promoted}
    hits = [hit for hit in page.object_list if hit.pk not in promoted_pages]
    parent_paths = {hit.path[: -Page.steplen] for hit in hits if hit.depth > 2}
    # A section that is not live names none of its pages: its title is the unpublished page's.
    parents = {p.path: p for p in Page.objects.live().filter(path__in=parent_paths).only("title", "path", "depth")}
    for hit in hits:
        parent = parents.get(hit.path[: -Page.steplen])
        hit.section_title = parent.title if parent and parent.depth > 2 else ""
        hit.snippet = hit.get_search_snippet(searched) if hasattr(hit, "get_search_snippet") else hit.search_description
        match = hit.matching_question(searched) if hasattr(hit, "matching_question") else None
        hit.anchor = match["anchor"] if match else ""
    return page, hits, all_words, "" if searched == query else searched, promoted


def email_outbox_figures() -> tuple[int, float, int]:
    """How many emails are waiting to be sent, the oldest one's age in seconds (0 when none), and how many the portal
    has given up on, ever (rows are kept, so the count only grows): one query, on the state's index."""
    State = EmailNotification.State
    pending = Q(state=State.PENDING)
    outbox = EmailNotification.objects.filter(state__in=[State.PENDING, State.GIVEN_UP]).aggregate(
        count=Count("pk", filter=pending),
        oldest=Min("created_at", filter=pending),
        given_up=Count("pk", filter=Q(state=State.GIVEN_UP)),
    )
    return outbox["count"], _age_seconds(outbox["oldest"]), outbox["given_up"]


# The outbox's states that the admin's "Emails not sent" report lists, in its words and in its filter's order.
EMAIL_NOT_SENT_STATES = {
    EmailNotification.State.PENDING: "Waiting to be sent",
    EmailNotification.State.GIVEN_UP: "Given up",
}


# The app that keeps the accounts names, through this hook, the addresses whose emails a user who is not a superuser
# may be shown on Reports → Emails not sent: ``fn(user)`` gives a queryset of addresses, one column (portal_pages: the
# team accounts', for the portal administrator, who "cannot change any staff account").
EMAILS_NOT_SENT_ADDRESSES_HOOK = "emails_not_sent_addresses"


def emails_shown_to(user):
    """The outbox's emails, in any state, whose address ``user`` may see on Reports → Emails not sent: every one for a
    superuser; for anyone else those to the addresses the ``emails_not_sent_addresses`` hooks give, none without one
    (a staff member's password reset, sent or not, names its address and is a superuser's to see)."""
    emails = EmailNotification.objects.all()
    if user.is_superuser:
        return emails
    addressed = Q(pk__in=[])
    for addresses in hooks.get_hooks(EMAILS_NOT_SENT_ADDRESSES_HOOK):
        addressed |= Q(to__in=addresses(user))
    return emails.filter(addressed)


def emails_not_sent(*, user, state: str = ""):
    """The outbox's emails not sent that ``user`` may see (``emails_shown_to``), pending and given up (one ``state`` of
    them when given), newest first."""
    states = [state] if state in EMAIL_NOT_SENT_STATES else list(EMAIL_NOT_SENT_STATES)
    return emails_shown_to(user).filter(state__in=states).order_by("-created_at", "-pk")


def emails_listed_since(*, user, shown_at: datetime | None):
    """The emails Reports → Emails not sent lists to ``user`` now, and those it could have listed when it was shown at
    ``shown_at`` that have been sent since (made by then, sent after): what "Try again now" on a list shown then may
    name. Any other email (sent before the list was shown, or one ``user`` may not see) is not there."""
    listed = Q(state__in=list(EMAIL_NOT_SENT_STATES))
    if shown_at is not None:
        listed |= Q(state=EmailNotification.State.SENT, created_at__lte=shown_at, sent_at__gt=shown_at)
    return emails_shown_to(user).filter(listed)


# Each app names, through this hook, its background tasks in plain words for Reports → Failed background tasks:
# ``fn()`` gives a dict of a task's function path ("advice_forms.tasks.submission_pdf_file") to its words.
TASK_WORDS_HOOK = "task_words"


def task_words(func: str) -> str:
    """A task's plain name from the ``task_words`` hooks, or its function path when no app names it."""
    for named in hooks.get_hooks(TASK_WORDS_HOOK):
        words = named().get(func)
        if words:
            return words
    return func


def failed_tasks():
    """The background tasks django-q2 keeps as failed (their errors already masked, cms.tasks.failure_error_mask),
    newest first, with what Reports → Failed background tasks shows of them alone."""
    return Failure.objects.only("id", "func", "stopped", "attempt_count", "result").order_by("-stopped", "-pk")


def email_send_task_name(notification_id: int) -> str:
    """The name of the task that sends an outbox row (cms.services.email_notification_enqueue): its failures, kept by
    django-q2, bear it."""
    return f"email-notification-{notification_id}"


def emails_last_errors(notification_ids) -> dict:
    """The error of each email's newest failed try, by its id (none for an email with no failure kept), in one read
    however many: django-q2 keeps it, with every address masked (cms.tasks.failure_error_mask), and only the newest
    for each email (cms.tasks.failures_replace)."""
    by_name = {email_send_task_name(pk): pk for pk in notification_ids}
    failures = (
        Failure.objects.filter(func="cms.tasks.email_notification_send", name__in=by_name)
        .order_by("-stopped", "-pk")
        .values_list("name", "result")
    )
    errors = {}
    for name, result in failures:
        errors.setdefault(by_name[name], "" if result is None else str(result))
    return errors


@functools.cache
def _task_broker(orm_alias, redis_address, list_key):
    # One broker (and one Redis connection pool) per process, rebuilt only if the queue's configuration changes.
    return get_broker(list_key)


def task_broker():
    """django-q2's broker for the portal's queue (Redis, or the database's OrmQ table)."""
    return _task_broker(Conf.ORM, str(Conf.REDIS), Conf.CLUSTER_NAME)


def task_queue_pending() -> tuple[int, float]:
    """How many tasks wait in the queue, and the oldest one's age in seconds (0 when none).

    On the database broker a task's ``lock`` is when it was queued (or when its retry fell due); on Redis the
    oldest task is the list's head, and its signed package says when it was queued.
    """
    broker = task_broker()
    size = broker.queue_size()
    if not size:
        return 0, 0.0
    if Conf.ORM:
        oldest = (
            OrmQ.objects.using(Conf.ORM)
            .filter(key=broker.list_key, lock__lte=timezone.now())
            .aggregate(oldest=Min("lock"))["oldest"]
        )
        return size, _age_seconds(oldest)
    head = broker.connection.lindex(broker.list_key, 0)
    if head is None:
        return size, 0.0
    return size, _age_seconds(SignedPackage.loads(head).get("started"))


def schedule_most_overdue() -> tuple[str | None, float]:
    """The schedule whose run is most overdue, and by how many seconds: (None, 0.0) when none is due.

    A running cluster's scheduler looks every 30 seconds and moves each due schedule's next run on, so a schedule
    due for minutes means no worker is running, though the queue is empty because nobody has asked for anything.
    A schedule that will not run again (``repeats`` 0) is never due.
    """
    due = (
        Schedule.objects.exclude(repeats=0)
        .filter(next_run__lt=timezone.now())
        .order_by("next_run")
        .values_list("name", "next_run")
        .first()
    )
    if due is None:
        return None, 0.0
    name, next_run = due
    return name, _age_seconds(next_run)


def _age_seconds(moment: datetime | None) -> float:
    return max((timezone.now() - moment).total_seconds(), 0.0) if moment else 0.0


REVIEW_SOON_DAYS = 28


def guidance_page_models():
    """Every page model that is guidance (has an owner, a review date and a change history)."""
    return [model for model in get_page_models() if issubclass(model, GuidancePage)]


def pages_due_for_review(*, today=None, within_days: int = REVIEW_SOON_DAYS, pages=None) -> list:
    """Live guidance pages whose review date is past or within ``within_days`` of ``today``, or that have none,
    soonest first, with their owners. ``pages``, a queryset of Page, narrows them (e.g. to what a user may edit)."""
    today = today or timezone.localdate()
    due = Q(review_by__lte=today + timedelta(days=within_days)) | Q(review_by__isnull=True)
    found = []
    for model in guidance_page_models():
        queryset = model.objects.live().filter(due).select_related("owner_team", "owner_person")
        if pages is not None:
            queryset = queryset.filter(pk__in=pages.values("pk"))
        found.extend(queryset)
    return sorted(found, key=lambda page: (page.review_by or date.min, page.title))


def review_owners(page) -> list:
    """The people a page's review reminder goes to: its owner, or the active members of its owning team."""
    if page.owner_person_id:
        return [page.owner_person] if page.owner_person.is_active and page.owner_person.email else []
    if page.owner_team_id:
        return list(page.owner_team.user_set.filter(is_active=True).exclude(email="").order_by("pk"))
    return []
