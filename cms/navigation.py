"""Navigation that follows the page tree and the pages' topics (tags): a guidance page's section navigation and its
related content. "Show in menus" decides whether a page is listed in its section; an editor adds related links on
the page and hides automatic ones."""

from django.db.models import Count, Q
from wagtail.models import Page

RELATED_LIMIT = 5


def section_navigation(page):
    """The page's section (its parent, when that is not the home page) and the section's pages shown in menus,
    in tree order, the current one marked; None for a page at the top of the site."""
    if page.depth is None or page.depth <= 3:
        return None
    parent = page.get_parent()
    pages = list(parent.get_children().live().public().in_menu().order_by("path").only("title", "url_path", "path"))
    if not pages:
        return None
    return {
        "section": parent,
        "items": [{"page": child, "current": child.pk == page.pk} for child in pages],
    }


def _linked_page(value):
    """The page of a related link block: a page chooser gives the page, a "Page on this site" block a struct."""
    return value.get("page") if hasattr(value, "get") else value


def _picked_links(page):
    links = []
    for child in getattr(page, "related_links", None) or []:
        if child.block_type == "link":
            links.append({"title": child.value["title"], "url": child.value["url"], "page_id": None})
            continue
        linked = _linked_page(child.value)
        title = child.value.get("title") if hasattr(child.value, "get") else ""
        if linked is not None and linked.live:
            links.append({"title": title or linked.title, "url": linked.url, "page_id": linked.pk})
        else:
            # A chosen page that was deleted or unpublished: nothing for the public, a note for editors.
            links.append({"title": title, "url": "", "page_id": None, "missing": True, "page": linked})
    return links


def related_content(page, limit=RELATED_LIMIT):
    """The editor's own related links first, then up to ``limit`` live, public pages: those sharing most topics
    (tags) with this one, then the other pages of its section shown in menus. Pages the editor hid never appear."""
    links = _picked_links(page)
    hidden = {child.value.pk for child in page.hidden_related if child.value is not None}
    exclude = hidden | {link["page_id"] for link in links if link["page_id"]} | ({page.pk} if page.pk else set())
    candidates = Page.objects.live().public().exclude(pk__in=exclude).exclude(depth__lte=2)
    automatic = []
    tag_ids = [tag.pk for tag in page.tags.all()]
    if tag_ids:
        shared = Q(guidance_tagged_items__tag_id__in=tag_ids)
        automatic = list(
            candidates.filter(shared)
            .annotate(shared_topics=Count("guidance_tagged_items", filter=shared, distinct=True))
            .order_by("-shared_topics", "title")[:limit]
        )
    if len(automatic) < limit and page.depth and page.depth > 3:
        taken = {found.pk for found in automatic}
        siblings = candidates.sibling_of(page, inclusive=False).in_menu().exclude(pk__in=taken).order_by("path")
        automatic += list(siblings[: limit - len(automatic)])
    return links + [{"title": found.title, "url": found.url, "page_id": found.pk} for found in automatic]
