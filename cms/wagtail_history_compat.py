"""The one place where Wagtail 7.4's page log (``PageLogEntryManager.viewable_by_user``) is patched: those who look
after the whole page tree see the entries of pages since deleted, so the guidance team can find out in Reports ->
Site history who unpublished or deleted a page, and when.

Wagtail shows a non-superuser the entries of the pages they can reach in the explorer, and the entries of deleted
pages (``deleted=True`` on the "Delete" entry, the page's other entries going with it) only when the *root node*
lets them add a page under it or edit it (``root.permissions_for_user(user).can_add_subpage() or .can_edit()``).
The root node can never be edited, and nothing more can be added under it here (the home page is the one page
type allowed there, ``max_count = 1``), so that test is false for every non-superuser whatever their page
permissions: content editors and guidance approvers, whose add, edit and publish permissions are given on the root
node (portal_pages.roles), saw neither the "Delete" nor the "Unpublish" entry of a deleted page, and the page's own
history was gone with it. Nothing in Wagtail's settings or hooks reaches this filter.

``apply`` keeps Wagtail's answer and adds the entries of deleted pages for an active user holding an add, edit or
publish page permission on the root node itself (what Wagtail meant: permission over every page, so over every page
deleted), read from Wagtail's own cache of the user's page permissions. Those without page permissions (SEND
caseworkers, form designers, portal administrators) see what they saw before: no page's entries. A "Delete" entry
holds the page's title, who and when; guidance titles are not personal data.

tests/cms/test_site_history_deleted_pages.py fails when Wagtail decides this another way (then this module can go).
"""

ROOT_PAGE_PERMISSIONS = {"add_page", "change_page", "publish_page"}


def holds_whole_tree(user) -> bool:
    """Whether ``user`` (not a superuser) holds an add, edit or publish permission on the root node of the page tree."""
    from wagtail.permissions import page_permission_policy

    if not user.is_active or user.is_anonymous:
        return False
    return any(
        permission.page.depth == 1 and permission.permission.codename in ROOT_PAGE_PERMISSIONS
        for permission in page_permission_policy.get_cached_permissions_for_user(user)
    )


def apply():
    from django.db.models import Subquery
    from wagtail.models import PageLogEntry
    from wagtail.models.pages import PageLogEntryManager

    upstream = PageLogEntryManager.viewable_by_user

    def viewable_by_user(self, user):
        entries = upstream(self, user)
        if user.is_superuser or not holds_whole_tree(user):
            return entries
        deleted_pages = PageLogEntry.objects.filter(deleted=True).values("page_id")
        return entries | PageLogEntry.objects.filter(page_id__in=Subquery(deleted_pages))

    viewable_by_user.upstream = upstream
    PageLogEntryManager.viewable_by_user = viewable_by_user
