"""Non-trivial reads of the site core: search over the guidance."""

import re

from django.core.paginator import Paginator
from wagtail.models import Page
from wagtail.search.query import PlainText

RESULTS_PER_PAGE = 10
MAX_SEARCH_TERMS = 12
_WORD_RE = re.compile(r"\w+")
# FTS5's operator words, written in capitals; as plain terms they would only narrow the search.
_OPERATOR_WORDS = {"AND", "OR", "NOT", "NEAR"}


def search_terms(query: str) -> str:
    """The words of a visitor's query, space-separated; quotes, brackets, operator characters and the operator
    words AND, OR, NOT and NEAR are dropped.

    Search syntax (FTS5's quotes, ``*``, ``^``, ``:``, brackets; tsquery's ``&|!:``) never reaches the backend:
    each word is passed as a plain term, so no input can be a syntax error on SQLite or PostgreSQL.
    """
    words = [word for word in _WORD_RE.findall(query) if word not in _OPERATOR_WORDS]
    return " ".join(words[:MAX_SEARCH_TERMS])


def guidance_search(*, query: str, page_number=1):
    """Live, public pages matching the query's words, best first, each with its section (the parent page's title).

    The database backend uses PostgreSQL's full-text search (with stemming) on PostgreSQL, FTS5 on SQLite.
    A query with no words (only punctuation) finds nothing.
    """
    query = search_terms(query)
    if not query:
        return None, []
    results = Page.objects.live().public().exclude(depth=1).specific().search(PlainText(query))
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
