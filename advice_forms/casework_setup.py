"""What advice forms need in the database: the Team and Type terms every English SEND service uses, the "SEND
caseworker" group's permissions on child records, requests and submissions, the "Form designer" group's on the
form snippets, and the daily reminders schedule. Made by migrations; the permissions and the schedule are remade
after a database flush (post_migrate) only where missing, so administrators' later edits stay."""

from datetime import time

from django.contrib.auth.management import create_permissions

from cms.schedules import daily_schedule_ensure, migrated
from portal_pages.roles import ROLE_APPS, roles_ensure

TEAMS = [
    ("SLT", "Speech and Language Therapy"),
    ("OT", "Occupational Therapy"),
    ("Physio", "Physiotherapy"),
    ("CDT", "Community Paediatrics"),
    ("EP", "Educational Psychology"),
    ("CAMHS", "Child and Adolescent Mental Health Service"),
    ("CTPLD", "Community Team for People with Learning Disabilities"),
    ("Nursing", "Nursing"),
    ("HI", "Hearing Impairment"),
    ("VI", "Visual Impairment"),
    ("Social Care", "Social Care"),
    ("Schools", "Schools"),
]
TYPES = [
    ("C&L", "Cognition and Learning"),
    ("Comms", "Communication"),
    ("SEMH", "Social, Emotional and Mental Health"),
    ("PSI", "Physical, Sensory and Independence"),
    ("Health", "Health"),
    ("PfA", "Preparing for Adulthood"),
]
TERMS = (("Team", TEAMS), ("NeedType", TYPES))

CASEWORKER_GROUP = "SEND caseworker"
CASEWORKER_ACTIONS = {
    "childrecord": ["add", "change", "view"],
    "advicerequest": ["add", "change", "view"],
    "submission": ["view"],
}
FORM_DESIGNER_GROUP = "Form designer"
FORM_DESIGNER_ACTIONS = {
    "formdefinition": ["add", "change", "delete", "view", "publish", "lock", "unlock"],
    "dropdownlist": ["add", "change", "delete", "view"],
    "team": ["add", "change", "delete", "view"],
    "needtype": ["add", "change", "delete", "view"],
}
VERBOSE = {
    "childrecord": "child record",
    "advicerequest": "advice request",
    "submission": "submission",
    "formdefinition": "form definition",
    "dropdownlist": "dropdown list",
    "team": "Team",
    "needtype": "Type",
}

REMINDER_SCHEDULE_NAME = "Remind team accounts of due and overdue advice"
REMINDER_TASK = "advice_forms.tasks.advice_requests_remind"


def terms_seed(apps) -> None:
    """Add each missing Team and Type term, ten apart in sort order; existing terms stay as they are."""
    for model_name, terms in TERMS:
        model = apps.get_model("advice_forms", model_name)
        for order, (code, name) in enumerate(terms, start=1):
            model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


def terms_unseed(apps) -> None:
    for model_name, terms in TERMS:
        apps.get_model("advice_forms", model_name).objects.filter(code__in=[code for code, _ in terms]).delete()


def caseworker_permissions_ensure(apps, *, only_if_missing: bool = False) -> None:
    """Give the caseworker group (made here if the roles have not made it yet) its casework permissions."""
    group_permissions_ensure(apps, CASEWORKER_GROUP, CASEWORKER_ACTIONS, only_if_missing=only_if_missing)


def form_designer_permissions_ensure(apps, *, only_if_missing: bool = False) -> None:
    """Give the form designer group its permissions on the advice-forms snippets."""
    group_permissions_ensure(apps, FORM_DESIGNER_GROUP, FORM_DESIGNER_ACTIONS, only_if_missing=only_if_missing)


def group_permissions_ensure(apps, group_name: str, actions: dict, *, only_if_missing: bool = False) -> None:
    """Give a role group (made here if the roles have not made it yet) ``actions`` on advice_forms models, and
    admin access, without which none of them can be used.

    ``only_if_missing``: leave a group that already holds any of these permissions as it is.
    """
    app_config = apps.get_app_config("advice_forms")
    had_models = getattr(app_config, "models_module", None)
    app_config.models_module = had_models or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = had_models

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=group_name)
    if (
        only_if_missing
        and group.permissions.filter(
            content_type__app_label="advice_forms", content_type__model__in=list(actions)
        ).exists()
    ):
        return
    for model, model_actions in actions.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="advice_forms", model=model)
        for action in model_actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {VERBOSE[model]}"},
            )
            group.permissions.add(permission)
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if admin_access:
        group.permissions.add(admin_access)


def group_permissions_remove(apps, group_name: str, **content_type_filter) -> None:
    """Take from a role group its advice_forms permissions (those whose content type matches the filter)."""
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="advice_forms", **content_type_filter)
        )


def reminder_schedule_ensure(apps) -> None:
    """The daily run of advice_requests_remind, early in the morning, made once."""
    daily_schedule_ensure(apps, REMINDER_SCHEDULE_NAME, REMINDER_TASK, time(6, 45))


def ensure_after_migrate(sender, apps=None, **kwargs):
    """post_migrate: after a flush (as transactional tests do), the permissions and the schedule come back.

    The role groups are made first (portal_pages.roles, idempotent), so the caseworker group keeps its role
    permissions as well as these.
    """
    from django.apps import apps as global_apps

    apps = apps or global_apps
    if not migrated(apps, *ROLE_APPS, "advice_forms"):
        return
    roles_ensure(apps)
    caseworker_permissions_ensure(apps, only_if_missing=True)
    form_designer_permissions_ensure(apps, only_if_missing=True)
    reminder_schedule_ensure(apps)
