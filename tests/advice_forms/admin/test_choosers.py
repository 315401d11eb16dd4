"""The snippet choosers of the form-design models are for form designers and superusers only.

No casework screen picks a form definition, dropdown list, Team or Type through a chooser (sharing a request
picks a published version from a plain list), so every other role gets the 403 the models' other screens give.
"""

import pytest
from django.urls import reverse

from tests.factories.accounts import staff_in_group, verified_login

MODELS = ["formdefinition", "dropdownlist", "team", "needtype"]


@pytest.fixture
def term(db):
    from advice_forms.models import Team

    return Team.objects.create(code="EPX", name="Educational psychology (test)")


def _chooser_urls(model, term):
    namespace = f"wagtailsnippetchoosers_advice_forms_{model}"
    urls = [reverse(f"{namespace}:choose"), reverse(f"{namespace}:choose_results")]
    if model == "team":
        urls.append(reverse(f"{namespace}:chosen", args=[term.pk]))
    return urls


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["SEND caseworker", "Content editor", "Portal administrator"])
def test_other_roles_are_refused_the_form_design_choosers(client, term, model, role):
    verified_login(client, staff_in_group(role))

    for url in _chooser_urls(model, term):
        response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 403, url
        assert term.name not in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_form_designers_and_superusers_use_the_choosers(client, verified_admin_client, term, model):
    designer = verified_login(client.__class__(), staff_in_group("Form designer"))

    for user_client in (designer, verified_admin_client):
        for url in _chooser_urls(model, term):
            assert user_client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 200, url
    if model == "team":
        html = designer.get(_chooser_urls(model, term)[0]).content.decode()
        assert term.name in html
