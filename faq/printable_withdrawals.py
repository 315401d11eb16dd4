"""Deleting a document or image withdraws the printables that show it or link to it (faq.signals calls this as it is
deleted, in its transaction): the page says "being prepared" until its printable, queued once the deletion commits,
is rendered again without it.

Its own module, beside the printables' rendering (faq.services.printable_render), whose locks it shares: the file's
row first, then the pages' rows by id, so a rendering and a deletion, or two deletions, never wait for each other
in a circle.
"""

from django.db import transaction
from wagtail.models import Page

from cms.page_links import files_existing, files_used, pages_referring_to
from faq.models import GuidancePrintable
from faq.printables import printable_queue


@transaction.atomic
def printables_withdraw_using(*, kind: str, file) -> list[int]:
    """As document or image ``file`` (``kind``) is deleted, withdraw the printable of every page whose live content
    uses it (it shows the picture or links to the document, maybe deleted for showing what it should not), and queue
    its rendering for when this commits. Returns those pages' ids.

    The file's row is locked first: a rendering that locked it before (printable_render) has committed its printable
    when this reads which pages have one, and one that comes to it after waits for the deletion and finds it gone.
    Wagtail's reference index narrows the pages to those referring to the file (a file no page uses costs two queries,
    and a bulk deletion reads a page once: its printable is gone by the next file); each one's stored live content is
    read to confirm (the index also holds what a page refers to in fields other than its content)."""
    files_existing({(kind, file.pk)}, lock=True)
    # The reference index still holds the file's references here, in pre_delete: they go after its row (post_delete).
    candidates = Page.objects.filter(pk__in=pages_referring_to(file), guidance_printable__isnull=False)
    ids = sorted(page.pk for page in candidates.specific() if (kind, file.pk) in files_used(page))
    users = Page.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    users = list(users.values_list("pk", "live", "live_revision_id"))
    GuidancePrintable.objects.filter(page_id__in=ids).delete()
    for page_id, live, revision_id in users:
        if live:
            printable_queue(page_id=page_id, revision_id=revision_id)
    return ids
