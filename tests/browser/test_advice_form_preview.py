import io

import pytest
from django.urls import reverse

from advice_forms import demo
from advice_forms.models import FormDefinition
from tests.factories.accounts import SuperuserFactory, TOTPDeviceFactory, verified_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("kind", ["ersa", "appendix_b"])
def test_demo_form_steps_render_accessibly_in_the_admin(live_server, home_page, client, page, axe_violations, kind):
    demo.load(io.StringIO())
    version = FormDefinition.objects.get(kind=kind).latest_version()
    # Transactional tests flush the migrated groups, so a superuser stands in for the form designer here.
    designer = SuperuserFactory()
    TOTPDeviceFactory(user=designer)
    verified_login(client, designer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    response = page.goto(
        live_server.url + reverse("wagtailsnippets_advice_forms_formdefinition:version", args=[version.pk])
    )

    assert response.status == 200
    assert page.locator("h1").inner_text() == version.title
    # The outcomes and child's details questions are record-backed: they say where their rows come from.
    for key in ("outcomes", "child_details"):
        question = page.locator(f"#id_{key}")
        assert question.count() == 1
        assert "Filled in from the child record" in question.inner_text()
        assert question.locator("input, textarea, select").count() == 0
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)
