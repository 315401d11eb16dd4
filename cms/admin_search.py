"""The admin dashboard's search box for staff who have no pages to search.

Wagtail 7.4's dashboard (wagtailadmin/home.html, HomeView) always sends its box, "Search all pages…", to the page
explorer, which refuses anyone without a page permission: a caseworker typing a child's name there was told "Sorry,
you do not have permission to access this area.". The sidebar's search box goes to the first admin search area
(``register_admin_search_area``) shown to the user (``sidebar_props``); the dashboard's box now does the same for staff
without a page permission, and is left out when no area is shown to them. Staff with a page permission keep
Wagtail's box as it is.

The one piece of Wagtail copied is the dashboard's content block, in cms/templates/wagtailadmin/home.html;
``UPSTREAM_HOME_SHA256`` is the digest of the Wagtail template it was copied from, which a test compares with the
installed one, so an upgrade that changes it is noticed.
"""

from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.forms.search import SearchForm
from wagtail.admin.search import admin_search_areas

UPSTREAM_HOME_SHA256 = "7eb3ee7b5a9d1355b79a97fdc4c6a9c8612821bb1cdccf24efdd7a36c827c17d"


def dashboard_search(request, wagtail_form) -> dict | None:
    """Where the dashboard's box sends its words and the form it draws: ``{"action": None, "form": wagtail_form}``
    (Wagtail's own, to the page explorer) for staff with a page permission; otherwise the first search area shown to
    them, with a placeholder that names it; None when none is shown."""
    if user_has_any_page_permission(request.user):
        return {"action": None, "form": wagtail_form}
    areas = admin_search_areas.search_items_for_request(request)
    if not areas:
        return None
    area = areas[0]
    return {"action": area.url, "form": SearchForm(placeholder=f"Search {str(area.label).lower()}…")}
