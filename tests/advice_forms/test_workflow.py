"""The advice request's one table of states and transitions (advice_forms.workflow): every (state, action) pair the
table does not list is refused for everyone, every pair it lists is allowed for the actor it names and refused for
every other, and the services that change a request ask the table."""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied

from advice_forms import workflow
from advice_forms.models import AdviceRequest
from advice_forms.services.requests import submission_accept
from advice_forms.workflow import TRANSITIONS, Action, Actor, RequestState, TransitionNotAllowed
from tests.factories.accounts import ProfessionalFactory, StaffUserFactory
from tests.factories.advice_forms import AdviceRequestFactory, submission_make

pytestmark = pytest.mark.django_db

# None is a request not made yet: only sharing starts from there.
STATES = [None, *RequestState]


@pytest.fixture
def actors():
    """One user (or None, the portal itself) of each kind, and which Actor of the table each one is."""
    team_account = ProfessionalFactory()
    caseworker = StaffUserFactory()
    caseworker.groups.add(Group.objects.get(name="SEND caseworker"))
    administrator = StaffUserFactory()
    administrator.groups.add(Group.objects.get(name="Portal administrator"))
    return team_account, {
        "the request's team account": (team_account, Actor.ACCOUNT),
        "another team account": (ProfessionalFactory(), None),
        "a SEND caseworker": (caseworker, Actor.CASEWORKER),
        "a portal administrator": (administrator, None),
        "the portal itself": (None, Actor.SYSTEM),
    }


def test_the_table_names_a_known_state_actor_and_event_in_every_row():
    for action, transition in TRANSITIONS.items():
        assert action in Action.values
        assert transition.sources <= set(RequestState.values)
        assert transition.target is None or transition.target in RequestState.values
        assert transition.by in Actor.values
        assert (transition.by == Actor.CASEWORKER) == bool(transition.permission), action
    assert set(TRANSITIONS) == set(Action)
    assert workflow.EDITABLE_STATES == (RequestState.TO_DO, RequestState.IN_PROGRESS, RequestState.RETURNED)


@pytest.mark.parametrize(
    ("state", "action"),
    [pair for pair in itertools.product(STATES, Action) if not workflow.state_allows(pair[1], pair[0])],
)
def test_a_pair_not_in_the_table_is_refused_for_everyone(actors, state, action):
    team_account, kinds = actors
    for name, (user, _kind) in kinds.items():
        assert not workflow.allows(action, state=state, actor=user, account_id=team_account.pk), name
        with pytest.raises(TransitionNotAllowed, match="so it cannot be"):
            workflow.transition_check(action, state=state, actor=user, account_id=team_account.pk)


@pytest.mark.parametrize(
    ("state", "action"),
    [pair for pair in itertools.product(STATES, Action) if workflow.state_allows(pair[1], pair[0])],
)
def test_a_pair_in_the_table_is_allowed_for_its_actor_and_refused_for_the_others(actors, state, action):
    team_account, kinds = actors
    transition = TRANSITIONS[action]
    for name, (user, kind) in kinds.items():
        allowed = workflow.allows(action, state=state, actor=user, account_id=team_account.pk)
        assert allowed == (kind == transition.by), name
        if allowed:
            assert workflow.transition_check(action, state=state, actor=user, account_id=team_account.pk) is transition
        else:
            with pytest.raises(PermissionDenied):
                workflow.transition_check(action, state=state, actor=user, account_id=team_account.pk)


def test_the_table_holds_the_loop_of_the_advice_request():
    moves = {(tuple(sorted(t.sources)), action, t.target) for action, t in TRANSITIONS.items() if t.target}
    assert moves == {
        ((), Action.SHARE, RequestState.TO_DO),
        ((RequestState.TO_DO,), Action.START, RequestState.IN_PROGRESS),
        (tuple(sorted(workflow.EDITABLE_STATES)), Action.SUBMIT, RequestState.SUBMITTED),
        ((RequestState.SUBMITTED,), Action.ACCEPT, RequestState.ACCEPTED),
        ((RequestState.SUBMITTED,), Action.RETURN, RequestState.RETURNED),
    }


def test_a_service_refuses_what_the_table_refuses_and_leaves_the_state_alone(actors):
    team_account, kinds = actors
    caseworker = kinds["a SEND caseworker"][0]
    advice_request = AdviceRequestFactory(account=team_account)
    submission_make(advice_request, {})

    with pytest.raises(PermissionDenied):
        submission_accept(advice_request=advice_request, actor=team_account)
    assert AdviceRequest.objects.get(pk=advice_request.pk).state == RequestState.SUBMITTED

    submission_accept(advice_request=advice_request, actor=caseworker)
    with pytest.raises(TransitionNotAllowed, match="This request is “Accepted”, so it cannot be accepted."):
        submission_accept(advice_request=advice_request, actor=caseworker)
    assert AdviceRequest.objects.get(pk=advice_request.pk).state == RequestState.ACCEPTED


def test_the_states_an_action_may_start_from_are_listed_in_the_states_order():
    with_the_account = (RequestState.TO_DO, RequestState.IN_PROGRESS, RequestState.RETURNED)
    assert workflow.states_allowing(Action.EDIT) == with_the_account
    assert workflow.states_allowing(Action.ACCEPT) == (RequestState.SUBMITTED,)
    assert workflow.states_allowing(Action.SHARE) == ()


def test_a_request_is_open_until_its_advice_is_accepted():
    open_states = workflow.OPEN_STATES
    assert open_states == (RequestState.TO_DO, RequestState.IN_PROGRESS, RequestState.SUBMITTED, RequestState.RETURNED)


def test_a_refused_actor_is_told_who_may(actors):
    team_account, _ = actors
    with pytest.raises(PermissionDenied) as refused:
        workflow.actor_check(Action.ACCEPT, actor=team_account, account_id=team_account.pk)
    assert str(refused.value) == "A SEND caseworker alone may accept the advice."


def test_an_actor_that_is_not_a_signed_in_user_is_never_who_the_table_names():
    edit = TRANSITIONS[Action.EDIT]
    assert workflow.allows(Action.EDIT, state=RequestState.TO_DO, actor=AnonymousUser(), account_id=None) is False
    assert workflow.actor_may(edit, actor=SimpleNamespace(pk=7), account_id=7) is False


def test_a_request_not_shared_yet_says_so_when_refused(actors):
    team_account, _ = actors
    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition_check(Action.START, state=None, actor=team_account, account_id=team_account.pk)
    assert str(refused.value) == "This request is not shared yet, so it cannot be moved to “In progress”."
    assert workflow.state_allows(Action.SHARE, None) is True
    assert workflow.state_allows(Action.START, None) is False
