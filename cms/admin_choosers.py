"""Wagtail's choosers that it opens to every admin user, answered first (cms/urls.py) for the roles that use them.

Wagtail's page chooser (and its link sub-views), embed chooser and workflow task chooser answer any user with admin
access, listing page titles and their status, or the workflow tasks with their edit addresses. DESIGN.md "People and
what each may do": a role reaches through no admin screen what its row does not give it. Each upstream pattern below,
found by its Wagtail name, is given the same path again, ahead of Wagtail's, with a check in front of Wagtail's own
view; a role without it gets the admin's refusal (cms.permissions.forbidden):

- the page chooser: those who hold a permission on some page (content editors, guidance approvers), or whom a
  ``may_choose_pages`` hook admits (a feature app whose own screens link pages in rich text: the form designer's
  guidance text);
- the embed chooser: superusers (no rich text feature list of the portal has "embed");
- the workflow task chooser: those who may add or change a workflow (the workflow screens it serves).

tests/cms/test_admin_choosers.py fails when Wagtail adds, renames or moves one of these patterns.
"""

import functools

from django.urls import URLPattern, URLResolver, path
from wagtail import hooks
from wagtail.permissions import page_permission_policy, workflow_permission_policy

from cms.permissions import forbidden

MAY_CHOOSE_PAGES_HOOK = "may_choose_pages"


def may_choose_pages(user) -> bool:
    """Whether ``user`` edits something whose rich text links pages, or which has a page chooser."""
    if page_permission_policy.user_has_any_permission(user, {"add", "change", "publish"}):
        return True
    return any(admits(user) for admits in hooks.get_hooks(MAY_CHOOSE_PAGES_HOOK))


def may_embed(user) -> bool:
    return user.is_active and user.is_superuser


def may_manage_workflows(user) -> bool:
    return workflow_permission_policy.user_has_any_permission(user, {"add", "change"})


# Wagtail's URL names (namespace included), by the prefix they start with, and who may use them.
GUARDS = {
    "wagtailadmin_choose_page": may_choose_pages,
    "wagtailembeds:": may_embed,
    "wagtailadmin_workflows:task_cho": may_manage_workflows,
}
# Every Wagtail name the prefixes match today: a new, renamed or removed one fails tests/cms/test_admin_choosers.py.
GUARDED_NAMES = {
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailembeds:chooser",
    "wagtailembeds:chooser_upload",
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chosen",
}


def own_name(upstream_name: str) -> str:
    """The name of the pattern that answers first at an upstream name's path."""
    return "cms_" + upstream_name.replace(":", "_")


def _guarded(view, may_use):
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if not may_use(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)

    checked.may_use = may_use
    return checked


def _upstream_patterns(patterns, prefix="", namespace=""):
    """(route, pattern, full name) of every named pattern under ``patterns``, through included resolvers."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _upstream_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry, namespace + entry.name


def chooser_urlpatterns(upstream_patterns):
    """Our patterns for Wagtail's choosers: the same paths, the check, then Wagtail's view (already behind its own
    decorators)."""
    patterns = []
    for route, pattern, name in _upstream_patterns(upstream_patterns):
        guard = next((may_use for prefix, may_use in GUARDS.items() if name.startswith(prefix)), None)
        if guard is not None:
            patterns.append(path(route, _guarded(pattern.callback, guard), pattern.default_args, own_name(name)))
    return patterns
