"""Rich text links to pages that are gone: the words stay, the link does not, and editors are told why."""

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

MISSING_NOTES = {"deleted": "this page no longer exists", "unpublished": "this page is not published"}


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
        pages = Page.objects.filter(id__in=ids).defer_streamfields()
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
