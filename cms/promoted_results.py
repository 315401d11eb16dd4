"""The results editors promote for a search (Settings → Promoted search results, wagtail.contrib.search_promotions),
shown before the others: "ehcp" leads a parent to the parents' page rather than the SENCOs' guide."""

from django.db.models import Q
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string


def promoted_results(terms: str, readable_pages) -> list[SearchPromotion]:
    """The promotions for ``terms`` (a visitor's words, in any case and spacing), in the editors' order: each a live
    page among ``readable_pages`` (once, where editors promoted it twice) or an external link."""
    promotions = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(terms))
        .filter(Q(page__isnull=True) | Q(page__in=readable_pages))
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    shown, pages = [], set()
    for promotion in promotions:
        if promotion.page_id is None or promotion.page_id not in pages:
            shown.append(promotion)
            pages.add(promotion.page_id)
    return shown
