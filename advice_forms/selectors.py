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
