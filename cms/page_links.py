"""Links between pages, for deleting and unpublishing safely: who links to a page, and a redirect to take its place;
the broken-links report: pages that link to a page gone or unpublished, or use a document or image deleted; and the
documents and images a page uses (a printable that shows one is withdrawn when it is deleted:
faq.printable_withdrawals), and how many live pages use one (its delete confirmation says so).

Wagtail's reference index (``ReferenceIndex``) records every link a page's content makes to another page (page
choosers in StreamFields, page links in rich text): the confirmations list those pages from it. It forgets the links
to a page once the page is deleted, so the broken-links report reads the pages' stored content instead.
"""

import json
import re
from collections.abc import Sequence

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.admin.widgets import AdminPageChooser
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import ModelLogEntry, Page, ReferenceIndex, Revision, Site

REDIRECT_FIELD = "redirect_to"
_RICH_TEXT_TAG = re.compile(r"<(a|embed)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_CHOOSERS = ((blocks.PageChooserBlock, "page"), (DocumentChooserBlock, "document"), (ImageChooserBlock, "image"))


def pages_linking_to(page) -> list:
    """The other pages whose content links to ``page``, by title."""
    page_type = ContentType.objects.get_for_model(Page)
    source_ids = ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=page_type, to_object_id=str(page.pk)
    ).values_list("object_id", flat=True)
    return list(Page.objects.filter(pk__in=[int(pk) for pk in source_ids]).exclude(pk=page.pk).order_by("title"))


def pages_referring_to(file) -> list[int]:
    """The ids of the pages whose own fields refer to document or image ``file`` (a live page's are its live content),
    from Wagtail's reference index: written as a page is saved, in its transaction, and cleared of a file's
    references only after the file's row is deleted (post_delete)."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(file).filter(base_content_type=page_type).values_list("object_id", flat=True)
    return [int(pk) for pk in set(ids)]


def live_pages_using(file) -> int:
    """How many live pages use document or image ``file``: those that show it to visitors, until it is deleted."""
    return live_pages_using_each([file]).get(file.pk, 0)


def live_pages_using_each(files) -> dict:
    """For each of ``files`` (documents or images) that live pages use, by its pk: how many. One query of Wagtail's
    reference index for them all (the bulk delete confirmation lists many), however many files there are."""
    page_type = ContentType.objects.get_for_model(Page)
    live_ids = Page.objects.live().annotate(id_text=Cast("pk", CharField())).values("id_text")
    references = (
        ReferenceIndex.get_references_to_in_bulk(list(files))
        .filter(base_content_type=page_type, object_id__in=live_ids)
        .values("to_object_id")
        .annotate(pages=Count("object_id", distinct=True))
    )
    return {int(row["to_object_id"]): row["pages"] for row in references}


def _is_sequence(raw):
    # A StreamField's raw data is Wagtail's RawDataView, a sequence but not a list.
    return isinstance(raw, Sequence) and not isinstance(raw, str)


def _rich_text_uses(html):
    """(kind, id) of each page and document a rich text links to and each picture it embeds, in whatever order
    the tag's attributes come."""
    for tag in _RICH_TEXT_TAG.finditer(html or ""):
        attrs = dict(_ATTRIBUTE.findall(tag[2]))
        kind = attrs.get("linktype") if tag[1].lower() == "a" else attrs.get("embedtype")
        if kind in ("page", "document", "image") and attrs.get("id", "").isdecimal():  # int() refuses "²"
            yield kind, int(attrs["id"])


def _block_uses(block, raw):
    """(kind, id) of each page, document and image a block's raw (stored) value uses, kept even when it no longer
    exists."""
    if raw in (None, ""):
        return
    for chooser, kind in _CHOOSERS:
        if isinstance(block, chooser):
            if str(raw).isdecimal():  # "²" passes isdigit(), and int() refuses it
                yield kind, int(raw)
            return
    if isinstance(block, blocks.RichTextBlock):
        yield from _rich_text_uses(str(raw))
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            yield from _block_uses(child, raw.get(name))
    elif isinstance(block, blocks.ListBlock) and _is_sequence(raw):
        for item in raw:
            yield from _block_uses(block.child_block, item.get("value") if isinstance(item, dict) else item)
    elif isinstance(block, blocks.StreamBlock) and _is_sequence(raw):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from _block_uses(child, item.get("value"))


def _content_uses(page, content=None):
    """(field's name in words, kind, id) of everything ``page``'s content uses: its own fields', or, given the stored
    content of one of its revisions, that revision's."""
    for field in page._meta.concrete_fields:
        if not isinstance(field, StreamField | RichTextField):
            continue
        value = getattr(page, field.name) if content is None else content.get(field.name)
        if isinstance(field, StreamField):
            uses = _block_uses(field.stream_block, _stream_raw_data(value))
        else:
            uses = _rich_text_uses(value)
        for kind, pk in uses:
            yield capfirst(field.verbose_name), kind, pk


FILE_KINDS = ("document", "image")


def files_used(page) -> set[tuple[str, int]]:
    """(kind, id) of each document and image that ``page``'s own fields use (a live page's are its live content),
    whether or not it still exists."""
    return {(kind, pk) for _field, kind, pk in _content_uses(page) if kind in FILE_KINDS}


def documents_linked(page) -> list[int]:
    """The ids of the documents ``page``'s own fields link to, field by field in the order the page shows them, each
    once, whether or not it still exists."""
    return list(dict.fromkeys(pk for _field, kind, pk in _content_uses(page) if kind == "document"))


def files_existing(uses, *, lock: bool = False) -> set[tuple[str, int]]:
    """Those of ``uses`` ((kind, id) of documents and images) that still exist. ``lock`` (in a transaction) locks their
    rows until it ends, documents then images, each by id: on PostgreSQL a file's deletion in flight is waited for
    (and the file then counts as gone), and its deletion waits for this transaction."""
    existing = set()
    for kind, model in zip(FILE_KINDS, (get_document_model(), get_image_model()), strict=True):
        ids = {pk for used_kind, pk in uses if used_kind == kind}
        if ids:
            rows = model.objects.filter(pk__in=ids).order_by("pk")
            rows = rows.select_for_update() if lock else rows
            existing |= {(kind, pk) for pk in rows.values_list("pk", flat=True)}
    return existing


def _stream_raw_data(value):
    """A StreamField's blocks as stored: a page's value, or a revision's (JSON text or already a list)."""
    if hasattr(value, "raw_data"):
        return value.raw_data
    if isinstance(value, str):
        return json.loads(value or "[]")
    return value or []


def _page_uses(page, draft_content):
    """What the live page uses and, when it has changes not yet published, what its latest draft uses: the editor
    opens the draft, the public sees the live page, and both need mending."""
    uses = set(_content_uses(page))
    if draft_content is not None:
        uses |= set(_content_uses(page, draft_content))
    return uses


def _drafts_content(pages) -> dict:
    """The stored content of each page's latest draft, by the page's id, for the pages with changes not yet
    published: one query for them all, where opening each draft as a page costs about eight."""
    revision_ids = {page.latest_revision_id: page.pk for page in pages if page.has_unpublished_changes}
    revisions = Revision.objects.filter(pk__in=[pk for pk in revision_ids if pk]).values_list("pk", "content")
    return {revision_ids[pk]: content for pk, content in revisions}


def _deleted_titles(model, ids) -> dict:
    """The titles that deleted documents or images had, by id, from Wagtail's history of their deletion (made
    when they were deleted in the admin)."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).filter(action="wagtail.delete")
    return {int(object_id): label for object_id, label in entries.values_list("object_id", "label")}


def _missing_files(uses_by_page) -> dict:
    """Notes on the documents and images that no longer exist, by (kind, id)."""
    notes = {}
    for kind, model in (("document", get_document_model()), ("image", get_image_model())):
        ids = {pk for uses in uses_by_page for _field, used_kind, pk in uses if used_kind == kind}
        missing = ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        titles = _deleted_titles(model, missing)
        for pk in missing:
            notes[kind, pk] = f"a deleted {kind}, “{titles[pk]}”" if pk in titles else f"a deleted {kind} (id {pk})"
    return notes


def pages_with_broken_links() -> list[dict]:
    """Every page whose content links to a deleted or unpublished page, or uses a document or image that was
    deleted from the library: the page and a note for each.

    Read from each page's stored content (and its latest draft) rather than the reference index, which forgets the
    links to a page as the page is deleted; a chooser's stored id outlives what it chose until an editor saves the
    block again.
    """
    pages = list(Page.objects.filter(depth__gt=1).specific().order_by("title"))
    drafts = _drafts_content(pages)
    uses = {page.pk: _page_uses(page, drafts.get(page.pk)) for page in pages}
    linked = {pk for page_uses in uses.values() for _field, kind, pk in page_uses if kind == "page"}
    live = dict(Page.objects.filter(pk__in=linked).values_list("pk", "live"))
    titles = {page.pk: page.title for page in pages}
    missing_files = _missing_files(uses.values())
    rows = []
    for page in pages:
        notes = set()
        for field, kind, pk in uses[page.pk]:
            if kind == "page" and not live.get(pk):
                notes.add(f"“{titles.get(pk, pk)}” is not published" if pk in live else f"a deleted page (id {pk})")
            elif (kind, pk) in missing_files:
                notes.add(f"{missing_files[kind, pk]}, in {field}")
        if notes:
            rows.append({"page": page, "links": sorted(notes)})
    return rows


class RedirectChoiceForm(forms.Form):
    """On the delete and unpublish confirmations: where visitors to the page's address go from now on."""

    redirect_to = forms.ModelChoiceField(
        queryset=Page.objects.live().filter(depth__gt=1),
        required=False,
        widget=AdminPageChooser(),
        label="Send visitors to another page",
        help_text="Optional. People following a saved link or a search result to this page go there instead.",
    )

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields[REDIRECT_FIELD].queryset = self.fields[REDIRECT_FIELD].queryset.exclude(
            Q(pk=page.pk) | Q(path__startswith=page.path)
        )


def before_page_goes(request, page):
    """Hook before a page is deleted or unpublished: check the chosen redirect and keep the page's address."""
    if request.method != "POST":
        return None
    form = RedirectChoiceForm(request.POST, page=page)
    if not form.is_valid():
        messages.error(request, "Choose a published page that is not this page or one below it, or choose none.")
        return redirect(request.get_full_path())
    target = form.cleaned_data[REDIRECT_FIELD]
    if target is not None:
        site_id, _root, path = page.get_url_parts(request) or (None, None, None)
        if path:
            request.portal_page_redirect = (Site.objects.filter(pk=site_id).first(), path, target)
    return None


def after_page_goes(request, page):
    """Hook after a page is deleted or unpublished: add the redirect chosen on the confirmation, if any."""
    chosen = getattr(request, "portal_page_redirect", None)
    if chosen is None:
        return None
    site, path, target = chosen
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(path),
        site=site,
        defaults={"redirect_page": target, "redirect_link": "", "is_permanent": True},
    )
    messages.success(request, f"Visitors to {path} now go to “{target.title}”.")
    return None
