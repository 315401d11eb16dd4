"""Reads the advice loop and the admin need: published forms, their versions and how much each is used."""

from django.db.models import OuterRef, Subquery

from advice_forms.models import FormDefinition, FormDefinitionVersion


def published_definitions():
    """Live definitions that have at least one published version, for the "share a request" picker."""
    return FormDefinition.objects.filter(live=True, versions__isnull=False).distinct().order_by("title")


def latest_versions():
    """The newest published version of each live definition: what a new request pins."""
    newest = FormDefinitionVersion.objects.filter(definition=OuterRef("definition")).order_by("-number")
    return (
        FormDefinitionVersion.objects.filter(definition__live=True, number=Subquery(newest.values("number")[:1]))
        .select_related("definition")
        .order_by("title")
    )


def versions_with_request_counts(definition):
    """[(version, requests pinning it)], newest first; counts are 0 until the advice-request model exists."""
    return [(version, version.request_count()) for version in definition.versions.order_by("-number")]


def dropdown_list_in_published_use(dropdown_list):
    """True when any published form version picks its options from this list."""
    for content in FormDefinitionVersion.objects.values_list("content", flat=True).iterator():
        for section in content or []:
            for field in (section.get("value") or {}).get("fields") or []:
                if (field.get("value") or {}).get("dropdown_list") == dropdown_list.pk:
                    return True
    return False


# Other apps register a callable(term) -> int here to say how often a Team or Type is used (e.g. outcomes
# in submitted answers). Reverse foreign keys to Team and NeedType are counted without registering.
TERM_USAGE_COUNTERS = []


def taxonomy_term_usage(term):
    """How many things use a Team or Type: a term in use is deactivated, never deleted."""
    total = 0
    for relation in term._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            total += relation.related_model._base_manager.filter(**{relation.field.name: term}).count()
    for counter in TERM_USAGE_COUNTERS:
        total += counter(term)
    return total


# Casework (staff side): the review queue, the overdue list and the reminders' reads.


def review_queue():
    """Submitted requests waiting for a caseworker, with what the queue shows, in a fixed number of queries."""
    from django.db.models import Max

    from advice_forms.models import AdviceRequest, RequestState

    return (
        AdviceRequest.objects.filter(state=RequestState.SUBMITTED)
        .select_related("child", "child__coordinator", "form_version", "account", "account__organisation")
        .annotate(last_submitted_at=Max("submissions__submitted_at"))
        .order_by("due_date", "pk")
    )


def overdue_requests(*, today=None):
    """Requests still with a team account (to do, in progress, returned) whose due date has passed."""
    from django.utils import timezone

    from advice_forms.models import EDITABLE_STATES, AdviceRequest

    today = today or timezone.localdate()
    return (
        AdviceRequest.objects.filter(state__in=EDITABLE_STATES, due_date__lt=today)
        .select_related("child", "child__coordinator", "form_version", "account", "account__organisation")
        .order_by("due_date", "pk")
    )


def requests_due_soon_unreminded(*, today, soon_by):
    """Editable requests due after today and by ``soon_by`` whose account has not had the due-soon reminder."""
    from advice_forms.models import EDITABLE_STATES, AdviceRequest

    return AdviceRequest.objects.filter(
        state__in=EDITABLE_STATES, due_date__gt=today, due_date__lte=soon_by, reminded_due_soon_at__isnull=True
    ).order_by("pk")


def requests_overdue_unreminded(*, today):
    """Editable requests past their due date whose account has not had the overdue reminder."""
    return overdue_requests(today=today).filter(reminded_overdue_at__isnull=True).order_by("pk")


def requests_for_child(child):
    """Every request about a child, newest first, for the child record's page in the admin."""
    return child.advice_requests.select_related("form_version", "account", "account__organisation").order_by(
        "-created_at", "-pk"
    )


def shareable_accounts():
    """Active team accounts of active organisations: who a request may be shared with."""
    from portal_pages.models import AccountState, User

    return (
        User.objects.filter(
            is_staff=False,
            is_superuser=False,
            is_active=True,
            account_state=AccountState.ACTIVE,
            organisation__isnull=False,
            organisation__is_active=True,
        )
        .select_related("organisation")
        .order_by("organisation__name", "display_name", "email")
    )


# --- The professional's requests (dashboard, request pages) ---

# The dashboard's groups, in the order a professional works through them.
DASHBOARD_GROUPS = ["to_do", "in_progress", "returned", "submitted", "accepted"]


def requests_for_account(account):
    """The only way a portal view finds a request: another account's id is simply not there (404)."""
    from advice_forms.models import AdviceRequest

    return AdviceRequest.objects.filter(account=account)


def _dashboard_rank():
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *[When(state=state, then=Value(i)) for i, state in enumerate(DASHBOARD_GROUPS)],
        default=Value(len(DASHBOARD_GROUPS)),
        output_field=IntegerField(),
    )


def dashboard_requests(account):
    """The account's requests in dashboard order (group, then due date), with what a row shows, in one query."""
    return (
        requests_for_account(account)
        .select_related("child", "form_version")
        # A row shows the form's title and version: not its published sections, a JSON document per row.
        .defer("form_version__content", "form_version__description")
        .annotate(group_rank=_dashboard_rank())
        .order_by("group_rank", "due_date", "pk")
    )


def dashboard_request_ids(account):
    """Only the ids, in dashboard order: a page of these is sorted without reading the joined rows.

    Ordering the joined rows (child, form version with its sections) made PostgreSQL read and sort every one
    of an account's requests to show 20: 56 ms with 10,000. Sorting the narrow rows, then joining the 20, is
    the "deferred join" that keeps the dashboard's time flat (docs/performance.md).
    """
    return (
        requests_for_account(account)
        .annotate(group_rank=_dashboard_rank())
        .order_by("group_rank", "due_date", "pk")
        .values_list("pk", flat=True)
    )


def dashboard_rows(account, page_ids):
    """The requests of one page of ``dashboard_request_ids``, with what a row shows: one query (a subquery)."""
    return list(dashboard_requests(account).filter(pk__in=page_ids))


def request_counts_by_state(account) -> dict:
    """{state: how many of the account's requests are in it}, one query."""
    from django.db.models import Count

    rows = requests_for_account(account).order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


class TaskState:
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


def request_task_list(advice_request, builder):
    """[(section, state)] for the request page's task list, and how many shown sections are completed."""
    answers = advice_request.answers or {}
    tasks, done, shown = [], 0, 0
    for section in builder.sections():
        if not section.visible(answers):
            tasks.append((section, TaskState.CANNOT_START))
            continue
        shown += 1
        if section.key in advice_request.completed_sections and section.key not in advice_request.raw_steps:
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
    return tasks, done, shown
