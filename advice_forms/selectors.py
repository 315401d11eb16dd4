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
