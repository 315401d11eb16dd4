"""The service navigation: one set of links for each signed-in state, the same on every page of the site.

cms/templates/base.html renders what ``service_navigation`` (a context processor in settings.TEMPLATES) gives it,
so guidance pages, portal pages and error pages show the same links to the same person. The current item is
marked ``aria-current="page"``; the item whose section the page sits in (a request under the dashboard, a message
under Messages) is marked ``aria-current="true"``.
"""

from dataclasses import dataclass

from django.db import DatabaseError
from django.urls import reverse

from cms.models import PortalSettings
from portal_pages.selectors import inbox_unread_count

HELP_LABEL = "Help and guidance"


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url: str
    current: str = ""  # "page", "true" (the page is inside the item's section) or "" (neither)


def _help_link(request) -> list[tuple[str, str, tuple[str, ...]]]:
    """The help and guidance section Portal settings name, while it is live and this person may see it (a section
    for signed-in people, or behind a password, is not offered to others): for everyone else, so a parent on a phone
    finds the guidance in the menu, not only Sign in and Register. Its pages are its section, unless it is the home
    page: then only the home page itself is marked, not every page under it."""
    if not hasattr(request, "get_host"):  # no request to find the site by (a template drawn outside one)
        return []
    try:
        portal_settings = PortalSettings.for_request(request)
        page = portal_settings.help_page
        if page is None or not page.live:
            return []
        restrictions = portal_settings.help_page_view_restrictions()
        if not all(restriction.accept_request(request) for restriction in restrictions):
            return []
    except DatabaseError:
        return []
    url = page.get_url(request)
    if not url:
        return []
    return [(HELP_LABEL, url, (url,) if url != "/" else ())]


def _links(user, request) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, url, the paths of the item's section) for this person's state: their own links, with the help
    section's before the one that signs in or out."""
    help_link = _help_link(request)
    if not user.is_authenticated:
        return help_link + [
            ("Sign in", reverse("portal:sign_in"), ()),
            ("Register", reverse("portal:register"), ()),
        ]
    if user.is_staff or user.is_superuser:
        return help_link + [("Staff admin", reverse("wagtailadmin_home"), ())]
    if not user.is_verified():
        return help_link + [("Sign out", reverse("portal:sign_out"), ())]
    unread = inbox_unread_count(user)
    return [
        ("Your dashboard", reverse("portal:dashboard"), (reverse("portal:dashboard") + "requests/",)),
        (f"Messages ({unread} unread)" if unread else "Messages", reverse("portal:inbox"), (reverse("portal:inbox"),)),
        ("Sign-in devices", reverse("portal:two_factor"), (reverse("portal:two_factor"),)),
        *help_link,
        ("Sign out", reverse("portal:sign_out"), ()),
    ]


def navigation_items(request) -> list[NavigationItem]:
    user = getattr(request, "user", None)
    if user is None:
        return []
    items = []
    for label, url, section in _links(user, request):
        if request.path == url:
            current = "page"
        elif section and request.path.startswith(section):
            current = "true"
        else:
            current = ""
        items.append(NavigationItem(label, url, current))
    return items


def service_navigation(request):
    """Context processor: the items are worked out only when a template shows them (one count of unread messages)."""
    return {"service_navigation": lambda: navigation_items(request)}
