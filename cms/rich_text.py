"""Rich text as a page shows it: links to pages and documents that are gone keep their words but not the link (editors
are told why), a picture that was deleted is left out, and an editor's headings take their level from the heading the
text sits under."""

import re

from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.formats import get_image_format
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

MISSING_NOTES = {
    "deleted": "this page no longer exists",
    "unpublished": "this page is not published",
    "document": "this document no longer exists",
}


def _is_number(id_):
    """Whether a link's id can name a row: one that is no number (a form definition file's, refused at import) names
    none, and looking it up would raise."""
    return str(id_).isascii() and str(id_).isdigit()


def _missing_link(reason):
    # No href: not a link for anyone; the note shows only to editors (cms/sass: .portal-editor-view).
    return f'<a class="portal-missing-link" data-portal-link-note="{MISSING_NOTES[reason]}">'


class GuidancePageLinkHandler(PageLinkHandler):
    """Wagtail's page links, except that a link to a deleted or unpublished page renders as plain words.

    Wagtail's own handler writes ``<a>`` with no address for a deleted page (an underlined link that goes nowhere)
    and links an unpublished page (a 404 for the public).
    """

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        """The linked pages in one query. Wagtail's handler reads each page as its specific type (a query more for
        each type linked) only to ask for its URL, which every page type here builds from the tree alone."""
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = Page.objects.filter(id__in=[id_ for id_ in ids if _is_number(id_)]).defer_streamfields()
        by_id = {str(page.id): page for page in pages}
        return [by_id.get(str(id_)) for id_ in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            _missing_link("deleted")
            if page is None
            else _missing_link("unpublished")
            if not page.live
            else f'<a href="{escape(page.localized.url)}">'
            for page in cls.get_many(attrs_list)
        ]


class GuidanceDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document links, except that a link to a deleted document renders as plain words, with the note for
    editors: Wagtail's own writes ``<a>`` with no address, an underlined link that goes nowhere. The words stay, as
    they are part of the editor's sentence."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        found = iter(super().get_many([attrs for attrs in attrs_list if _is_number(attrs.get("id"))]))
        return [next(found) if _is_number(attrs.get("id")) else None for attrs in attrs_list]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            f'<a href="{escape(document.url)}">' if document else _missing_link("document")
            for document in cls.get_many(attrs_list)
        ]


class GuidanceImageEmbedHandler(ImageEmbedHandler):
    """Wagtail's pictures in rich text, except that a deleted one is left out: Wagtail's own writes ``<img alt="">``
    with no address, an empty box in some browsers and an image without a source in a printable."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            get_image_format(attrs["format"]).image_to_html(image, attrs.get("alt", "")) if image else ""
            for attrs, image in zip(attrs_list, cls.get_many(attrs_list), strict=True)
        ]


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>/])", re.IGNORECASE)


def headings_under(html: str, level: int) -> str:
    """``html`` (rich text) with its headings renumbered from ``level``: one below the heading it is shown under.

    An editor writes headings for the text alone (an h3, then h4s under it); on a page the text sits under a heading
    of the page's own, so its first heading must be one below that one (axe heading-order, WCAG 1.3.1). Each heading
    stays a sibling of the one before it at its level, or one below the nearest above it: a level the editor skipped
    closes up, none goes above ``level`` or below h6.
    """
    above = []  # (the editor's level, the level given) of each heading the next one may sit under

    def renumbered(match):
        closing, written = match[1], int(match[2])
        if closing and not above:
            return match[0]
        if not closing:
            while above and above[-1][0] >= written:
                above.pop()
            above.append((written, min(above[-1][1] + 1 if above else level, 6)))
        return f"<{closing}h{above[-1][1]}"

    return _HEADING_TAG.sub(renumbered, html)
