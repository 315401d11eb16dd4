"""A signed-in user of the wrong role gets one answer at every casework URL of a side.

Admin side: the Casework menu's viewsets (child records, review queue, overdue advice) and the child record's pages
(advice_forms/admin/records.py), for staff of the roles without casework: Wagtail's refusal, as at every other admin
screen (back to the dashboard with "Sorry, you do not have permission to access this area."), never the public
site's 403 page, whose only way on is the home page. Portal side: the professional's pages of
advice_forms/portal/urls.py, for staff (they work in the admin): the site's 403 page. Each URL is asked by GET and by
POST, so no method tells a wrong role more. The patterns are read from the code that registers them, so a new
casework URL that refuses otherwise (a 405, a 404, the other side's refusal) fails here. And no admin URL at all
answers a member of staff with the public site's 403 page.
"""

import pytest

from advice_forms.admin import records
from advice_forms.admin.casework import CaseworkGroup
from advice_forms.portal import urls as portal_urls
from portal_pages import urls as portal_pages_urls
from tests.refusals import refused_by_wagtail
from tests.test_role_matrix import (
    CASEWORKER,
    CONTENT_EDITOR,
    FORM_DESIGNER,
    GUIDANCE_APPROVER,
    PORTAL_ADMIN,
    SUPERUSER,
    fill_path,
    matrix_for_test,
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


def _answer(response):
    if refused_by_wagtail(response):
        return "refused"
    content = response.content.decode() if response.status_code == 403 else ""
    return "403" if FORBIDDEN_PAGE in content else f"{response.status_code} {response.get('Location', '')}".strip()


def _answers(client, pattern, data, methods=("get", "post")):
    path = fill_path(pattern, data, row_for(pattern.key)[0].fill)
    for method in methods:
        yield f"{method.upper()} {pattern.name} {path}", _answer(getattr(client, method)(path))


@pytest.mark.parametrize(
    ("side", "roles", "refusal"),
    [
        ("admin", (FORM_DESIGNER, CONTENT_EDITOR, GUIDANCE_APPROVER, PORTAL_ADMIN), "refused"),
        ("portal", (CASEWORKER, PORTAL_ADMIN, SUPERUSER), "403"),
    ],
)
def test_a_wrong_role_gets_its_sides_refusal_at_every_casework_url(side, roles, refusal, matrix):
    data, users = matrix_for_test(matrix)
    patterns = admin_casework_patterns() if side == "admin" else portal_casework_patterns()
    odd = []
    for role in roles:
        client = signed_in_client(users[role])
        odd += [f"{role}: {url} -> {answer}" for p in patterns for url, answer in _answers(client, p, data)]
    odd = [line for line in odd if not line.endswith(f"-> {refusal}")]
    assert not odd, f"{side} casework URLs that refuse a wrong role otherwise than with {refusal}:\n" + "\n".join(odd)


@pytest.mark.parametrize("role", [CASEWORKER, FORM_DESIGNER, CONTENT_EDITOR, PORTAL_ADMIN])
def test_no_admin_url_answers_staff_with_the_public_sites_403_page(role, matrix):
    """A caseworker at a form definition's URL got the public site's 403 page, which told them to ask the SEND
    service (their own team) and led only to the home page."""
    data, users = matrix_for_test(matrix)
    client = signed_in_client(users[role])
    patterns = [p for p in url_patterns() if p.route.startswith("admin/") and p.name and "logout" not in p.name]
    public = [url for p in patterns for url, answer in _answers(client, p, data, methods=("get",)) if answer == "403"]
    assert not public, f"{role}: admin URLs answered with the public site's 403 page:\n" + "\n".join(public)
