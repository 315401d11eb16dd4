"""Queuing the rendering of a page's printable (the task is faq.tasks.printable_render, the work faq.services').

Its own module because both sides of the models need it: the page models queue it again when a visitor finds a
printable still being prepared, the publish signal queues it for every publish. It imports no model of faq.
"""

from django.core.cache import cache
from django.db import transaction

from cms.services import task_enqueue

# What faq.pdf renders, numbered: a printable stored by an older renderer is stale like one of an older revision (not
# served; rendered again by the next visit's task or printable_render_stale). Add one when the PDFs change in a way
# stored ones must follow. 2: links are whole addresses on WAGTAILADMIN_BASE_URL (1 rendered them relative, "/help/").
# 3: an FAQ's printable ends with the documents the page links to ("Documents on this page"). 4: so does a guide's.
# 5: a link to a page or another site prints its whole address after its words; under the title, the service, the
# page's web address and (now in an FAQ's too) when it was last updated. 6: an address already written as the link's
# words or right after the link is not printed again. 7: every page after the first names the page at its top; a guide's
# step heading reads "1. Sign in" (it read "1Sign in").
PRINTABLE_RENDER_VERSION = 7

# A visitor who finds a printable still being prepared queues its rendering again at most this often (per page and
# revision): a task lost on the way (a broker that was down at publish) is made good, yet visitors cannot keep the
# workers rendering.
PRINTABLE_REQUEUE_SECONDS = 60


def _queued_key(page_id: int, revision_id: int | None) -> str:
    return f"faq:printable-queued:{page_id}:{revision_id}:{PRINTABLE_RENDER_VERSION}"


def printable_queue(*, page_id: int, revision_id: int | None, unless_queued: bool = False) -> bool:
    """Queue the rendering of a page's printable for when the current transaction commits (the worker must find the
    published page). ``unless_queued`` (a visitor's request) queues nothing if the same revision was queued within
    PRINTABLE_REQUEUE_SECONDS; a publish always queues. True when queued."""
    key = _queued_key(page_id, revision_id)
    if unless_queued:
        if not cache.add(key, True, timeout=PRINTABLE_REQUEUE_SECONDS):
            return False
    else:
        cache.set(key, True, timeout=PRINTABLE_REQUEUE_SECONDS)
    transaction.on_commit(
        lambda: task_enqueue("faq.tasks.printable_render", page_id, task_name=f"guidance-printable-{page_id}")
    )
    return True
