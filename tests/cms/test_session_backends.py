"""cms/session_backends/: two requests of one browser at once each keep what they changed in the session.

Each test reads one session twice, as two requests at once do at their start, changes each copy as a request would
and saves them in turn; what is stored then is read a third time. Django's own engines are run through the first
test's steps to show what the package is for: when they stop losing the earlier save, the package can go.
"""

import threading
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.sessions import stored_session

pytestmark = pytest.mark.django_db

OURS = ["cms.session_backends.db", "cms.session_backends.cached_db"]
DJANGOS = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


def _signed_in(engine) -> str:
    """A session as a signed-in person's: its idle clock and a value of a page's own; its key."""
    session = stored_session(engine=engine)
    session["portal_last_activity"] = 100.0
    session["kept"] = {"step": "about", "answers": ["one"]}
    session.save()
    return session.session_key


def _two_at_once(engine):
    """The session read by two requests at once, each before the other has saved."""
    key = _signed_in(engine)
    first, second = stored_session(key, engine), stored_session(key, engine)
    for session in (first, second):
        session.get("portal_last_activity")  # as the idle check at the start of each request does
    return key, first, second


@pytest.mark.parametrize("engine", OURS + DJANGOS)
def test_a_message_added_by_a_save_is_kept_when_an_autosave_that_began_first_ends_last(engine):
    """Django's own engines lose it: when they keep it, cms/session_backends/ and SESSION_ENGINE's lines can go."""
    key, autosave, save = _two_at_once(engine)
    save["_messages"] = "[the save's message]"
    save["portal_last_activity"] = 102.0
    save.save()
    autosave["portal_last_activity"] = 101.0
    autosave.save()

    stored = stored_session(key, engine)
    assert stored.get("_messages") == ("[the save's message]" if engine in OURS else None)
    assert stored["portal_last_activity"] == 101.0  # for one key, the request that ends last wins, as before
    assert stored["kept"] == {"step": "about", "answers": ["one"]}


@pytest.mark.parametrize("engine", OURS)
def test_a_message_shown_and_removed_is_not_brought_back_by_a_request_that_read_it_earlier(engine):
    key = _signed_in(engine)
    with_message = stored_session(key, engine)
    with_message["_messages"] = "[shown once]"
    with_message.save()
    preview, page = stored_session(key, engine), stored_session(key, engine)
    for session in (preview, page):
        session.get("portal_last_activity")

    del page["_messages"]  # the page shows it
    page.save()
    preview["portal_last_activity"] = 103.0
    preview.save()

    assert "_messages" not in stored_session(key, engine)


@pytest.mark.parametrize("engine", OURS)
def test_a_value_changed_in_place_is_written(engine):
    """As django-formtools' session storage does: it changes the dict it read, then marks the session modified."""
    key, first, second = _two_at_once(engine)
    first["kept"]["answers"].append("two")
    first.modified = True
    first.save()
    second["other"] = "yes"
    second.save()

    stored = stored_session(key, engine)
    assert stored["kept"] == {"step": "about", "answers": ["one", "two"]}
    assert stored["other"] == "yes"


@pytest.mark.parametrize("engine", OURS)
def test_a_request_s_second_save_writes_only_what_changed_since_its_first(engine):
    key, first, second = _two_at_once(engine)
    first["a"] = 1
    first.save()
    second["b"] = 2
    second.save()
    first["c"] = 3  # first's copy has no "b"; its second save must not remove it
    first.save()

    stored = stored_session(key, engine)
    assert (stored["a"], stored["b"], stored["c"]) == (1, 2, 3)


@pytest.mark.parametrize("engine", OURS)
@pytest.mark.parametrize("meanwhile", ["flush", "cycle_key"])
def test_a_session_signed_out_or_in_again_meanwhile_is_not_made_again(engine, meanwhile):
    """logout() flushes the session; login() and the code step cycle its key: either way its row goes."""
    key, autosave, other_tab = _two_at_once(engine)
    getattr(other_tab, meanwhile)()
    autosave["portal_last_activity"] = 104.0

    with pytest.raises(UpdateError):  # SessionMiddleware answers it with SessionInterrupted, a 400
        autosave.save()
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize("engine", OURS)
def test_a_new_key_at_sign_in_keeps_what_the_request_had_and_what_it_adds(engine):
    key = _signed_in(engine)
    session = stored_session(key, engine)
    session["before"] = "kept"
    session.cycle_key()  # django.contrib.auth.login
    session["after"] = "added"
    session.save()

    assert not Session.objects.filter(session_key=key).exists()
    stored = stored_session(session.session_key, engine)
    assert (stored["before"], stored["after"], stored["portal_last_activity"]) == ("kept", "added", 100.0)


def test_a_save_reads_the_stored_session_locked_then_writes_it():
    key = _signed_in("cms.session_backends.db")
    session = stored_session(key, "cms.session_backends.db")
    session["portal_last_activity"] = 105.0
    with CaptureQueriesContext(connection) as queries:
        session.save()

    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert [statement.split()[0] for statement in statements] == ["SELECT", "UPDATE"]
    # Held until written, so a request saving at the same moment waits (SQLite's writes wait for each other anyway).
    assert statements[0].endswith("FOR UPDATE") is (connection.vendor == "postgresql")


@pytest.mark.parametrize("engine", OURS)
def test_a_session_that_expired_while_a_request_ran_is_saved_as_django_saves_it(engine):
    """Django's save renews a row not yet cleared away: a request that began in time is not refused for ending late."""
    key, first, second = _two_at_once(engine)
    first["a"] = 1
    first.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    second["b"] = 2
    second.save()

    stored = Session.objects.get(session_key=key)
    assert stored.expire_date > timezone.now()
    assert (stored.get_decoded()["a"], stored.get_decoded()["b"]) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_under_way_and_then_keeps_what_it_wrote(monkeypatch):
    """Two saves at the same moment, each in a thread of its own with its own connection: the first holds the stored
    session between reading and writing it, and the second, had it not waited, would have read it before the first
    wrote and written back a copy without the first's change."""
    engine = "cms.session_backends.db"
    key, first, second = _two_at_once(engine)
    first["a"] = 1
    second["b"] = 2
    holding, go_on = threading.Event(), threading.Event()
    mine_over = first._mine_over

    def held(stored):
        holding.set()
        go_on.wait(10)
        return mine_over(stored)

    monkeypatch.setattr(first, "_mine_over", held)
    done = []

    def save(session):
        try:
            session.save()
            done.append(session)
        finally:
            connections.close_all()

    first_thread = threading.Thread(target=save, args=(first,))
    first_thread.start()
    assert holding.wait(10)
    second_thread = threading.Thread(target=save, args=(second,))
    second_thread.start()
    second_thread.join(1)
    assert done == []  # the second waits on the first's lock
    go_on.set()
    first_thread.join(10)
    second_thread.join(10)

    assert done == [first, second]
    stored = stored_session(key, engine)
    assert (stored["a"], stored["b"]) == (1, 2)
