"""Links in the staff admin read as links: one among a paragraph's words is underlined, as GOV.UK's are (on Wagtail's
dark theme the review page's "Download KBC-… (PDF, 38 KB)", #00b0b1 beside #f6f6f8 text with no underline, failed
axe's link-in-text-block), and so are the rows of the home page's own panels, whose dark links read as plain text."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.browser.editor import sign_in_to_editor
from tests.browser.test_dropdown_paste import signed_in
from tests.browser.test_failed_tasks import failed_task
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory, step_data, submission_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNDERLINE = "link => getComputedStyle(link).textDecorationLine"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_review_pages_download_link_is_underlined_on_either_theme(
    live_server, home_page, client, new_page, caseworker, small_form, axe_violations, theme
):
    advice_request = AdviceRequestFactory(form_version=small_form, child=ChildRecordFactory(coordinator=caseworker))
    submission = submission_make(advice_request, step_data())
    profile = UserProfile.get_for_user(caseworker)
    profile.theme = theme
    profile.save()
    page = new_page(viewport={"width": 1280, "height": 800})
    signed_in(page, client, live_server, caseworker)
    page.goto(live_server.url + reverse("review_queue:review", args=[advice_request.pk]))

    violations = axe_violations(page, ["link-in-text-block"])
    assert violations == [], axe_violations.describe(violations)
    download = page.get_by_role("link", name=f"Download {submission.reference}")
    assert download.evaluate(UNDERLINE) == "underline"


def test_the_home_pages_panels_show_their_links_as_links_and_their_words_inside_their_padding(
    live_server, home_page, client, new_page
):
    failed_task()
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in_to_editor(page, client, live_server)
    page.goto(live_server.url + "/admin/")

    failed = page.locator("#failures-content").get_by_role("link", name="1 background task failed", exact=False)
    nothing = page.get_by_text("Nothing is waiting for you.")
    panel = page.locator("#casework-to-do-section").bounding_box()
    words = nothing.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p); return r.getBoundingClientRect().left }"
    )
    # Flush against the panel's border, the words began 1 px in; the rows' words begin 1.5rem in.
    assert (failed.evaluate(UNDERLINE), round(words - panel["x"])) == ("underline", 25)
