"""A second try for a search of the guidance that finds nothing: each word the guidance does not use is replaced by
one it does, a word of the same stem ("assessments" by "assessment") or, failing that, the closest in spelling
("assesment" by "assessment").

The words the guidance uses are those of the titles and search descriptions of the pages a visitor may read and the
search terms editors promote pages for (Promoted search results). Stems are Snowball's English stemmer's: SQLite's
full-text search finds only the word as written, and PostgreSQL's stems the words it indexes but not a misspelling.

Reading and stemming every readable page's words at each search that finds nothing would cost more than the search
itself, so they are kept in Django's cache, one copy for each set of pages hidden from visitors, and thrown away
whenever a page is published, unpublished, moved or deleted or a promotion changes (cms/apps.py), at once and again
when the change commits (as the page cache is, cms.cache), so a search never corrects to a word gone or misses one new.
"""

import difflib
import re

import snowballstemmer
from django.core.cache import cache
from django.db import transaction
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

_STEMMER = snowballstemmer.stemmer("english")
_LETTERS = re.compile(r"[^\W\d_]+")
# Shorter words are left as typed: too many words lie one letter from a word of two or three.
MIN_LETTERS = 4
# How alike a misspelling and its replacement must be (difflib's ratio): "autsim" and "autism" are 0.83.
CLOSENESS = 0.75
VOCABULARY_CACHE_KEY = "guidance-search-vocabulary"
# A day at most, in case a change to the words was made where no signal is sent (a raw update in a shell).
VOCABULARY_CACHE_SECONDS = 24 * 60 * 60


def guidance_words(pages) -> set[str]:
    """The words, in lower case, of ``pages``' titles and search descriptions and of the promoted search terms."""
    texts = [text for row in pages.values_list("title", "search_description") for text in row]
    texts += Query.objects.filter(editors_picks__isnull=False).values_list("query_string", flat=True).distinct()
    return {word.lower() for text in texts for word in _LETTERS.findall(text) if len(word) >= MIN_LETTERS}


def _replacement(word: str, words: set[str], stems: dict[str, list[str]]) -> str:
    lower = word.lower()
    if lower in words or len(lower) < MIN_LETTERS or not lower.isalpha():
        return word
    same_stem = stems.get(_STEMMER.stemWord(lower))
    if same_stem:
        return min(same_stem, key=lambda w: (len(w), w))
    close = difflib.get_close_matches(lower, sorted(words), n=1, cutoff=CLOSENESS)
    return close[0] if close else word


def guidance_vocabulary(pages: Page, hidden: tuple[str, ...]) -> tuple[set[str], dict[str, list[str]]]:
    """The words of ``pages`` (``guidance_words``), the live pages not under the ``hidden`` paths, and the same by
    their stems, kept in the cache until the next change to them."""
    kept = cache.get(VOCABULARY_CACHE_KEY) or {}
    scope = ",".join(hidden)
    if scope not in kept:
        words = guidance_words(pages)
        stems = {}
        for known in words:
            stems.setdefault(_STEMMER.stemWord(known), []).append(known)
        kept[scope] = (words, stems)
        cache.set(VOCABULARY_CACHE_KEY, kept, VOCABULARY_CACHE_SECONDS)
    return kept[scope]


def guidance_vocabulary_clear(**kwargs) -> None:
    """Throw the kept words away now and again once the transaction commits: a search made meanwhile may have kept
    the words as they were before the change."""
    cache.delete(VOCABULARY_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(VOCABULARY_CACHE_KEY))


def corrected_terms(terms: str, pages: Page, hidden: tuple[str, ...]) -> str:
    """``terms`` (space-separated words) with each word the readable ``pages`` (the live pages not under the
    ``hidden`` paths) do not use replaced, where a word of the same stem or a close spelling is found; ``terms`` as
    they are when none is."""
    words, stems = guidance_vocabulary(pages, hidden)
    return " ".join(_replacement(word, words, stems) for word in terms.split())
