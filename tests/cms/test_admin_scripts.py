"""The admin's own scripts and style sheet (cms/static/cms/admin/) are on every admin page, once each."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SCRIPTS = [
    "cms/admin/field-labels.js",
    "cms/admin/rich-text-table-paste.js",
    "cms/admin/wagtail-autosave-compat.js",
    "cms/admin/wagtail-unsaved-compat.js",
    "cms/admin/upload-label.js",
    "cms/admin/document-accessibility-update.js",
    "cms/admin/date-picker-close.js",
    "cms/admin/filters-open-at-error.js",
    "cms/admin/download-once.js",
]


def test_every_admin_page_loads_the_admins_scripts_deferred_once_each_in_order(verified_admin_client):
    html = verified_admin_client.get(reverse("wagtailadmin_home")).content.decode()
    places = [html.index(f'<script src="/static/{script}" defer></script>') for script in SCRIPTS]
    assert places == sorted(places)
    assert [html.count(script) for script in SCRIPTS] == [1] * len(SCRIPTS)
    assert html.count('<link rel="stylesheet" href="/static/cms/admin/admin.css">') == 1
