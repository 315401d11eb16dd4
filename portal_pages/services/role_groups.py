"""The audit entry of a role group (a Django group: Settings → Groups, superusers') made, changed or deleted: who,
which group, and its permissions added and removed in words, each panel of the group's screen counted (the model
permissions, and the page, collection and site settings permissions). One entry for one save of the screen, however
many boxes it ticks; a save that changes nothing writes none. Groups are roles, never about a child: their names and
the page, collection and site names they point at are the admin's own."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import PAGE_PERMISSION_TYPES

from cms.services import audit_record
from portal_pages.events import AccountEvent
from portal_pages.services.staff_roles import accounts_role_removed

PAGE_PERMISSION_WORDS = {codename: label for codename, label, _help in PAGE_PERMISSION_TYPES}  # "Publish"


@dataclass(frozen=True)
class GroupPermissions:
    name: str | None  # None: the group is not saved (yet)
    permissions: frozenset[str]


NOT_SAVED = GroupPermissions(name=None, permissions=frozenset())


def _app_words(permission) -> str:
    app_label = permission.content_type.app_label
    try:
        return apps.get_app_config(app_label).verbose_name
    except LookupError:  # a permission of an app since removed
        return app_label


def group_permissions(group: Group) -> GroupPermissions:
    """``group``'s name and permissions in words, as saved: read before a change, and after it. A model permission
    names its app ("Can add document (Wagtail documents)"), where two apps name a model alike."""
    name = Group.objects.filter(pk=group.pk).values_list("name", flat=True).first() if group.pk else None
    if name is None:
        return NOT_SAVED
    words = {
        f"{permission.name} ({_app_words(permission)})"
        for permission in group.permissions.select_related("content_type")
    }
    for rule in group.page_permissions.select_related("page", "permission"):
        what = PAGE_PERMISSION_WORDS.get(rule.permission.codename, rule.permission.name)
        words.add(f"Page “{rule.page.title}” and below: {what}")
    for rule in group.collection_permissions.select_related("collection", "permission"):
        words.add(f"Collection “{rule.collection.name}” and below: {rule.permission.name}")
    for rule in group.site_permissions.select_related("site", "permission"):
        words.add(f"Site “{rule.site}”: {rule.permission.name}")
    return GroupPermissions(name=name, permissions=frozenset(words))


def role_group_saved(*, group: Group, before: GroupPermissions, actor=None, request=None) -> None:
    """Audit one entry for ``group`` made (``before`` is NOT_SAVED) or changed since ``before`` (its name or its
    permissions); nothing when neither changed."""
    after = group_permissions(group)
    if after == before or after.name is None:
        return
    data = {
        "group": after.name,
        "permissions_added": sorted(after.permissions - before.permissions),
        "permissions_removed": sorted(before.permissions - after.permissions),
    }
    if before.name is not None and before.name != after.name:
        data["renamed_from"] = before.name
    audit_record(
        action=AccountEvent.ROLE_GROUP_CREATED if before.name is None else AccountEvent.ROLE_GROUP_CHANGED,
        actor=actor,
        target=group,
        request=request,
        data=data,
    )


def role_group_deleted(*, group: Group, actor=None, request=None) -> None:
    """Audit ``group``'s deletion, before it is deleted (the entry points at it by id): the permissions it took away
    and the accounts (by id, and how many) that held it as a role and lose it with it; and for each of those
    accounts, a change of its roles (portal_pages.services.staff_roles), in a number of queries that does not grow
    with theirs. Call it in the deletion's transaction: the group's row and its memberships are locked before they
    are read, so an account added to the group meanwhile waits (the new membership's key needs the group's row) and
    then fails on the deleted group, rather than losing the role with the group and no audit entry."""
    Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).first()
    list(Group.user_set.through.objects.select_for_update().filter(group=group).values_list("pk", flat=True))
    before = group_permissions(group)
    members = list(group.user_set.only("pk").order_by("pk"))
    data = {
        "group": before.name,
        "permissions_added": [],
        "permissions_removed": sorted(before.permissions),
        "accounts_in_group": [account.pk for account in members],
        "accounts_that_lost_the_role": len(members),
    }
    audit_record(action=AccountEvent.ROLE_GROUP_DELETED, actor=actor, target=group, request=request, data=data)
    accounts_role_removed(accounts=members, role=before.name, actor=actor, request=request)
