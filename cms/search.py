"""Search over the guidance, as the public site's search page shows it: the visitor's words made safe for the
search backend, the pages the visitor may read, and the results in the order shown, the pages editors promote for
the search first (cms.promoted_results), with a second try when the words find nothing (cms.search_spelling)."""

import re
from dataclasses import dataclass

from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db.models import Q
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.search.query import PlainText

from cms.promoted_results import promoted_results
from cms.search_spelling import corrected_terms

RESULTS_PER_PAGE = 10
MAX_SEARCH_TERMS = 12
_WORD_RE = re.compile(r"\w+")
# FTS5's operator words, written in capitals; as plain terms they would only narrow the search.
_OPERATOR_WORDS = {"AND", "OR", "NOT", "NEAR"}
# Short forms people search for where guidance spells the words out. Wagtail's database backends know no synonyms
# (Elasticsearch's analysers would), so a query with one also looks for the words written out.
SEARCH_SHORT_FORMS = {"ehcp": "EHC plan", "ehcps": "EHC plans"}


def search_terms(query: str) -> str:
    """The words of a visitor's query, space-separated; quotes, brackets, operator characters and the operator
    words AND, OR, NOT and NEAR are dropped.

    Search syntax (FTS5's quotes, ``*``, ``^``, ``:``, brackets; tsquery's ``&|!:``) never reaches the backend:
    each word is passed as a plain term, so no input can be a syntax error on SQLite or PostgreSQL.
    """
    words = [word for word in _WORD_RE.findall(query) if word not in _OPERATOR_WORDS]
    return " ".join(words[:MAX_SEARCH_TERMS])


def pages_hidden_from(user) -> tuple[str, ...]:
    """The tree paths of the pages whose view restrictions (Wagtail's) keep them, and the pages under them, from
    ``user``, sorted: public pages are read by anyone; those private to signed-in users, by a user signed in with an
    authenticator code (as portal_pages.access holds private pages to it); those private to groups, by such a user
    in one of the groups, or a superuser. A page behind a shared password never: its password is asked for on the
    page itself.

    One query reads every restriction with its groups; the user's groups are read only when a groups restriction is
    there to pass."""
    verified = getattr(user, "is_verified", None)
    signed_in = user is not None and user.is_authenticated and verified is not None and verified()
    restrictions = {}  # id: (page path, kind, group ids)
    for pk, path, kind, group in PageViewRestriction.objects.values_list(
        "pk", "page__path", "restriction_type", "groups"
    ):
        restrictions.setdefault(pk, (path, kind, set()))[2].add(group)
    user_groups = None
    hidden = set()
    for path, kind, groups in restrictions.values():
        if signed_in and kind == PageViewRestriction.LOGIN:
            continue
        if signed_in and kind == PageViewRestriction.GROUPS:
            if user.is_superuser:
                continue
            if user_groups is None:
                user_groups = set(user.groups.values_list("pk", flat=True))
            if groups & user_groups:
                continue
        hidden.add(path)
    return tuple(sorted(hidden))


def _readable(hidden: tuple[str, ...]) -> Q:
    readable = Q()
    for path in hidden:
        readable &= ~Q(path__startswith=path)
    return readable


def _search_query(terms: str, operator: str = "and"):
    """``terms`` as plain text, or, when they hold a short form, those terms or the same with it written out."""
    written_out = " ".join(SEARCH_SHORT_FORMS.get(word.lower(), word) for word in terms.split())
    query = PlainText(terms, operator=operator)
    return query if written_out == terms else query | PlainText(written_out, operator=operator)


class _PromotedThenFound:
    """The results in the order shown, for Django's paginator: the promotions, then the pages found, each page once
    (the search leaves out the pages promoted), so the count is what the pages of results list, one after another."""

    def __init__(self, promoted: list[SearchPromotion], found):
        self.promoted = promoted
        self.found = found

    def count(self) -> int:
        return len(self.promoted) + self.found.count()

    def __getitem__(self, items: slice) -> list:
        promoted = self.promoted[items]
        start = max(items.start - len(self.promoted), 0)
        return promoted + list(self.found[start : max(items.stop - len(self.promoted), start)])


def _found(pages, terms: str, promoted: list[SearchPromotion], operator: str = "and") -> Paginator:
    shown = pages.exclude(pk__in=[promotion.page_id for promotion in promoted if promotion.page_id])
    return Paginator(
        _PromotedThenFound(promoted, shown.search(_search_query(terms, operator=operator))), RESULTS_PER_PAGE
    )


@dataclass
class GuidanceResults:
    """One page of a search's results: the promotions and the pages found on it, in the order shown."""

    page: ResultsPage  # Django's page of results: its paginator's count is every result, promoted or found
    promoted: list[SearchPromotion]
    hits: list
    all_words: bool  # whether the pages found hold every word
    searched_instead: str  # the words searched for instead when the query's own found nothing, else ""


def guidance_search(*, query: str, page_number=1, user=None) -> GuidanceResults | None:
    """The results for ``query`` that ``user`` may read (``pages_hidden_from``; public pages alone for anyone signed
    out): first the results editors promote for the query (cms.promoted_results), then the live pages matching its
    words, best first, each with its section (the parent page's title); a page is listed once, so the count is of
    the pages offered, across the pages of results. None for a query with no words (only punctuation).

    The pages holding all the words. When neither they nor a promotion are found: those holding all the words of the
    query corrected (cms.search_spelling: "assessments" and "assesment" search for "assessment"); failing that, those
    holding some of the words, best first (a parent's question in their own words, "what if I disagree with the
    school", finds the pages about disagreeing), and then some of the corrected words. A promotion is a result for
    the query's own words, so a query with one is never searched for other words.

    The database backend uses PostgreSQL's full-text search (with stemming) on PostgreSQL, FTS5 on SQLite (no
    stemming: the index finds "assessment" but not "assessments", so the correction above finds it; an FTS5 table
    made with the porter tokenizer would stem, but it breaks the admin's part-word search, "assessmen" finding
    nothing, so it is not done).
    """
    query = search_terms(query)
    if not query:
        return None
    hidden = pages_hidden_from(user)
    readable = Page.objects.live().exclude(depth=1).filter(_readable(hidden))
    pages = readable.specific()
    promoted = promoted_results(query, readable)
    paginator, all_words, searched = _found(pages, query, promoted), True, query
    corrected = corrected_terms(query, readable, hidden) if not paginator.count else query
    if corrected != query:
        paginator, searched = _found(pages, corrected, promoted), corrected
    if len(query.split()) > 1 and not paginator.count:
        all_words = False
        for terms in dict.fromkeys((query, corrected)):
            paginator, searched = _found(pages, terms, promoted, operator="or"), terms
            if paginator.count:
                break
    if not paginator.count:
        searched = query
    page = paginator.get_page(page_number)
    shown_promoted = [item for item in page.object_list if isinstance(item, SearchPromotion)]
    hits = [item for item in page.object_list if not isinstance(item, SearchPromotion)]
    _sections_snippets_anchors(hits, searched)
    return GuidanceResults(page, shown_promoted, hits, all_words, "" if searched == query else searched)


def _sections_snippets_anchors(hits: list, searched: str) -> None:
    parent_paths = {hit.path[: -Page.steplen] for hit in hits if hit.depth > 2}
    # A section that is not live names none of its pages: its title is the unpublished page's.
    parents = {p.path: p for p in Page.objects.live().filter(path__in=parent_paths).only("title", "path", "depth")}
    for hit in hits:
        parent = parents.get(hit.path[: -Page.steplen])
        hit.section_title = parent.title if parent and parent.depth > 2 else ""
        hit.snippet = hit.get_search_snippet(searched) if hasattr(hit, "get_search_snippet") else hit.search_description
        match = hit.matching_question(searched) if hasattr(hit, "matching_question") else None
        hit.anchor = match["anchor"] if match else ""
