"""The one place where django-q2 1.11 is mended: its worker stops cleanly on INT, TERM or HUP, at any moment; and a
task queued before SECRET_KEY was changed is still read.

**Stopping.**

Upstream's ``qcluster`` stops from inside its signal handler (``Cluster.sig_handler``), which fails three ways:

- A TERM to the worker's whole process group (how `make run` is stopped, and how systemd stops a service by default)
  reaches the sentinel and its workers too, and they die at once. If the sentinel dies while it waits on the stop
  event, ``stop_event.set()`` waits for ever for it to wake (multiprocessing's ``Condition.notify`` waits for each
  sleeper), and the worker hangs until it is killed (django-q2/django-q2#346).
- A signal between the handler's installation and the sentinel's start fails in the handler or is lost; one that
  reaches the newly forked sentinel before it resets its own handlers fails there, with a traceback.
- A second signal during the stop (Ctrl-C, then `make run`'s own TERM) runs the handler again inside the first.

``cluster_run`` starts upstream's ``Sentinel`` as upstream's ``Cluster.start`` does, but takes the stop signals
synchronously: they are blocked from its first line and read with ``sigtimedwait`` between looks at the sentinel,
never in a handler. The first one stops the cluster, once; the stop event is set from a thread of its own, so a
sentinel killed by the same signal cannot hold the worker. Every forked child starts with the signal handling the
sentinel gives itself (INT ignored, TERM default) and the signal mask it would have had, before any of its code runs.

``manage.py qcluster`` runs this (cms/management/commands/qcluster.py overrides upstream's command: cms comes before
django_q in INSTALLED_APPS). tests/cms/test_django_q_compat.py signals the real command, and fails when upstream
changes: if upstream's own command stops hanging, this part can go.

**Changing SECRET_KEY.** Upstream signs each queued task with ``SECRET_KEY`` and checks it with its own copy of
Django's signer (``django_q.core_signing``), which compares against that one key and ignores
``SECRET_KEY_FALLBACKS``: after a change of key made as docs/operations.md says, a task queued with the old key was
dropped by the worker ("Failed to push task to queue"), and the admin's queue and /metrics could not read it either.
``apply`` (from cms.apps) makes ``SignedPackage.loads`` check the signature with Django's own ``signing.loads``,
against ``SECRET_KEY`` then, when ``PORTAL_TASKS_ACCEPT_FALLBACK_KEYS`` is on, each fallback; new tasks are still
signed with ``SECRET_KEY`` alone (upstream's ``dumps``). The setting is off by default: a task is unpickled, so
accepting an old key lets anyone holding it (a leaked key, the case a change of key is for) and able to write to the
broker run code on the workers; and nothing is lost without it (the outbox sweep queues emails again, a submission's
PDF is filed on its first download or review, a schedule's next run does its work).
tests/cms/test_django_q_key_rotation.py fails when upstream's ``loads`` changes its arguments or starts honouring the
fallbacks itself: then this part can go, if upstream still lets the fallbacks be refused for tasks.
"""

import os
import signal
import threading
import uuid
from multiprocessing import current_process

from django.conf import settings
from django.core import signing
from django.core.management import CommandError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django_q.cluster import Sentinel, get_mp_context
from django_q.conf import Conf, logger, setproctitle
from django_q.humanhash import humanize
from django_q.signing import PickleSerializer, SignedPackage

UPSTREAM_SIGNED_PACKAGE_LOADS = SignedPackage.loads
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
POLL_SECONDS = 0.1
_mask_for_children = None


def _child_signals():
    """In every forked child, before its own code: what upstream's Sentinel sets for itself and its processes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, _mask_for_children)


def _block_stop_signals():
    global _mask_for_children
    if _mask_for_children is None:
        _mask_for_children = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        os.register_at_fork(after_in_child=_child_signals)
    else:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def cluster_run(*, run_once: bool = False) -> None:
    """Run a django-q2 cluster until INT, TERM or HUP (or, with ``run_once``, until it has started), then stop it.

    Raises CommandError when the cluster ends on its own (its sentinel failed, e.g. the broker did not answer).
    """
    _block_stop_signals()
    cluster_id = uuid.uuid4()
    name = humanize(cluster_id.hex)
    if setproctitle:
        setproctitle.setproctitle(f"qcluster {current_process().name} {name}")
    context = get_mp_context()
    stop_event, start_event = context.Event(), context.Event()
    sentinel = context.Process(
        target=Sentinel,
        name=f"Process-{uuid.uuid4().hex}",
        args=(stop_event, start_event, cluster_id, None, None),
    )
    sentinel.start()
    logger.info(_("Q Cluster %(name)s starting.") % {"name": name})
    while not (signal.sigtimedwait(STOP_SIGNALS, POLL_SECONDS) or (run_once and start_event.is_set())):
        # A signal to the whole group may have killed the sentinel already: it is then pending here too.
        if not sentinel.is_alive() and not signal.sigtimedwait(STOP_SIGNALS, 0):
            raise CommandError(f"Q Cluster {name} ended on its own: its sentinel exited with code {sentinel.exitcode}.")
    logger.info(_("Q Cluster %(name)s stopping.") % {"name": name})
    threading.Thread(target=stop_event.set, name="qcluster-stop", daemon=True).start()
    sentinel.join()
    logger.info(_("Q Cluster %(name)s has stopped.") % {"name": name})


def signed_package_loads(obj):
    """Upstream's ``SignedPackage.loads``, with a signature made with a key of ``SECRET_KEY_FALLBACKS`` accepted too
    when ``PORTAL_TASKS_ACCEPT_FALLBACK_KEYS`` is on (read at each call, as Django's own signer reads the fallbacks)."""
    # Redis gives the package as bytes; Django's signer takes text (upstream's own turns it into text first).
    return signing.loads(
        force_str(obj),
        key=Conf.SECRET_KEY,
        salt=Conf.PREFIX,
        serializer=PickleSerializer,
        fallback_keys=settings.SECRET_KEY_FALLBACKS if settings.PORTAL_TASKS_ACCEPT_FALLBACK_KEYS else [],
    )


def apply():
    SignedPackage.loads = staticmethod(signed_package_loads)
