"""Links between pages, for deleting and unpublishing safely: who links to a page, and a redirect to take its place.

Wagtail's reference index (``ReferenceIndex``) records every link a page's content makes to another page (page
choosers in StreamFields, page links in rich text): the confirmations list those pages from it. It forgets the links
to a page once the page is deleted, so the broken-links report reads the pages' stored content instead.
"""

import re
from collections.abc import Sequence

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import redirect
from wagtail import blocks
from wagtail.admin.widgets import AdminPageChooser
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, ReferenceIndex, Site

REDIRECT_FIELD = "redirect_to"
_RICH_TEXT_PAGE_LINK = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*\bid="(\d+)"')


def pages_linking_to(page) -> list:
    """The other pages whose content links to ``page``, by title."""
    page_type = ContentType.objects.get_for_model(Page)
    source_ids = ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=page_type, to_object_id=str(page.pk)
    ).values_list("object_id", flat=True)
    return list(Page.objects.filter(pk__in=[int(pk) for pk in source_ids]).exclude(pk=page.pk).order_by("title"))


def _is_sequence(raw):
    # A StreamField's raw data is Wagtail's RawDataView, a sequence but not a list.
    return isinstance(raw, Sequence) and not isinstance(raw, str)


def _linked_page_ids(block, raw):
    """The ids of the pages a block's raw (stored) value links to, kept even when the page no longer exists."""
    if raw in (None, ""):
        return
    if isinstance(block, blocks.PageChooserBlock):
        if str(raw).isdigit():
            yield int(raw)
    elif isinstance(block, blocks.RichTextBlock):
        yield from (int(pk) for pk in _RICH_TEXT_PAGE_LINK.findall(str(raw)))
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            yield from _linked_page_ids(child, raw.get(name))
    elif isinstance(block, blocks.ListBlock) and _is_sequence(raw):
        for item in raw:
            yield from _linked_page_ids(block.child_block, item.get("value") if isinstance(item, dict) else item)
    elif isinstance(block, blocks.StreamBlock) and _is_sequence(raw):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from _linked_page_ids(child, item.get("value"))


def _page_links(page):
    for field in page._meta.concrete_fields:
        if isinstance(field, StreamField):
            yield from _linked_page_ids(field.stream_block, getattr(page, field.name).raw_data)
        elif isinstance(field, RichTextField):
            yield from (int(pk) for pk in _RICH_TEXT_PAGE_LINK.findall(getattr(page, field.name) or ""))


def pages_with_broken_links() -> list[dict]:
    """Every page whose content links to a deleted or unpublished page: the page and a note for each such link.

    Read from each page's stored content rather than the reference index, which forgets the links to a page as
    the page is deleted; a page chooser's stored id outlives its page until an editor saves the block again.
    """
    pages = list(Page.objects.filter(depth__gt=1).specific().order_by("title"))
    links = {page.pk: set(_page_links(page)) for page in pages}
    live = dict(Page.objects.filter(pk__in=set().union(*links.values())).values_list("pk", "live"))
    titles = {page.pk: page.title for page in pages}
    rows = []
    for page in pages:
        notes = {
            f"“{titles.get(pk, pk)}” is not published" if pk in live else f"a deleted page (id {pk})"
            for pk in links[page.pk]
            if not live.get(pk)
        }
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
