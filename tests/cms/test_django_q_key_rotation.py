"""A task queued before SECRET_KEY was changed is still read by the worker when PORTAL_TASKS_ACCEPT_FALLBACK_KEYS is
on, and dropped when it is off, the default (cms/django_q_compat.py).

test_upstream_... fail when django-q2 changes: once its own ``SignedPackage.loads`` honours ``SECRET_KEY_FALLBACKS``,
see whether it can still refuse them for tasks before the mend in cms/django_q_compat.py goes.
"""

import inspect
import queue
import threading

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.pusher import pusher
from django_q.signing import PickleSerializer, SignedPackage
from django_q.tasks import async_task

from cms.django_q_compat import UPSTREAM_SIGNED_PACKAGE_LOADS

OLD_KEY = "old-secret-key-before-the-change"  # noqa: S105
NEW_KEY = "new-secret-key-after-the-change"  # noqa: S105


@pytest.fixture
def use_key(settings, monkeypatch):
    """Start a process (app server or worker) with ``key`` as SECRET_KEY and ``fallbacks``: django-q2 reads the key
    once, as it is imported."""

    def use(key, fallbacks=(), *, accept_fallbacks=False):
        settings.SECRET_KEY = key
        settings.SECRET_KEY_FALLBACKS = list(fallbacks)
        settings.PORTAL_TASKS_ACCEPT_FALLBACK_KEYS = accept_fallbacks
        monkeypatch.setattr(Conf, "SECRET_KEY", key)

    return use


def _worker_takes(broker):
    """What one turn of the worker's pusher takes from the broker and hands to its workers."""
    taken, stop = queue.Queue(), threading.Event()
    stop.set()  # one turn, then stop
    pusher(taken, stop, broker=broker)
    return [taken.get_nowait() for _ in range(taken.qsize())]


def test_a_task_queued_before_the_key_changed_is_taken_by_a_worker_started_after_it_when_told_so(db, use_key):
    """Upstream checked the signature against SECRET_KEY alone: the worker dropped the task ("Failed to push task to
    queue") and the admin's list of queued tasks could not read it. PORTAL_TASKS_ACCEPT_FALLBACK_KEYS=true, for a
    routine change of key, has the fallbacks checked too."""
    broker = get_broker()
    use_key(OLD_KEY)
    async_task("math.floor", 2.5, sync=False, broker=broker)

    use_key(NEW_KEY, fallbacks=[OLD_KEY], accept_fallbacks=True)

    if Conf.ORM:
        assert OrmQ.objects.get().task["func"] == "math.floor"  # the admin's "Queued tasks"
    [task] = _worker_takes(broker)
    assert (task["func"], task["args"]) == ("math.floor", (2.5,))


def test_by_default_a_task_signed_with_a_fallback_key_is_dropped_unread(db, use_key):
    """A task is unpickled: while a leaked old key stays in SECRET_KEY_FALLBACKS (sessions and emailed links still
    need it), anyone holding it and able to write to the broker would otherwise run code on the workers. Nothing is
    lost by default: the outbox sweep queues emails again, and a PDF is filed on its first download or review."""
    assert django_settings.PORTAL_TASKS_ACCEPT_FALLBACK_KEYS is False  # the default, from settings.base
    broker = get_broker()
    use_key(OLD_KEY)
    async_task("os.system", "touch /tmp/owned", sync=False, broker=broker)
    forged = SignedPackage.dumps({"func": "os.system", "args": ("touch /tmp/owned",)})

    use_key(NEW_KEY, fallbacks=[OLD_KEY])  # the setting left as it is by default

    with pytest.raises(signing.BadSignature):
        SignedPackage.loads(forged)
    assert _worker_takes(broker) == []
    use_key(NEW_KEY)
    assert SignedPackage.loads(SignedPackage.dumps({"func": "math.floor"})) == {"func": "math.floor"}


def test_new_tasks_are_signed_with_the_new_key_and_a_key_no_longer_listed_is_refused(db, use_key):
    use_key(NEW_KEY, fallbacks=[OLD_KEY])
    package = SignedPackage.dumps({"func": "math.floor"})
    use_key(OLD_KEY)
    forged = SignedPackage.dumps({"func": "os.system"})

    use_key(NEW_KEY)  # the fallback emptied, once the change is over

    assert signing.loads(package, key=NEW_KEY, salt=Conf.PREFIX, serializer=PickleSerializer, fallback_keys=[]) == {
        "func": "math.floor"
    }
    with pytest.raises(signing.BadSignature):
        SignedPackage.loads(forged)


def test_upstream_loads_still_takes_one_package_and_reads_what_upstream_dumps(use_key):
    """The mend replaces upstream's ``SignedPackage.loads(obj)``: its callers still pass the package alone, and it
    reads a package of upstream's ``dumps``, compressed or not, as text (the database broker) or bytes (Redis), as
    upstream's own does, and refuses what upstream's refuses."""
    assert list(inspect.signature(UPSTREAM_SIGNED_PACKAGE_LOADS).parameters) == ["obj"]
    assert list(inspect.signature(SignedPackage.dumps).parameters) == ["obj", "compressed"]
    use_key(NEW_KEY)
    for compressed in (False, True):
        package = SignedPackage.dumps({"func": "math.floor", "args": (2.5,)}, compressed=compressed)
        for sent in (package, package.encode()):
            assert (
                SignedPackage.loads(sent)
                == UPSTREAM_SIGNED_PACKAGE_LOADS(sent)
                == {"func": "math.floor", "args": (2.5,)}
            )
    for bad in (None, "", "no-signature", package[:-1]):  # a missing cache entry reads as None
        for loads in (SignedPackage.loads, UPSTREAM_SIGNED_PACKAGE_LOADS):
            with pytest.raises(signing.BadSignature):
                loads(bad)


def test_upstream_still_ignores_secret_key_fallbacks(use_key):
    """When this fails, django-q2 honours SECRET_KEY_FALLBACKS itself: ``signed_package_loads`` can go only if
    upstream still lets them be refused for tasks (PORTAL_TASKS_ACCEPT_FALLBACK_KEYS off), as this file's other tests
    check."""
    use_key(OLD_KEY)
    package = SignedPackage.dumps({"func": "math.floor"})
    use_key(NEW_KEY, fallbacks=[OLD_KEY])

    with pytest.raises(signing.BadSignature):
        UPSTREAM_SIGNED_PACKAGE_LOADS(package)
