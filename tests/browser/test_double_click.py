"""A double click in a real Chromium sends a form once where a second post would repeat or undo the first: the step's
file filed once, a first "Was this page useful?" vote stored once and a comment sent once (feedback.js), the sign-in
code accepted and the professional signed in (a second post of the same code was refused, as a code is used once, or
found the first's session gone, and showed the code or the password page again).

The live server is slowed a little, as a busy one is, so that the first post is still on its way when the second
click comes: a fast one answers between two clicks and the page has gone."""

import time

import pytest
from playwright.sync_api import expect

from advice_forms.models import Document
from advice_forms.portal import wizard
from faq import views as faq_views
from faq.models import PageFeedback
from portal_pages.views import accounts
from tests.browser.test_advice_wizard import sign_in
from tests.factories.accounts import PASSWORD
from tests.factories.advice_forms import AdviceRequestFactory, definition, pdf_bytes, question, section
from tests.factories.cms import published
from tests.factories.faq import FAQPageFactory
from tests.factories.faq import question as faq_question
from tests.otp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUSY_SECONDS = 0.5
REPORT = {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _slowed(monkeypatch, module, name):
    real = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(BUSY_SECONDS)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def _double_click(page, button):
    """Two clicks 100 ms apart where the button is, as a person's double click: the mouse's own, which (unlike a
    locator's click) does not wait for the page the first one asked for."""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)


def test_a_double_click_on_save_and_continue_files_the_chosen_file_once(
    live_server, page, home_page, professional, monkeypatch
):
    fields = [question("file", "Latest school report", key="report"), question("short_text", "Notes", key="notes")]
    ar = AdviceRequestFactory(account=professional, form_version=definition([section("Evidence", fields, key="ev")]))
    _slowed(monkeypatch, wizard, "draft_step_save")
    sign_in(page, live_server.url, professional)
    page.goto(f"{live_server.url}/portal/requests/{ar.pk}/steps/ev/")
    page.get_by_label("Notes").fill("Read with the plan")
    page.locator("input[type=file][name=report]").set_input_files(REPORT)

    _double_click(page, page.locator("main .govuk-button-group").get_by_role("button", name="Save and continue"))

    page.wait_for_url(f"{live_server.url}/portal/requests/{ar.pk}/check-answers/")
    expect(page.locator("main")).to_contain_text("report.pdf")
    assert Document.objects.filter(advice_request=ar).count() == 1


def test_a_double_click_on_a_first_vote_stores_one_vote_and_on_send_comment_sends_it_once(
    live_server, page, home_page, monkeypatch
):
    faq = published(FAQPageFactory(parent=home_page, slug="faqs", questions=[faq_question("How do I sign in?")]))
    _slowed(monkeypatch, faq_views, "feedback_vote")
    _slowed(monkeypatch, faq_views, "feedback_comment_add")
    comments_sent = []
    page.on(
        "request",
        lambda r: comments_sent.append(r) if r.method == "POST" and "comment" in (r.post_data or "") else None,
    )
    page.goto(live_server.url + faq.url)

    _double_click(page, page.get_by_role("button", name="Yes this page was useful"))

    expect(page.locator("[data-feedback-thanks]")).to_have_text("Thank you for your feedback.")
    page.wait_for_timeout(2 * BUSY_SECONDS * 1000)  # a second vote, if one was sent, has been stored
    assert PageFeedback.objects.count() == 1

    page.get_by_label("How could we improve this page?").fill("Say how long the code lasts.")
    _double_click(page, page.get_by_role("button", name="Send comment"))

    expect(page.locator("[data-feedback-thanks]")).to_contain_text("Your comment has been sent")
    assert len(comments_sent) == 1
    assert list(PageFeedback.objects.values_list("comment", flat=True)) == ["Say how long the code lasts."]


def test_a_double_click_on_the_sign_in_code_signs_in(live_server, page, home_page, professional, monkeypatch):
    _slowed(monkeypatch, accounts, "otp_login")
    page.goto(live_server.url + "/portal/")
    page.get_by_label("Email address").fill(professional.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/portal/sign-in/code/**")
    page.get_by_label("Code from your authenticator app, or a backup code").fill(
        current_code(professional.totpdevice_set.get())
    )

    _double_click(page, page.get_by_role("button", name="Sign in"))

    page.wait_for_url(live_server.url + "/portal/", timeout=10_000)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in to the portal")
