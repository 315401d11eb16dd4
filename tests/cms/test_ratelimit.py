"""The counter of a limit on something stored (cms.ratelimit.rate_limit_take): counted before the write, so requests
in flight at once never pass the limit between them; a refused request, and one given back, count for nothing."""

import pytest
from django.core.cache import cache

from cms.ratelimit import rate_limit_take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _take(*values, limit=2):
    return rate_limit_take(scope="test", limits=[(value, limit) for value in values])


def test_five_takes_in_flight_against_a_limit_of_two_take_two():
    taken = [_take("192.0.2.7") for _ in range(5)]

    assert [counts is not None for counts in taken] == [True, True, False, False, False]


def test_counts_given_back_free_their_place_and_a_refusal_takes_none():
    first, _second = _take("192.0.2.7"), _take("192.0.2.7")
    assert _take("192.0.2.7") is None

    first.give_back()

    assert _take("192.0.2.7") is not None
    assert _take("192.0.2.7") is None, "the refusals before counted for nothing, the give-back for one"


def test_a_request_over_one_limit_takes_nothing_from_the_others():
    assert _take("full", limit=1) is not None

    assert _take("full", "other", limit=1) is None
    assert _take("other", limit=1) is not None, "the refused request gave back what it took from 'other'"


def test_an_empty_value_is_not_counted_and_nothing_is_refused():
    counts = _take("", limit=0)

    assert counts is not None and counts.keys == ()
    counts.give_back()
