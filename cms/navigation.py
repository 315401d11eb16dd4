"""Navigation that follows the page tree and the pages' topics (tags): a guidance page's section navigation and its
related content. "Show in menus" decides whether a page is listed in its section; an editor adds related links on
the page and hides automatic ones. A page for parents and carers lists only pages for them or for everyone as
related, and a page for professionals only theirs and everyone's. A section with pages for different readers lists
them in groups by readers, parents' and carers' first."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from cms.choices import Audience
from cms.models import GuidancePage

RELATED_LIMIT = 5


def _memoised(page, name, compute):
    """A value worked out once per page object: a page's navigation and related content are asked for in one render,
    and both need the site's view restrictions and the section's pages."""
    if name not in page.__dict__:
        page.__dict__[name] = compute()
    return page.__dict__[name]


def _public_pages(page):
    """Live pages outside every private section (the view restrictions are read once per page object)."""
    private = _memoised(page, "_navigation_private_q", Page.objects.private_q)
    return Page.objects.live().exclude(private)


def _guidance_page_models():
    """The page models that say who they are for: every guidance page, in whichever app it lives."""
    return [model for model in apps.get_models() if issubclass(model, GuidancePage)]


def _written_for():
    """Who each page is written for (``audience``), read from its own model's table; everyone, for a page of a kind
    that does not say."""
    audiences = [F(f"{model._meta.model_name}__audience") for model in _guidance_page_models()]
    return Coalesce(*audiences, Value(Audience.EVERYONE))


def _for_other_readers(audience):
    """A filter that keeps the pages written for readers other than ``audience``'s (never everyone's)."""
    others = [value for value in Audience.values if value not in (audience, Audience.EVERYONE)]
    written_for_others = Q(pk__in=[])
    for model in _guidance_page_models():
        written_for_others |= Q(**{f"{model._meta.model_name}__audience__in": others})
    return written_for_others


def _section_pages(page):
    """The pages of the page's section shown in menus, in tree order (the page itself among them), each with who it
    is written for (``written_for``)."""
    parent = page.get_parent()
    pages = _public_pages(page).child_of(parent).in_menu().order_by("path").only("title", "url_path", "path")
    return parent, list(pages.annotate(written_for=_written_for()))


def section_navigation(page):
    """The page's section (its parent, when that is not the home page) and the section's pages shown in menus,
    in tree order, the current one marked; None for a page at the top of the site, or under a section that is not
    live (its title is an unpublished page's)."""
    if page.depth is None or page.depth <= 3:
        return None
    parent, pages = _memoised(page, "_navigation_section", lambda: _section_pages(page))
    if not pages or not parent.live:
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


DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_key(hostname, port, scheme=""):
    """A host and port as an address names them: no port, or the scheme's own, is the default (as a Site's port 80 or
    443 is: Wagtail gives such a site an address without one). An IPv6 host without its brackets, as an address's
    ``hostname`` gives it (a request's host keeps them: "[::1]")."""
    if port is None or port == DEFAULT_PORTS.get(scheme) or (not scheme and port in DEFAULT_PORTS.values()):
        port = None
    hostname = (hostname or "").lower()
    if hostname.startswith("[") and hostname.endswith("]"):
        hostname = hostname[1:-1]
    return hostname, port


def _address_key(url):
    address = urlsplit(url)
    try:
        port = address.port
    except ValueError:  # a port that is not a number: no page of ours
        return None
    return _host_key(address.hostname, port, address.scheme)


def _site_roots(request):
    """Each host (and port) this portal answers at, with the root of the site it serves there: every Site's own, the
    public address (WAGTAILADMIN_BASE_URL, as a Site's host name may be left as "localhost") and the request's."""
    sites = {site.pk: site for site in Site.objects.select_related("root_page")}
    served = {}
    default = next((site for site in sites.values() if site.is_default_site), None)
    public = _address_key(settings.WAGTAILADMIN_BASE_URL)
    if public and default:
        served[public] = default  # Wagtail serves the default site at a host no Site names
    requested = Site.find_for_request(request) if request is not None else None
    if requested is not None:
        hostname, port = split_domain_port(request.get_host())
        served[_host_key(hostname, int(port) if port else None, request.scheme)] = sites.get(requested.pk, requested)
    served.update({_host_key(site.hostname, site.port): site for site in sites.values()})
    return {key: site.root_page.url_path for key, site in served.items()}


def _pages_linked_by_address(links, request=None) -> set:
    """The ids of this portal's pages that outside links point to by their full address (an editor may paste one)."""
    addresses = [link["url"] for link in links if link["page_id"] is None and link["url"]]
    if not addresses:
        return set()
    roots = _site_roots(request)
    url_paths = set()
    for url in addresses:
        root = roots.get(_address_key(url))
        if root is not None:
            path = urlsplit(url).path.strip("/")
            url_paths.add(root + (f"{path}/" if path else ""))
    return set(Page.objects.filter(url_path__in=url_paths).values_list("pk", flat=True)) if url_paths else set()


def _section_pages_for(page, audience, taken, limit):
    """The section's pages shown in menus, as the section navigation already read them, for the page's readers."""
    _parent, section = _memoised(page, "_navigation_section", lambda: _section_pages(page))
    readers = {audience, Audience.EVERYONE}
    pages = [sibling for sibling in section if sibling.pk not in taken]
    if audience != Audience.EVERYONE:
        pages = [sibling for sibling in pages if sibling.written_for in readers]
    return pages[:limit]


def related_content(page, limit=RELATED_LIMIT, request=None):
    """The editor's own related links first, then up to ``limit`` live, public pages: those sharing most topics
    (tags) with this one, then the other pages of its section shown in menus, of these only the pages written for the
    page's own readers or for everyone (``audience``). Pages the editor hid never appear, nor, a second time, those
    the editor linked to, by choosing the page or by its full address. The editor's own links are kept whoever they
    are for: the editor chose them."""
    links = _picked_links(page)
    hidden = {child.value.pk for child in page.hidden_related if child.value is not None}
    picked = {link["page_id"] for link in links if link["page_id"]} | _pages_linked_by_address(links, request)
    exclude = hidden | picked | ({page.pk} if page.pk else set())
    audience = getattr(page, "audience", Audience.EVERYONE)
    automatic = []
    tag_ids = [tag.pk for tag in page.tags.all()]
    if tag_ids:
        shared = Q(guidance_tagged_items__tag_id__in=tag_ids)
        candidates = _public_pages(page).exclude(pk__in=exclude).exclude(depth__lte=2)
        if audience != Audience.EVERYONE:
            candidates = candidates.exclude(_for_other_readers(audience))
        automatic = list(
            candidates.filter(shared)
            .annotate(shared_topics=Count("guidance_tagged_items", filter=shared, distinct=True))
            .order_by("-shared_topics", "title")[:limit]
        )
    if len(automatic) < limit and page.depth and page.depth > 3:
        taken = exclude | {found.pk for found in automatic}
        automatic += _section_pages_for(page, audience, taken, limit - len(automatic))
    return links + [{"title": found.title, "url": found.url, "page_id": found.pk} for found in automatic]


# The order a section's pages are grouped in when they are for different readers: a parent finds their few pages
# first, not after every guide for professionals; the same order on every page of the section.
READERS_ORDER = {
    Audience.PARENTS: "For parents and carers",
    Audience.PROFESSIONALS: "For professionals",
    Audience.EVERYONE: "For everyone",
}


def _grouped_by_readers(items, request) -> list[dict]:
    """The section's pages as titles and addresses, in tree order within groups of the same readers (``title`` the
    group's heading), in ``READERS_ORDER``; one group with no heading when every page is for the same readers."""
    groups = {}
    for item in items:
        link = {"title": item["page"].title, "url": item["page"].get_url(request), "current": item["current"]}
        groups.setdefault(item["page"].written_for, []).append(link)
    if len(groups) == 1:
        return [{"title": "", "items": next(iter(groups.values()))}]
    return [{"title": title, "items": groups[readers]} for readers, title in READERS_ORDER.items() if readers in groups]


def _navigation_of(page, request, *, for_editors):
    nav = section_navigation(page)
    section = nav and {"title": nav["section"].title, "groups": _grouped_by_readers(nav["items"], request)}
    related = [link for link in related_content(page, request=request) if for_editors or not link.get("missing")]
    return {"section": section, "related": related}


# The shape of what ``guidance_navigation`` keeps, in its key: the shared page cache outlives a deploy, and a release
# that changes the shape changes this number, so that its template never reads what an older release kept.
KEPT_SHAPE = 2


def guidance_navigation(page, request=None, *, for_editors=False) -> dict:
    """A guidance page's section navigation and related content, as titles and addresses for its template:
    ``{"section": {"title", "groups": [{"title", "items": [{"title", "url", "current"}]}]} or None,
    "related": [{"title", "url"}]}``.

    Between renders they are kept in the page cache when every app server process shares it (Redis,
    ``PORTAL_PAGE_CACHE_URL``): every change that can change them empties it at once, for all of them: a publish,
    unpublish, move, slug change or deletion of any page, and a change of any page's privacy (cms/apps.py, as for the
    kept pages themselves). A page cache in each process's own memory is emptied only in the process that made the
    change, so there they are worked out for every render, as they are for a preview (the draft's own links) and
    for editors (``for_editors``: the related links the public cannot follow are listed, with a note)."""
    kept_for_all = bool(settings.PORTAL_PAGE_CACHE_URL)
    if not kept_for_all or for_editors or getattr(request, "is_preview", False) or not page.pk:
        return _navigation_of(page, request, for_editors=for_editors)
    site = Site.find_for_request(request) if request is not None else None
    # The host too: an outside link to a page of ours at the request's own host is matched to that page.
    host = request.get_host().lower() if request is not None else ""
    key = f"guidance-navigation:{KEPT_SHAPE}:{site.pk if site else 0}:{host}:{page.pk}"
    cache = caches["pagecache"]
    kept = cache.get(key)
    if kept is None:
        kept = _navigation_of(page, request, for_editors=False)
        cache.set(key, kept)
    return kept
