"""Non-trivial reads of the site core: search over the guidance."""

from django.core.paginator import Paginator
from wagtail.models import Page

RESULTS_PER_PAGE = 10


def guidance_search(*, query: str, page_number=1):
    """Live, public pages matching the query, best first, each with its section (the parent page's title).

    The database backend uses PostgreSQL's full-text search (with stemming) on PostgreSQL, FTS5 on SQLite.
    """
    results = Page.objects.live().public().exclude(depth=1).specific().search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page = paginator.get_page(page_number)
    hits = list(page.object_list)
    parent_paths = {hit.path[: -Page.steplen] for hit in hits if hit.depth > 2}
    parents = {p.path: p for p in Page.objects.filter(path__in=parent_paths).only("title", "path", "depth")}
    for hit in hits:
        parent = parents.get(hit.path[: -Page.steplen])
        hit.section_title = parent.title if parent and parent.depth > 2 else ""
        hit.snippet = hit.get_search_snippet(query) if hasattr(hit, "get_search_snippet") else hit.search_description
        match = hit.matching_question(query) if hasattr(hit, "matching_question") else None
        hit.anchor = match["anchor"] if match else ""
    return page, hits
