"""Wagtail's admin API lists, shows and finds only the images and documents each staff role may choose.

The admin API (``/admin/api/main/images/``, ``/admin/api/main/documents/``) answers any admin user; Wagtail 7.4 left
it unfiltered, so a caseworker or a portal administrator read every title, file name and URL. The role matrix holds
the detail and ``find/`` views to it (404 for one not choosable); this holds the listings, which answer 200 to every
staff role, to what each role may choose (cms.admin_views.ChoosableOnlyMixin).
"""

import pytest
import wagtail_factories
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Collection, GroupCollectionPermission

from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory
from tests.test_role_matrix import (
    CASEWORKER,
    CONTENT_EDITOR,
    FORM_DESIGNER,
    GUIDANCE_APPROVER,
    PORTAL_ADMIN,
    STAFF,
    SUPERUSER,
    _staff,
    signed_in_client,
)

pytestmark = pytest.mark.django_db

# What each staff role's listing shows of the image and the document in the root collection (the guidance's).
SEES_GUIDANCE_FILES = {
    CASEWORKER: False,
    FORM_DESIGNER: False,
    CONTENT_EDITOR: True,
    GUIDANCE_APPROVER: True,
    PORTAL_ADMIN: False,
    SUPERUSER: True,
}
ENDPOINTS = ("images", "documents")


def _listed(client, endpoint):
    response = client.get(reverse(f"wagtailadmin_api:{endpoint}:listing"))
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def _files(collection):
    return {
        "images": wagtail_factories.ImageFactory(collection=collection).pk,
        "documents": wagtail_factories.DocumentFactory(collection=collection).pk,
    }


@pytest.mark.parametrize("role", STAFF)
def test_each_role_lists_only_what_it_may_choose(role, superuser):
    assert set(SEES_GUIDANCE_FILES) == set(STAFF)
    files = _files(Collection.get_first_root_node())
    client = signed_in_client(superuser if role == SUPERUSER else _staff(role))
    for endpoint in ENDPOINTS:
        expected = {files[endpoint]} if SEES_GUIDANCE_FILES[role] else set()
        assert _listed(client, endpoint) == expected, f"{role}: {endpoint}"


def test_choose_on_one_collection_lists_that_collection_alone():
    root = Collection.get_first_root_node()
    pictures = root.add_child(name="Guidance pictures")
    elsewhere = _files(root.add_child(name="Elsewhere"))
    chosen = _files(pictures)
    group = Group.objects.create(name="Chooses guidance pictures")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        permission = Permission.objects.get(content_type__app_label=app_label, codename=f"choose_{model}")
        GroupCollectionPermission.objects.create(group=group, collection=pictures, permission=permission)
    user = StaffUserFactory()
    user.groups.add(group)
    TOTPDeviceFactory(user=user)
    client = signed_in_client(user)
    for endpoint in ENDPOINTS:
        assert _listed(client, endpoint) == {chosen[endpoint]}, endpoint
        detail = client.get(reverse(f"wagtailadmin_api:{endpoint}:detail", args=[elsewhere[endpoint]]))
        assert detail.status_code == 404, endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_find_with_an_id_that_is_not_a_whole_number_is_not_found(endpoint, superuser):
    found = _files(Collection.get_first_root_node())[endpoint]
    client = signed_in_client(superuser)
    url = reverse(f"wagtailadmin_api:{endpoint}:find")
    for value in ("abc", "1.5", "", "-1", "²", " 1", "99999999999999999999"):
        response = client.get(url, {"id": value})
        assert (response.status_code, response.json()) == (404, {"message": "not found"}), value
    assert client.get(url, {"id": str(found)}).status_code == 302
