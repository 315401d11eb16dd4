import json

import factory
from django.contrib.auth.models import Group, Permission

from advice_forms.models import DropdownList, DropdownOption, FormDefinition, FormKind
from advice_forms.services.definitions import form_definition_publish
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory


def question(field_type, label, **options):
    options.setdefault("required", field_type not in ("guidance",))
    return {"type": field_type, "value": {"label": label, **options}}


def section(title, fields, key="", condition=None, guidance=""):
    value = {"title": title, "key": key, "fields": fields, "guidance": guidance}
    if condition:
        value["condition"] = condition
    return {"type": "section", "value": value}


class DropdownListFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"List {n}")

    class Meta:
        model = DropdownList


def dropdown_list(name, options):
    """options: [(value, label)] or [(value, label, retired)]."""
    dropdown = DropdownListFactory(name=name)
    for order, (value, label, *retired) in enumerate(options):
        DropdownOption.objects.create(
            dropdown_list=dropdown, value=value, label=label, retired=bool(retired), sort_order=order
        )
    return dropdown


def definition(sections, *, title="Test advice", version_label="V1", kind=FormKind.OTHER_ADVICE, publish=True):
    """A definition built from StreamField JSON; published (returns the version) unless publish=False."""
    instance = FormDefinition(title=title, kind=kind, version_label=version_label, sections=json.dumps(sections))
    instance.save()
    if not publish:
        return instance
    return form_definition_publish(definition=instance)


def staff_in_group(group_name, *, with_advice_permissions=False):
    user = StaffUserFactory()
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    TOTPDeviceFactory(user=user)
    return user


def verified_client(client, user):
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = user.totpdevice_set.get().persistent_id
    session.save()
    return client
