"""Reads around the form: a team account's request, and the documents, outcomes and contacts it opens."""

from itertools import groupby

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.shortcuts import get_object_or_404

from portal_pages.models import ContactState, Document, DocumentState, Outcome, OutcomeState, ProfessionalContact


def request_for_account(account, pk):
    """The account's own advice request, or 404: another account's id is not found, never forbidden."""
    from advice_forms.selectors import requests_for_account

    return get_object_or_404(
        requests_for_account(account).select_related("child", "child__coordinator", "form_version"), pk=pk
    )


def documents_for_account(*, child, account):
    """The child's current documents, each with ``downloadable`` (its own upload, or made available to it)."""
    through = Document.available_to.through
    return (
        Document.objects.filter(child=child, state=DocumentState.CURRENT)
        .annotate(
            made_available=Exists(through.objects.filter(document_id=OuterRef("pk"), user_id=account.pk)),
        )
        .annotate(
            downloadable=ExpressionWrapper(Q(uploaded_by=account) | Q(made_available=True), output_field=BooleanField())
        )
        .select_related("uploaded_by")
    )


def document_for_account(*, child, account, pk):
    """A current document of the request's child, or 404 (another child's document, or a withdrawn one)."""
    return get_object_or_404(documents_for_account(child=child, account=account), pk=pk)


def current_outcomes(child):
    return Outcome.objects.filter(child=child, state=OutcomeState.CURRENT).select_related(
        "team", "need_type", "author", "author__organisation", "advice_request"
    )


def outcomes_by_type(child):
    """[(Type, [outcomes])], in the Types' order."""
    return [
        (need_type, list(items)) for need_type, items in groupby(current_outcomes(child), key=lambda o: o.need_type)
    ]


def outcomes_for_pdf(child, *, advice_request=None):
    """[(Type, [(Team, [outcomes])])] for a PDF: grouped by Type, then Team. Only one request's outcomes when
    ``advice_request`` is given (e.g. a submission's PDF), else the child's."""
    outcomes = current_outcomes(child)
    if advice_request is not None:
        outcomes = outcomes.filter(advice_request=advice_request)
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


def request_extras_counts(advice_request, account):
    """The counts the request page shows beside the links to documents, outcomes and contacts."""
    child = advice_request.child
    return {
        "documents": Document.objects.filter(child=child, state=DocumentState.CURRENT).count(),
        "outcomes": Outcome.objects.filter(child=child, state=OutcomeState.CURRENT).count(),
        "contacts": ProfessionalContact.objects.filter(child=child, state=ContactState.CURRENT).count(),
    }
