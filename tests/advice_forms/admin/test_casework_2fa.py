"""Casework is behind the second factor: a caseworker who has given only a password is sent to the code step at
every casework, child record, review and overdue URL, and a POST there changes nothing."""

import fnmatch

import pytest
from django.urls import reverse

from advice_forms.models import AdviceRequest, RequestState
from tests.factories.accounts import PASSWORD
from tests.test_role_matrix import CASEWORKER, fill_path, matrix_data, url_patterns

pytestmark = pytest.mark.django_db

CASEWORK_URLS = ["casework_*", "child_records:*", "review_queue:*", "overdue_advice:*"]


def test_a_password_only_caseworker_is_sent_to_the_code_step_everywhere_in_casework(client, home_page, superuser):
    data, users = matrix_data(home_page, superuser)
    caseworker = users[CASEWORKER]
    signed_in = client.post(reverse("wagtailadmin_login"), {"username": caseworker.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    code_step = reverse("wagtail_2fa_auth")
    states = dict(AdviceRequest.objects.values_list("pk", "state"))

    patterns = [p for p in url_patterns() if any(fnmatch.fnmatchcase(p.name or "", glob) for glob in CASEWORK_URLS)]
    assert len(patterns) >= 25, [p.name for p in patterns]
    not_sent_to_code_step = []
    for pattern in patterns:
        path = fill_path(pattern, data)
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or not response["Location"].startswith(code_step):
                not_sent_to_code_step.append((method.__name__, path, response.status_code, response.get("Location")))

    assert not_sent_to_code_step == []
    assert dict(AdviceRequest.objects.values_list("pk", "state")) == states
    assert RequestState.SUBMITTED in states.values()
