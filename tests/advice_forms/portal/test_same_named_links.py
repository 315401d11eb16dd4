"""Links a screen reader lists by name: two links of the same name went to different places. On a request page the
task list's "Outcomes", "Professional involvement" and "Contribution and communication method" (sections of the
form) and the same words under "Around the form" (the child's record); on the dashboard each request's form title,
the child named only in the next cell. The words on screen are unchanged: the links' hidden words tell them apart."""

from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from advice_forms.models import FormKind
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, definition, question, section

pytestmark = pytest.mark.django_db


def _names_to_places(html):
    """Each link's accessible name (its text, hidden words included) and the addresses it goes to."""
    places = defaultdict(set)
    for link in BeautifulSoup(html, "html.parser").select("main a[href]"):
        places[" ".join(link.get_text(" ").split())].add(link["href"].split("#")[0])
    return places


def _same_names_different_places(html):
    return {name: hrefs for name, hrefs in _names_to_places(html).items() if len(hrefs) > 1}


@pytest.mark.parametrize("kind", [FormKind.ERSA, FormKind.APPENDIX_B])
def test_a_request_pages_sections_and_record_links_of_the_same_title_have_different_names(
    verified_client, professional, kind
):
    version = definition(
        [
            section(title, [question("short_text", f"About {title}", key=f"q{n}")], key=f"s{n}")
            for n, title in enumerate(["Outcomes", "Professional involvement", "Contribution and communication method"])
        ],
        kind=kind,
    )
    advice_request = AdviceRequestFactory(account=professional, form_version=version, child=ChildRecordFactory())

    html = verified_client.get(f"/portal/requests/{advice_request.pk}/").content.decode()

    assert _same_names_different_places(html) == {}
    names = _names_to_places(html)
    assert names["Outcomes"] == {f"/portal/requests/{advice_request.pk}/steps/s0/"}
    assert names["Outcomes for this child's record"] == {f"/portal/requests/{advice_request.pk}/outcomes/"}
    assert names["Professional involvement for this child's record"] == {
        f"/portal/requests/{advice_request.pk}/contacts/"
    }
    shown = BeautifulSoup(html, "html.parser")
    for hidden in shown.select(".govuk-visually-hidden"):
        hidden.decompose()
    assert "Outcomes (0)" in " ".join(shown.get_text(" ").split())  # the words on screen stay


def test_the_dashboards_links_to_two_requests_for_the_same_form_name_the_child_each_is_for(
    verified_client, professional, small_form
):
    AdviceRequestFactory(
        account=professional, form_version=small_form, child=ChildRecordFactory(first_name="Ada", last_name="Quill")
    )
    AdviceRequestFactory(
        account=professional,
        form_version=small_form,
        child=ChildRecordFactory(first_name="Bo", last_name="Fenwick"),
        shows_child_name=False,
    )

    html = verified_client.get("/portal/").content.decode()

    assert _same_names_different_places(html) == {}
    names = _names_to_places(html)
    assert f"{small_form.title} for Ada Quill" in names and f"{small_form.title} for B. F." in names
