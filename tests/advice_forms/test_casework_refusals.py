"""A signed-in user of the wrong role gets one answer at every casework URL of a side: the site's 403 page.

Admin side: the Casework menu's viewsets (child records, review queue, overdue advice) and the child record's pages
(advice_forms/admin/records.py), for staff of the roles without casework. Portal side: the professional's pages of
advice_forms/portal/urls.py, for staff (they work in the admin). Each URL is asked by GET and by POST, so no method
tells a wrong role more. The patterns are read from the code that registers them, so a new casework URL that
refuses otherwise (Wagtail's redirect to the dashboard with a message, a 405, a 404) fails here.
"""

import pytest

from advice_forms.admin import records
from advice_forms.admin.casework import CaseworkGroup
from advice_forms.portal import urls as portal_urls
from portal_pages import urls as portal_pages_urls
from tests.test_role_matrix import (
    CASEWORKER,
    CONTENT_EDITOR,
    FORM_DESIGNER,
    GUIDANCE_APPROVER,
    PORTAL_ADMIN,
    SUPERUSER,
    fill_path,
    matrix_data,
    row_for,
    signed_in_client,
    url_patterns,
)

pytestmark = pytest.mark.django_db

FORBIDDEN_PAGE = "You do not have permission to see this page"


def admin_casework_patterns():
    namespaces = {viewset.name for viewset in CaseworkGroup.items}
    names = {pattern.name for pattern in records.urlpatterns()}
    return [p for p in url_patterns() if p.name and (p.name.split(":")[0] in namespaces or p.name in names)]


def portal_casework_patterns():
    doors = {pattern.name for pattern in portal_pages_urls.urlpatterns}
    names = {f"portal:{p.name}" for p in portal_urls.urlpatterns if p.name not in doors}
    return [p for p in url_patterns() if p.name in names]


def test_the_walk_finds_both_sides():
    admin_names = {p.name for p in admin_casework_patterns()}
    portal_names = {p.name for p in portal_casework_patterns()}
    assert {"child_records:inspect", "review_queue:remind", "overdue_advice:index", "casework_documents"} <= admin_names
    assert {"portal:dashboard", "portal:request_detail", "portal:request_step", "portal:request_submit"} <= portal_names
    assert not {name for name in portal_names if not name.startswith(("portal:request_", "portal:dashboard"))}


def _answers(client, pattern, data):
    path = fill_path(pattern, data, row_for(pattern.key)[0].fill)
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        content = response.content.decode() if response.status_code == 403 else ""
        answer = "403" if FORBIDDEN_PAGE in content else f"{response.status_code} {response.get('Location', '')}"
        yield f"{method.upper()} {pattern.name} {path}", answer.strip()


@pytest.mark.parametrize(
    ("side", "roles"),
    [
        ("admin", (FORM_DESIGNER, CONTENT_EDITOR, GUIDANCE_APPROVER, PORTAL_ADMIN)),
        ("portal", (CASEWORKER, PORTAL_ADMIN, SUPERUSER)),
    ],
)
def test_a_wrong_role_gets_the_403_page_at_every_casework_url(side, roles, home_page, superuser):
    data, users = matrix_data(home_page, superuser)
    patterns = admin_casework_patterns() if side == "admin" else portal_casework_patterns()
    odd = []
    for role in roles:
        client = signed_in_client(users[role])
        odd += [f"{role}: {url} -> {answer}" for p in patterns for url, answer in _answers(client, p, data)]
    odd = [line for line in odd if not line.endswith("-> 403")]
    assert not odd, f"{side} casework URLs that refuse a wrong role otherwise than with the 403 page:\n" + "\n".join(
        odd
    )
