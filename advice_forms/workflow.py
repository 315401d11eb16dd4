"""The advice request's workflow: one table of its states, the actions that move it between them, and who may take
each (the request's team account, a SEND caseworker, or the portal itself).

Services ask this table before they change a request (``request_transition`` in services/requests.py checks and
moves the state; ``transition_check`` and ``allows`` answer without writing), and views ask it which buttons to
show, so a state, a transition or who may make it is changed here and nowhere else. It imports only the list of
audit events, so models and services alike may read it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models

from advice_forms.events import CaseworkEvent


class RequestState(models.TextChoices):
    """The one state of an advice request; TRANSITIONS below says how it changes."""

    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for more information"
    ACCEPTED = "accepted", "Accepted"


class Action(models.TextChoices):
    SHARE = "share", "Share a form with a team account"
    START = "start", "Start the form"
    EDIT = "edit", "Change the draft and what hangs on the request"
    SUBMIT = "submit", "Submit (or submit again after a return)"
    ACCEPT = "accept", "Accept the advice"
    RETURN = "return", "Return for more information"
    REMIND = "remind", "Remind the team account of its due date"
    REMIND_NOW = "remind_now", "Send the team account a reminder now"
    CHANGE_DUE_DATE = "change_due_date", "Change the due date"
    ADD_SUPPORTING = "add_supporting", "Add supporting documents and outcomes"


class Actor(models.TextChoices):
    ACCOUNT = "account", "The request's team account"
    CASEWORKER = "caseworker", "A SEND caseworker"
    SYSTEM = "system", "The portal itself (a scheduled task)"


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which states an action may be taken, the state it leads to (None: the request
    stays where it is), who may take it, the permission a caseworker needs for it, and the audit event it writes
    (None for an action that moves nothing: its service audits what it writes, if anything)."""

    sources: frozenset
    target: str | None
    by: str
    permission: str = ""
    event: str | None = None
    # How a refusal names the action: "… so it cannot be accepted"; default "moved to “<target>”".
    refused_as: str = ""

    @property
    def refusal_verb(self) -> str:
        return self.refused_as or f"moved to “{RequestState(self.target).label}”"


_WITH_THE_ACCOUNT = frozenset({RequestState.TO_DO, RequestState.IN_PROGRESS, RequestState.RETURNED})
_BY_A_CASEWORKER = {"by": Actor.CASEWORKER, "permission": "advice_forms.change_advicerequest"}

# SHARE has no source state: it makes the request.
TRANSITIONS = {
    Action.SHARE: Transition(
        sources=frozenset(),
        target=RequestState.TO_DO,
        by=Actor.CASEWORKER,
        permission="advice_forms.add_advicerequest",
        event=CaseworkEvent.REQUEST_SHARED,
        refused_as="shared",
    ),
    Action.START: Transition(
        sources=frozenset({RequestState.TO_DO}),
        target=RequestState.IN_PROGRESS,
        by=Actor.ACCOUNT,
        event=CaseworkEvent.REQUEST_STARTED,
    ),
    Action.EDIT: Transition(sources=_WITH_THE_ACCOUNT, target=None, by=Actor.ACCOUNT, refused_as="changed"),
    Action.SUBMIT: Transition(
        sources=_WITH_THE_ACCOUNT,
        target=RequestState.SUBMITTED,
        by=Actor.ACCOUNT,
        event=CaseworkEvent.REQUEST_SUBMITTED,
        refused_as="submitted",
    ),
    Action.ACCEPT: Transition(
        sources=frozenset({RequestState.SUBMITTED}),
        target=RequestState.ACCEPTED,
        by=Actor.CASEWORKER,
        permission="advice_forms.change_advicerequest",
        event=CaseworkEvent.REQUEST_ACCEPTED,
        refused_as="accepted",
    ),
    Action.RETURN: Transition(
        sources=frozenset({RequestState.SUBMITTED}),
        target=RequestState.RETURNED,
        by=Actor.CASEWORKER,
        permission="advice_forms.change_advicerequest",
        event=CaseworkEvent.REQUEST_RETURNED,
        refused_as="returned",
    ),
    Action.REMIND: Transition(sources=_WITH_THE_ACCOUNT, target=None, by=Actor.SYSTEM, refused_as="reminded"),
    # A co-ordinator chasing advice that is still with the team account (the overdue list offers both).
    Action.REMIND_NOW: Transition(_WITH_THE_ACCOUNT, None, refused_as="reminded", **_BY_A_CASEWORKER),
    Action.CHANGE_DUE_DATE: Transition(_WITH_THE_ACCOUNT, None, refused_as="given a new due date", **_BY_A_CASEWORKER),
    # Supporting documents and outcomes may still come while the advice is reviewed: only acceptance closes them.
    Action.ADD_SUPPORTING: Transition(
        sources=_WITH_THE_ACCOUNT | {RequestState.SUBMITTED},
        target=None,
        by=Actor.ACCOUNT,
        refused_as="given new documents or outcomes",
    ),
}


def states_allowing(action: str) -> tuple:
    """The states from which ``action`` may be taken, in the order RequestState lists them (for queries)."""
    return tuple(state for state in RequestState if state in TRANSITIONS[action].sources)


# A request is open while the table lets anyone still act on it; accepted advice is finished.
OPEN_STATES = tuple(state for state in RequestState if any(state in row.sources for row in TRANSITIONS.values()))

# A professional may change the draft, and what hangs on the request, only in these states.
EDITABLE_STATES = states_allowing(Action.EDIT)
# Its supporting documents and outcomes may be added or changed in these (until the advice is accepted).
SUPPORTING_STATES = states_allowing(Action.ADD_SUPPORTING)


class TransitionNotAllowed(Exception):
    """A request was asked to move from a state that does not allow it; the message says so in plain words."""


class RequestNotEditable(Exception):
    """The request is submitted or accepted: its draft cannot change."""


class NotEditable(Exception):
    """The request is submitted or accepted, so what hangs on it is fixed; a caseworker may still change it."""


def actor_may(transition: Transition, *, actor, account_id) -> bool:
    """Whether ``actor`` (a user, or None for the portal itself) is who ``transition`` names, for a request whose
    team account is ``account_id``."""
    if transition.by == Actor.SYSTEM:
        return actor is None
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if transition.by == Actor.ACCOUNT:
        return actor.pk == account_id
    return actor.is_active and actor.has_perm(transition.permission)


def state_allows(action: str, state) -> bool:
    """Whether the table lets ``action`` be taken from ``state`` (None: a request not made yet)."""
    return state in TRANSITIONS[action].sources if state is not None else not TRANSITIONS[action].sources


def allows(action: str, *, state, actor, account_id) -> bool:
    """Whether ``actor`` may take ``action`` on a request in ``state`` whose team account is ``account_id``."""
    transition = TRANSITIONS[action]
    return state_allows(action, state) and actor_may(transition, actor=actor, account_id=account_id)


def actor_check(action: str, *, actor, account_id) -> None:
    """Raise PermissionDenied unless ``actor`` is who the table names for ``action`` on a request whose team account
    is ``account_id``. Views check first, so this refuses only what no screen offers."""
    transition = TRANSITIONS[action]
    if not actor_may(transition, actor=actor, account_id=account_id):
        raise PermissionDenied(f"{Actor(transition.by).label} alone may {Action(action).label.lower()}.")


def transition_check(action: str, *, state, actor, account_id) -> Transition:
    """The table's row for ``action``, if ``actor`` may take it from ``state``.

    Raises TransitionNotAllowed (its message fit to show) when the state does not allow it, and PermissionDenied
    when the actor is not who the table names.
    """
    transition = TRANSITIONS[action]
    if not state_allows(action, state):
        where = f"“{RequestState(state).label}”" if state is not None else "not shared yet"
        raise TransitionNotAllowed(f"This request is {where}, so it cannot be {transition.refusal_verb}.")
    actor_check(action, actor=actor, account_id=account_id)
    return transition
