from django.apps import apps
from django.contrib.auth.models import Group

from advice_forms.casework_setup import ensure_after_migrate


def test_after_a_flush_the_form_designer_group_gets_its_permissions_back(db):
    group = Group.objects.get(name="Form designer")
    group.permissions.clear()  # as a flush followed by the roles' post_migrate leaves it

    ensure_after_migrate(sender=None, apps=apps)

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_formdefinition", "publish_formdefinition", "change_dropdownlist", "view_team", "access_admin"} <= (
        codenames
    )


def test_a_group_an_administrator_has_edited_is_left_as_it_is(db):
    group = Group.objects.get(name="Form designer")
    group.permissions.remove(*group.permissions.filter(codename="delete_team"))

    ensure_after_migrate(sender=None, apps=apps)

    assert not group.permissions.filter(codename="delete_team").exists()
    assert group.permissions.filter(codename="add_formdefinition").exists()
