"""Guidance in a real Chromium: FAQ, visual guide and search have no axe violations; the feedback form
works with JavaScript on (without leaving the page) and the answers are stored."""

import re
from urllib.parse import urlencode

import pytest
import wagtail_factories
from django.core.cache import caches
from django.core.management import call_command
from playwright.sync_api import expect

from faq.models import GuidancePrintable, PageFeedback
from tests.browser.conftest import axe_run
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import VisualGuidePageFactory, published_faqs, question, step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guidance(home_page):
    section, faq = published_faqs(
        home_page,
        [
            ("group_heading", "Signing in"),
            question("I forgot my password", "<p>Choose <b>Forgotten your password?</b> on the sign-in page.</p>"),
            question("Why does the portal sign me out?", "<p>After 10 minutes without activity.</p>"),
            ("group_heading", "Outcomes"),
            question("Do I need to add outcomes?", "<ul><li><b>SLT</b>: Speech and Language Therapy</li></ul>"),
        ],
        related_links=[("link", {"title": "Council SEND pages", "url": "https://www.example.org/send"})],
    )
    image = wagtail_factories.ImageFactory(title="Placeholder")
    guide = published(
        VisualGuidePageFactory(
            parent=section,
            title="Signing in for the first time",
            slug="signing-in",
            steps=[
                step("Install an app", image, alt_text="Placeholder: an app store"),
                step("Scan the QR code", image, alt_text="Placeholder: the QR code page"),
            ],
        )
    )
    published(VisualGuidePageFactory(parent=section, title="Submitting a form", slug="submitting"))
    call_command("update_index", verbosity=0)
    return faq, guide


def _no_violations(page, axe_violations):
    violations = axe_violations(page)
    assert violations == [], axe_violations.describe(violations)


def _watch_csp(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def test_faq_page_has_no_axe_violations_and_jump_links_land_on_answers(live_server, guidance, page, axe_violations):
    faq, _guide = guidance
    csp_errors = _watch_csp(page)
    page.goto(live_server.url + faq.url)

    _no_violations(page, axe_violations)
    page.locator("#contents").get_by_role("link", name="Why does the portal sign me out?").click()
    expect(page).to_have_url(re.compile(r"#why-does-the-portal-sign-me-out$"))
    expect(page.locator("#why-does-the-portal-sign-me-out")).to_be_visible()
    page.locator("#why-does-the-portal-sign-me-out").locator("..").get_by_role("link", name="Back to top").click()
    expect(page).to_have_url(re.compile(r"#top$"))
    assert csp_errors == []


def test_visual_guide_has_no_axe_violations_on_a_phone(live_server, guidance, new_page, axe_violations):
    _faq, guide = guidance
    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(live_server.url + guide.url)
    _no_violations(phone, axe_violations)
    assert phone.locator("ol.portal-steps img").first.get_attribute("alt") == "Placeholder: an app store"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the guide must not scroll sideways on a phone"


def test_on_a_phone_the_feedback_box_stands_apart_from_the_section_navigation_under_it(live_server, guidance, new_page):
    """On a phone the columns stack: the feedback box ends the main column and the section navigation follows."""
    phone = new_page(viewport={"width": 375, "height": 740})
    for guidance_page in guidance:
        phone.goto(live_server.url + guidance_page.url)
        feedback = phone.locator(".portal-feedback").bounding_box()
        navigation = phone.locator(".portal-section-nav").bounding_box()
        gap = navigation["y"] - (feedback["y"] + feedback["height"])
        assert gap >= 30, f"{guidance_page.title}: {gap}px between the feedback box and the section navigation"


def test_a_printable_being_prepared_says_so_plainly_on_a_phone(live_server, guidance, new_page, axe_violations):
    _faq, guide = guidance
    GuidancePrintable.objects.filter(page=guide).delete()  # as if its task were lost on the way
    caches["default"].clear()  # a minute on: the publish's queuing no longer holds visitors back
    phone = new_page(viewport={"width": 375, "height": 740})
    response = phone.goto(live_server.url + guide.url + "printable/")
    assert response.status == 202
    assert phone.locator("h1").all_inner_texts() == ["The printable version is being prepared"]
    assert phone.get_by_role("link", name=f"read “{guide.title}” on this site").get_attribute("href") == guide.url
    _no_violations(phone, axe_violations)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # The visit queued the rendering again; the tests' queue runs it at once, so the next visit gets the PDF.
    again = phone.request.get(live_server.url + guide.url + "printable/")
    assert again.status == 200 and again.headers["content-type"] == "application/pdf"


def test_search_results_and_no_results_have_no_axe_violations(live_server, guidance, page, axe_violations):
    page.goto(live_server.url + "/")
    page.locator("#header-search").fill("password")
    page.locator("header").get_by_role("button", name="Search").click()

    expect(page.locator(".portal-search-results__item").first).to_be_visible()  # waits for the results page
    assert "Frequently asked questions" in page.locator(".portal-search-results").inner_text()
    _no_violations(page, axe_violations)

    page.goto(live_server.url + "/search/?q=xqzvbnm")
    assert "No results for" in page.locator("main").inner_text()
    _no_violations(page, axe_violations)


def test_the_feedback_form_works_with_javascript(live_server, guidance, page, axe_violations):
    faq, _guide = guidance
    csp_errors = _watch_csp(page)
    page.goto(live_server.url + faq.url)
    url_before = page.url

    page.get_by_role("button", name="No this page was not useful").click()
    thanks = page.locator("[data-feedback-thanks]")
    thanks.wait_for(state="visible")

    assert thanks.inner_text() == "Thank you for your feedback."
    assert page.url == url_before, "the script sends the vote without leaving the page"
    assert page.locator("[data-feedback-vote]").count() == 0
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "")]

    comment = page.locator("#feedback-comment")
    page.get_by_role("button", name="Send comment").click()
    page.locator("[data-feedback-summary]").wait_for(state="visible")
    error = " ".join(page.locator("#feedback-comment-error").text_content().split())
    assert error == "Error: Enter how we could improve this page"
    assert page.locator("[data-feedback-summary] a").inner_text() == "Enter how we could improve this page"
    _no_violations(page, axe_violations)

    comment.fill("Tell us how long the reset link lasts.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment has been sent").wait_for()

    assert list(PageFeedback.objects.values_list("rating", "comment")) == [
        ("no", "Tell us how long the reset link lasts.")
    ]
    page.reload()
    assert page.locator("[data-feedback-vote]").count() == 0, "one vote per page per browser session"
    assert csp_errors == []


def test_the_comment_box_says_error_only_once_there_is_one(live_server, guidance, page):
    """GOV.UK's error message style showed the hidden error line, so a screen reader read "Error:" before the box."""
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    page.get_by_role("button", name="Yes this page was useful").click()
    comment = page.get_by_role("textbox", name="How could we improve this page?")
    comment.wait_for(state="visible")
    form = page.locator("[data-feedback-comment]")

    assert "Error" not in form.aria_snapshot()
    assert page.locator("#feedback-comment-error:visible").count() == 0
    assert "feedback-comment-error" not in comment.get_attribute("aria-describedby").split()
    assert "Error" not in comment.evaluate("box => box.labels[0].closest('form').innerText")
    expect(comment).not_to_have_accessible_description(re.compile("Error"))

    page.get_by_role("button", name="Send comment").click()
    page.locator("[data-feedback-summary]").wait_for(state="visible")

    assert "Error: Enter how we could improve this page" in form.aria_snapshot()
    expect(page.locator("#feedback-comment-error")).to_be_visible()
    expect(comment).to_have_accessible_description(re.compile(r"Error:\s+Enter how we could improve this page"))


def test_a_comment_after_the_voting_session_ended_is_not_thanked_but_asks_the_question(
    live_server, guidance, page, axe_violations
):
    """The script showed "Your comment has been sent" for a comment the server had dropped (no vote in its session)."""
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    page.get_by_role("button", name="No this page was not useful").click()
    page.locator("#feedback-comment").wait_for(state="visible")
    page.context.clear_cookies(name="sessionid")  # the session that voted ends; the page stays open

    page.get_by_role("button", name="Send comment").click()  # empty, too: both questions are asked on one page
    page.get_by_text("Your comment has not been sent yet").wait_for()

    assert "has been sent" not in page.locator("main").inner_text()
    assert page.locator(".govuk-error-summary__list a").all_inner_texts() == [
        "Select yes, neutral or no",
        "Enter how we could improve this page",
    ]
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "")]
    _no_violations(page, axe_violations)

    page.locator("#feedback-comment").fill("Tell us how long the reset link lasts.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment has not been sent yet").wait_for()
    assert page.locator("#feedback-comment").input_value() == "Tell us how long the reset link lasts."
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment has been sent").wait_for()
    assert sorted(PageFeedback.objects.values_list("rating", "comment")) == [
        ("no", ""),
        ("yes", "Tell us how long the reset link lasts."),
    ]


def test_a_comment_from_a_browser_refusing_cookies_keeps_its_words(live_server, guidance, page, axe_violations):
    """The vote needs no cookie, the comment's CSRF check does: the script's post and then its plain post were both
    refused, on the site's general page, and the words typed were lost."""
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    page.get_by_role("button", name="No this page was not useful").click()
    page.locator("#feedback-comment").wait_for(state="visible")
    page.context.clear_cookies()  # a browser refusing cookies keeps neither the session nor the CSRF cookie
    page.locator("#feedback-comment").fill("Tell us how long the reset link lasts.")

    page.get_by_role("button", name="Send comment").click()
    page.locator("[data-feedback-not-sent]").wait_for()

    assert "not accepting cookies" in page.locator("[data-feedback-not-sent]").inner_text()
    assert page.locator("#feedback-comment").input_value() == "Tell us how long the reset link lasts."
    assert "has been sent" not in page.locator("main").inner_text().replace("has not been sent", "")
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "")]
    _no_violations(page, axe_violations)


def test_a_comment_or_a_vote_sent_without_a_connection_stays_on_the_page_and_says_so(
    live_server, guidance, page, axe_violations
):
    """Offline, the script's failed fetch fell back to a plain post: the browser's offline page took the place of the
    guidance, and the words typed went with it."""
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    url_before = page.url
    page.context.set_offline(True)

    page.get_by_role("button", name="No this page was not useful").click()
    vote_error = page.locator("#feedback-vote-error")
    vote_error.wait_for()

    assert " ".join(vote_error.text_content().split()) == (
        "Error: Your answer has not been sent. Check your connection, then select Yes, Neutral or No again."
    )
    assert page.url == url_before
    assert not PageFeedback.objects.exists()
    _no_violations(page, axe_violations)

    page.context.set_offline(False)
    page.get_by_role("button", name="No this page was not useful").click()
    comment = page.locator("#feedback-comment")
    comment.wait_for(state="visible")
    comment.fill("Tell us how long the reset link lasts.")
    page.context.set_offline(True)
    page.get_by_role("button", name="Send comment").click()
    page.locator("[data-feedback-summary]").wait_for(state="visible")

    message = "Your comment has not been sent. Check your connection, then select Send comment again."
    assert " ".join(page.locator("#feedback-comment-error").text_content().split()) == f"Error: {message}"
    assert page.locator("[data-feedback-summary] a").inner_text() == message
    assert page.url == url_before
    assert comment.input_value() == "Tell us how long the reset link lasts.", "nothing typed is lost"
    _no_violations(page, axe_violations)

    page.context.set_offline(False)
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Your comment has been sent").wait_for()
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [
        ("no", "Tell us how long the reset link lasts.")
    ]


def test_a_vote_not_sent_marks_its_question_in_error_beside_its_other_descriptions(live_server, guidance, page):
    """The vote's error had no red bar of a group in error, and took the place of whatever else described the
    question (aria-describedby); a vote sent again starts without it."""
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    vote = page.locator("[data-feedback-vote]")
    fieldset = vote.locator("fieldset")
    fieldset.evaluate("node => node.setAttribute('aria-describedby', 'feedback-vote-hint')")  # a hint it may have
    page.context.set_offline(True)

    page.get_by_role("button", name="No this page was not useful").click()
    page.locator("#feedback-vote-error").wait_for()

    assert "govuk-form-group--error" in vote.get_attribute("class").split()
    assert fieldset.get_attribute("aria-describedby") == "feedback-vote-hint feedback-vote-error"

    page.context.set_offline(False)
    page.route("**/vote/", lambda route: None)  # held: the vote is on its way
    page.get_by_role("button", name="No this page was not useful").click()
    page.locator("#feedback-vote-error").wait_for(state="detached")
    assert "govuk-form-group--error" not in vote.get_attribute("class").split()
    assert fieldset.get_attribute("aria-describedby") == "feedback-vote-hint"


def test_a_refused_vote_is_said_in_place_of_the_thanks(live_server, guidance, page, axe_violations, settings):
    """Over the hourly limit the script showed nothing and sent the form again, to be refused a second time."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 0
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    url_before = page.url

    page.get_by_role("button", name="No this page was not useful").click()
    thanks = page.locator("[data-feedback-thanks]")
    thanks.wait_for(state="visible")

    assert thanks.inner_text().startswith("You have sent a lot of feedback")
    assert page.url == url_before
    assert page.locator("[data-feedback-vote]").count() == 0
    assert not page.locator("[data-feedback-comment]").is_visible(), "no comment without a vote"
    assert not PageFeedback.objects.exists()
    _no_violations(page, axe_violations)


def test_the_comment_box_counts_characters_as_they_are_typed(live_server, guidance, page, axe_violations):
    faq, _guide = guidance
    page.goto(live_server.url + faq.url)
    page.get_by_role("button", name="No this page was not useful").click()
    comment = page.locator("#feedback-comment")
    comment.wait_for(state="visible")
    status = page.locator(".govuk-character-count__status")

    expect(status).to_have_text("You have 1,200 characters remaining")
    comment.fill("x" * 1190)
    expect(status).to_have_text("You have 10 characters remaining")
    comment.fill("x" * 1203)
    expect(status).to_have_text("You have 3 characters too many")
    _no_violations(page, axe_violations)

    page.get_by_role("button", name="Send comment").click()  # the server refuses it too, and the count stays described
    page.locator("[data-feedback-summary]").wait_for(state="visible")
    assert "Error: Your comment must be 1,200 characters or fewer" in " ".join(
        page.locator("#feedback-comment-error").text_content().split()
    )
    assert comment.get_attribute("aria-describedby").split() == [
        "feedback-comment-hint",
        "feedback-comment-info",
        "feedback-comment-error",
    ]
    assert comment.input_value() == "x" * 1203, "nothing typed is lost"
    assert list(PageFeedback.objects.values_list("comment", flat=True)) == [""]


def test_the_feedback_page_has_no_axe_violations_with_and_without_an_error(live_server, guidance, page, axe_violations):
    faq, _guide = guidance
    page.goto(f"{live_server.url}/feedback/{faq.pk}/?rating=no")
    assert page.get_by_role("radio", name="No").is_checked()
    _no_violations(page, axe_violations)

    page.get_by_role("radio", name="No").evaluate("radio => { radio.checked = false; }")
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator("#rating-error").inner_text().endswith("Select yes, neutral or no")
    _no_violations(page, axe_violations)


def test_the_feedback_form_works_without_javascript(live_server, guidance, new_page):
    faq, _guide = guidance
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + faq.url)
    # One click sends the vote, though the page may come from the page cache, without a CSRF token.
    page.get_by_role("button", name="Yes this page was useful").click()

    expect(page).to_have_url(re.compile(re.escape(f"{faq.url}#feedback") + "$"))  # the POST's redirect
    assert page.locator("[data-feedback-thanks]").inner_text() == "Thank you for your feedback."
    assert list(PageFeedback.objects.values_list("rating", flat=True)) == ["yes"]

    # The comment is the follow-up, with the token the page now carries (the voter has a session).
    page.locator("#feedback-comment").fill("Say how long the link lasts.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("[data-feedback-thanks]")).to_have_text(re.compile("Your comment has been sent"))
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("yes", "Say how long the link lasts.")]


def test_the_feedback_pages_back_link_is_in_a_landmark(live_server, guidance, page, axe_violations):
    """axe's "region" rule (a best practice, outside the WCAG run): the back link of the feedback pages sat outside
    every landmark, so someone moving by landmarks did not find it. It stays where GOV.UK puts it, before <main>."""
    faq, _guide = guidance
    page.goto(f"{live_server.url}/feedback/{faq.pk}/?rating=no")
    _back_link_in_a_landmark_before_main(page, faq.title)
    _no_violations(page, axe_violations)

    # The comment page, shown when a comment sent without JavaScript is refused.
    form = "document.querySelector('form[data-feedback-page-vote]')"
    page.evaluate(f"{form}.insertAdjacentHTML('beforeend', '<input type=hidden name=action value=comment>')")
    with page.expect_navigation():
        page.evaluate(f"{form}.submit()")
    expect(page.locator("h1")).to_contain_text("Your comment on")
    _back_link_in_a_landmark_before_main(page, faq.title)
    _no_violations(page, axe_violations)


def _back_link_in_a_landmark_before_main(page, title):
    violations = axe_run(page, "rule", ["region"])
    assert [node["target"] for violation in violations for node in violation["nodes"]] == []
    assert page.get_by_role("navigation", name="Back").get_by_role("link", name=f"Back to {title}").count() == 1
    before_main = "document.querySelector('main').compareDocumentPosition(document.querySelector('.govuk-back-link'))"
    assert page.evaluate(f"{before_main} & Node.DOCUMENT_POSITION_PRECEDING")


PASTED_LINK = (
    "https://www.kestrelford.example.org/send/local-offer/ehc-needs-assessment-request-guidance-for-parents-and-carers"
)


def test_a_long_word_in_a_search_wraps_on_a_phone(live_server, guidance, home_page, new_page):
    """A pasted link as the search, or in a result's title or summary, wraps: the page never scrolls sideways on a
    phone (it widened to 504 px for the link, 2,372 px for 600 letters)."""
    template = (
        "https://www.kestrelford.example.org/send/educational-psychology-advice-template-for-schools-and-settings"
    )
    word = "Educationalpsychologyadvicetemplateforschoolsandsettings"
    published(
        HelpPageFactory(
            parent=home_page,
            title=f"Advice templates: {template.removeprefix('https://')}",
            slug="advice-templates",
            intro=f"Download it from {template} ({word}).",
        )
    )
    call_command("update_index", verbosity=0)
    phone = new_page(viewport={"width": 390, "height": 844})
    # The pasted link's words may find pages holding some of them (a search with no page holding all its words
    # shows those): how many is the backend's to say, the width is not.
    for query, results in [(PASTED_LINK, None), ("a" * 600, 0), ("advice templates", 1), (word, 1)]:
        phone.goto(live_server.url + "/search/?" + urlencode({"q": query}))
        if results is not None:
            assert phone.locator(".portal-search-results__item").count() == results, query[:40]
        assert phone.locator("#search-page-query").input_value() == query[:200]  # the search keeps 200 characters
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= phone.evaluate("innerWidth"), f"{query[:40]}: the page is {width}px wide"
