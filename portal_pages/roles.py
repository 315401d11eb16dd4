"""The staff roles as Django groups, the guidance approval workflow, and the daily schedules (dormancy, unconfirmed
devices): made by migrations, and remade after a database flush (post_migrate). Remaking leaves an existing group as it
is, so administrators' edits stay; only a migration that gives a role a new permission adds it to the group of that
role's name (portal_pages 0009: page feedback for content editors; 0016: the portal settings for content editors and
guidance approvers; 0018: the emails not sent for portal administrators; 0020: promoted search results for content
editors and guidance approvers; 0021: the failed background tasks for portal administrators), and its reverse takes
it away from those groups again."""

from datetime import time

from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.db.models import Q

from cms.schedules import daily_schedule_ensure, migrated

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# The apps whose models and permissions the role groups, the guidance workflow and the schedules are made of: the
# post_migrate hook waits until a migrate has brought all of them.
ROLE_APPS = (
    "auth",
    "contenttypes",
    "wagtailadmin",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "django_q",
    "cms",
    "faq",
    "portal_pages",
    "wagtailsearchpromotions",
)
CHANGE_USER = "portal_pages.change_user"
# Portal settings (cms.PortalSettings) hold the council's name, logo, contacts (phone, opening hours, emails) and
# footer links. Those who maintain the guidance keep the phone number and its hours up to date, so a new number needs
# no superuser; the other fields (where the security emails send people, the names in every email, the links) are
# superusers' alone, whoever holds this permission (the model's panels). A save goes live at once (settings have no
# approval step) and is in the site history.
PORTAL_SETTINGS_PERMISSION = ("cms", "change_portalsettings")
PORTAL_SETTINGS_EDITORS = ("Content editor", "Guidance approvers")
# Settings → Promoted search results (wagtail.contrib.search_promotions): those who keep the guidance choose the pages
# a search shows first, as the parents' page for "ehcp"; caseworkers do not.
SEARCH_PROMOTION_PERMISSIONS = [
    ("wagtailsearchpromotions", f"{action}_searchpromotion") for action in ("add", "change", "delete")
]

PORTAL_ADMINISTRATOR = "Portal administrator"
# Reports → Emails not sent (cms.admin_views): the emails the outbox has not sent, their errors, and trying one again.
EMAILS_NOT_SENT_PERMISSION = ("cms", "view_emailnotification")
# Reports → Failed background tasks (cms.admin_views): each failed task's name, when, how many tries and its error.
FAILED_TASKS_PERMISSION = ("django_q", "view_failure")
ROLES = {
    "SEND caseworker": [
        ADMIN_ACCESS,
        ("portal_pages", "view_organisation"),
        ("portal_pages", "add_user"),
        ("portal_pages", "view_user"),
    ],
    "Form designer": [ADMIN_ACCESS],
    "Content editor": [ADMIN_ACCESS, PORTAL_SETTINGS_PERMISSION, *SEARCH_PROMOTION_PERMISSIONS],
    "Guidance approvers": [ADMIN_ACCESS, PORTAL_SETTINGS_PERMISSION, *SEARCH_PROMOTION_PERMISSIONS],
    PORTAL_ADMINISTRATOR: [
        ADMIN_ACCESS,
        ("portal_pages", "add_organisation"),
        ("portal_pages", "change_organisation"),
        ("portal_pages", "delete_organisation"),
        ("portal_pages", "view_organisation"),
        ("portal_pages", "add_user"),
        ("portal_pages", "change_user"),
        ("portal_pages", "view_user"),
        ("cms", "view_auditentry"),
        EMAILS_NOT_SENT_PERMISSION,
        FAILED_TASKS_PERMISSION,
    ],
}
# Content editors read what visitors say about the guidance and remove comments that hold personal data.
CONTENT_EDITOR_FEEDBACK_PERMISSIONS = [
    ("faq", "view_pagefeedback"),
    ("faq", "change_pagefeedback"),
    ("faq", "delete_pagefeedback"),
]
# Content editors write and submit guidance for approval; approvers (a second pair of eyes) publish it.
GUIDANCE_PAGE_PERMISSIONS = {
    "Content editor": ["add_page", "change_page"],
    "Guidance approvers": ["add_page", "change_page", "publish_page"],
}
GUIDANCE_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def team_accounts(queryset=None):
    """Team accounts only: never staff, a superuser, a member of any group or a holder of admin access.

    Only superusers touch the other accounts (staff roles, their passwords and devices); every admin screen
    that a non-superuser uses to manage accounts starts from this queryset, so any other id is a 404.
    """
    User = get_user_model()
    queryset = User._default_manager.all() if queryset is None else queryset
    admin_access = User.user_permissions.through.objects.filter(
        permission__content_type__app_label=ADMIN_ACCESS[0], permission__codename=ADMIN_ACCESS[1]
    )
    return (
        queryset.filter(is_staff=False, is_superuser=False)
        .exclude(pk__in=User.groups.through.objects.values("user_id"))
        .exclude(pk__in=admin_access.values("user_id"))
    )


def staff_accounts(queryset=None):
    """Council staff accounts only: no organisation and no request to join one. Wagtail's user screens (superusers')
    start from this queryset, so a team account, whose organisation (or request to join) makes it a professional's,
    is never listed there, its id is a 404, and no role or superuser status is given to it there."""
    User = get_user_model()
    queryset = User._default_manager.all() if queryset is None else queryset
    return queryset.filter(organisation__isnull=True, join_request__isnull=True)


# Who may approve or refuse a request to join: these three permissions, through a role or given directly (the Portal
# administrator role has them); superusers have every permission.
APPROVE_JOINING = ("portal_pages.change_user", "portal_pages.add_organisation", "portal_pages.change_organisation")


def may_approve_joining(user) -> bool:
    return user.is_active and user.has_perms(APPROVE_JOINING)


def join_request_approvers():
    """The active accounts with an address that may approve requests to join (``APPROVE_JOINING``, through a group or
    given directly): who is emailed when one waits. Superusers only when nobody else may, so a request is never
    left untold while a superuser is there to decide it."""
    User = get_user_model()
    accounts = User.objects.filter(is_active=True).exclude(email="")
    approvers = accounts
    for name in APPROVE_JOINING:
        app_label, codename = name.split(".")
        holders = User.objects.filter(
            Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)
            | Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        )
        approvers = approvers.filter(pk__in=holders.values("pk"))
    return approvers if approvers.exists() else accounts.filter(is_superuser=True)


def may_manage_account(actor, account) -> bool:
    """Whether ``actor`` may change ``account``, reset its devices or reactivate it."""
    if actor.is_active and actor.is_superuser:
        return True
    return actor.has_perm(CHANGE_USER) and team_accounts().filter(pk=account.pk).exists()


DORMANCY_SCHEDULE_NAME = "Mark dormant accounts"
DORMANCY_TASK = "portal_pages.tasks.accounts_mark_dormant"
UNCONFIRMED_DEVICES_SCHEDULE_NAME = "Remove unconfirmed authenticator devices"
UNCONFIRMED_DEVICES_TASK = "portal_pages.tasks.devices_remove_unconfirmed"


def _ensure_permissions(apps):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models


def roles_ensure(apps) -> None:
    """Create each missing role group with its permissions; leave existing groups as they are."""
    Group = apps.get_model("auth", "Group")
    missing = [name for name in ROLES if not Group.objects.filter(name=name).exists()]
    if not missing:
        return
    _ensure_permissions(apps)
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name in missing:
        group = Group.objects.create(name=name)
        # Those of an app migrated later (promoted search results) are given by that app's own migration (0020).
        group.permissions.add(*permissions_named(apps, ROLES[name]))
        if name not in GUIDANCE_PAGE_PERMISSIONS:
            continue
        content_editor_feedback_ensure(apps)
        root_page = Page.objects.filter(depth=1).first()
        if root_page is not None:
            for codename in GUIDANCE_PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.create(
                    group=group, page=root_page, permission=perm("wagtailcore", codename)
                )
        root_collection = Collection.objects.filter(depth=1).first()
        if root_collection is not None:
            for app_label, codename in GUIDANCE_COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=perm(app_label, codename)
                )


GUIDANCE_APPROVAL = "Guidance approval"
GUIDANCE_APPROVERS = "Guidance approvers"


def guidance_approval_ensure(apps) -> None:
    """The "Guidance approval" workflow over the whole page tree: one task, approved by the Guidance approvers.

    Content editors submit a page to it; an approver approves (which publishes) or asks for changes. Made once, when
    the root page and the group exist; an administrator's later changes to it are kept, except that a task left
    with no group at all (the group was deleted and made again, as after a flush) gets the approvers back.
    """
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    approvers = apps.get_model("auth", "Group").objects.filter(name=GUIDANCE_APPROVERS).first()
    if Workflow.objects.filter(name=GUIDANCE_APPROVAL).exists():
        for task in GroupApprovalTask.objects.filter(name=GUIDANCE_APPROVAL, groups__isnull=True):
            if approvers is not None:
                task.groups.set([approvers])
        return
    root_page = apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()
    if root_page is None or approvers is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    task = GroupApprovalTask.objects.create(
        name=GUIDANCE_APPROVAL,
        content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0],
    )
    task.groups.set([approvers])
    workflow = Workflow.objects.create(name=GUIDANCE_APPROVAL)
    apps.get_model("wagtailcore", "WorkflowTask").objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(page=root_page).delete()  # a page has one workflow: Wagtail's "Moderators approval"
    WorkflowPage.objects.create(workflow=workflow, page=root_page)


def content_editor_feedback_ensure(apps) -> None:
    """Give the Content editor group the page feedback permissions (those that exist yet: the group is first made
    before the feedback model's migration, which then runs this again)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Content editor").first()
    if group is None:
        return
    _ensure_permissions(apps)
    for app_label, codename in CONTENT_EDITOR_FEEDBACK_PERMISSIONS:
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


def portal_settings_editors_ensure(apps, permissions=(PORTAL_SETTINGS_PERMISSION,)) -> None:
    """Give the content editors' and guidance approvers' groups made before they held ``permissions`` (by default
    the portal settings') those permissions (new groups get them from ROLES)."""
    _ensure_permissions(apps)
    found = permissions_named(apps, permissions)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=PORTAL_SETTINGS_EDITORS):
        group.permissions.add(*found)


def permissions_named(apps, permissions):
    """The Permission rows of ``permissions`` ((app label, codename) pairs) that exist."""
    wanted = Q(pk__in=[])
    for app_label, codename in permissions:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return apps.get_model("auth", "Permission").objects.filter(wanted)


def portal_administrator_permission_ensure(apps, app_label_codename) -> None:
    """Give the Portal administrator group made before a report was added that report's permission (a new group gets
    it from ROLES)."""
    _ensure_permissions(apps)
    group = apps.get_model("auth", "Group").objects.filter(name=PORTAL_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*permissions_named(apps, [app_label_codename]))


def portal_administrator_permission_revoke(apps, app_label_codename) -> None:
    permissions = permissions_named(apps, [app_label_codename])
    for group in apps.get_model("auth", "Group").objects.filter(name=PORTAL_ADMINISTRATOR):
        group.permissions.remove(*permissions)


def emails_not_sent_viewers_ensure(apps) -> None:
    portal_administrator_permission_ensure(apps, EMAILS_NOT_SENT_PERMISSION)


def failed_tasks_viewers_ensure(apps) -> None:
    portal_administrator_permission_ensure(apps, FAILED_TASKS_PERMISSION)


def dormancy_schedule_ensure(apps) -> None:
    daily_schedule_ensure(apps, DORMANCY_SCHEDULE_NAME, DORMANCY_TASK, time(2, 30))


def unconfirmed_devices_schedule_ensure(apps) -> None:
    daily_schedule_ensure(apps, UNCONFIRMED_DEVICES_SCHEDULE_NAME, UNCONFIRMED_DEVICES_TASK, time(2, 45))


def ensure_after_migrate(sender, apps=None, **kwargs):
    """post_migrate: after a flush (as transactional tests do), the groups and the schedules come back."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    if not migrated(apps, *ROLE_APPS):
        return
    roles_ensure(apps)
    guidance_approval_ensure(apps)
    dormancy_schedule_ensure(apps)
    unconfirmed_devices_schedule_ensure(apps)
