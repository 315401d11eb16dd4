"""The counter of a limit on something stored (cms.ratelimit.rate_limit_take): counted before the write, so requests
in flight at once never pass the limit between them; a refused request, and one given back, count for nothing."""

import pytest
from django.core.cache import cache

from cms.ratelimit import _key, rate_limit_take

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


def test_a_count_left_without_an_expiry_gets_one_at_the_windows_first_count(monkeypatch):
    """Django's Redis incr and decr ask whether the key exists, then add: a key that expired between the two is made
    again with no expiry, and its value would then count for ever (a reviewer's finding). Such a key is given the
    window again at its first count, and a give-back that leaves nothing to count removes it."""
    key = _key("test", "192.0.2.7")
    touched = []
    monkeypatch.setattr(cache, "touch", lambda key, timeout: touched.append((key, timeout)) or True)
    cache.set(key, 0, timeout=None)  # as Redis's INCRBY leaves a key it made anew

    taken = _take("192.0.2.7")

    assert touched == [(key, 3600)]
    cache.set(key, 0, timeout=None)  # the give-back's DECRBY likewise, after the window ended
    taken.give_back()
    assert key not in cache, "a count of -1 with no expiry would have taken a place from every later window"
