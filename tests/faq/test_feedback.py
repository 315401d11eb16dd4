import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faq.forms import COMMENT_MAX_LENGTH
from faq.models import PageFeedback
from faq.selectors import SESSION_KEY
from faq.services import feedback_vote_with_comment
from tests.csv_downloads import csv_rows
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question
from tests.refusals import refused_by_wagtail

pytestmark = pytest.mark.django_db


@pytest.fixture
def faq(home_page):
    return published(FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")]))


@pytest.fixture
def browser_client():
    """A browser that enforces CSRF like a real one: it must post the token its page gave it."""
    return Client(enforce_csrf_checks=True)


def _click(client, url, rating="yes", headers=None):
    """What a browser without JavaScript does: the page's button posts its form, the page's own (no token: the page
    may come from the cache)."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    button = soup.select_one(f"form[data-feedback-vote] button[name=rating][value={rating}]")
    form = button.find_parent("form")
    assert form["method"] == "post" and not form.select("input[name=csrfmiddlewaretoken]")
    return client.post(form["action"], {button["name"]: button["value"]}, headers=headers)


def _vote_form(client, url, rating="yes"):
    """The feedback page's own form, which carries a token (shown again when a vote came without an answer): its
    action, which also takes the comment, and its token."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    action = soup.select_one("form[data-feedback-comment]")["action"]
    feedback_page = BeautifulSoup(client.get(action, {"rating": rating}).content, "html.parser")
    vote = feedback_page.select_one("form[data-feedback-page-vote]")
    return vote["action"], vote.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]


def test_a_vote_without_javascript_is_stored_on_the_first_click_and_the_comment_offered(faq):
    """The guide's Yes / Neutral / No opened a second page that asked the same question, so a visitor without
    JavaScript had to answer twice ("Send your answer"); the click now sends the vote, even from a cached page."""
    Client().get(faq.url)
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get(faq.url)["X-Wagtail-Cache"] == "hit"

    response = _click(visitor, faq.url, "no", headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})

    assert response.status_code == 302
    assert response["Location"] == f"{faq.url}#feedback"
    assert list(PageFeedback.objects.values_list("page_id", "rating", "comment")) == [(faq.pk, "no", "")]
    page = BeautifulSoup(visitor.get(faq.url).content, "html.parser")
    assert page.select_one("[data-feedback-thanks]").get_text(strip=True) == "Thank you for your feedback."
    assert "hidden" not in page.select_one("[data-feedback-thanks]").attrs
    assert page.select_one("form[data-feedback-vote]") is None
    comment_form = page.select_one("form[data-feedback-comment]")
    assert "hidden" not in comment_form.attrs
    assert "Do not type personal details" in comment_form.get_text()

    token = comment_form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    comment = {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Say how long the link lasts."}
    assert visitor.post(comment_form["action"], comment).status_code == 302
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "Say how long the link lasts.")]


def test_a_second_vote_in_the_same_session_is_not_counted_again(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "yes"})

    response = browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "no"})

    assert response.status_code == 302
    assert list(PageFeedback.objects.values_list("rating", flat=True)) == ["yes"]


def test_another_browser_votes_separately(faq):
    for rating in ("yes", "no"):
        visitor = Client(enforce_csrf_checks=True)
        action, token = _vote_form(visitor, faq.url)
        visitor.post(action, {"csrfmiddlewaretoken": token, "rating": rating})

    assert sorted(PageFeedback.objects.values_list("rating", flat=True)) == ["no", "yes"]


def test_a_vote_from_another_site_or_a_comment_or_page_vote_without_the_token_is_refused(browser_client, faq):
    """The vote's endpoint takes no token, so a vote another site's page posts is refused by what the browser says
    of where it came from; the comment, and the feedback page's own vote form, still need their token."""
    vote = f"/feedback/{faq.pk}/vote/"
    browser_client.get(faq.url)

    cross_site = browser_client.post(vote, {"rating": "yes"}, headers={"Sec-Fetch-Site": "cross-site"})
    same_site = browser_client.post(vote, {"rating": "yes"}, headers={"Sec-Fetch-Site": "same-site"})
    other_origin = browser_client.post(vote, {"rating": "yes"}, headers={"Origin": "https://elsewhere.example"})
    assert (cross_site.status_code, same_site.status_code, other_origin.status_code) == (403, 403, 403)
    assert not PageFeedback.objects.exists()

    browser_client.get(f"/feedback/{faq.pk}/")
    page_vote = browser_client.post(f"/feedback/{faq.pk}/", {"rating": "yes"})
    forged = browser_client.post(f"/feedback/{faq.pk}/", {"rating": "yes", "csrfmiddlewaretoken": "x" * 64})
    assert (page_vote.status_code, forged.status_code) == (403, 403)
    assert not PageFeedback.objects.exists()

    assert _click(browser_client, faq.url, rating="yes").status_code == 302
    comment = browser_client.post(f"/feedback/{faq.pk}/", {"action": "comment", "comment": "Forged"})
    assert comment.status_code == 403
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("yes", "")]


def test_the_vote_endpoint_answers_the_script_in_json_and_takes_only_posts(browser_client, faq):
    vote = f"/feedback/{faq.pk}/vote/"
    headers = {"Accept": "application/json", "Sec-Fetch-Site": "same-origin"}

    first = browser_client.post(vote, {"rating": "yes"}, headers=headers)
    again = browser_client.post(vote, {"rating": "no"}, headers=headers)
    bad = Client().post(vote, {"rating": "maybe"}, headers=headers)

    assert first.json() == {"status": "voted", "message": "Thank you for your feedback."}
    assert again.json()["status"] == "already-voted"
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["rating"]
    assert browser_client.get(vote).status_code == 405
    assert list(PageFeedback.objects.values_list("rating", flat=True)) == ["yes"]


def test_the_page_from_the_cache_carries_no_csrf_token_and_sets_no_cookie(faq, django_assert_num_queries):
    Client().get(faq.url)
    visitor = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        hit = visitor.get(faq.url)

    assert hit["X-Wagtail-Cache"] == "hit"
    assert settings.CSRF_COOKIE_NAME not in hit.cookies
    assert b"csrfmiddlewaretoken" not in hit.content
    assert "Set-Cookie" not in hit.headers
    # A kept page may be shared: nothing in it belongs to one browser.
    assert "private" not in hit.get("Cache-Control", "")


def test_the_feedback_page_opened_from_a_cached_page_has_the_answer_chosen_and_a_token(faq):
    Client().get(faq.url)
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get(faq.url)["X-Wagtail-Cache"] == "hit"

    response = visitor.get(f"/feedback/{faq.pk}/", {"rating": "no"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "Was this page useful?"
    assert [radio["value"] for radio in soup.select("input[name=rating][checked]")] == ["no"]
    assert soup.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value
    assert not PageFeedback.objects.exists(), "opening the page stores nothing"


def test_a_vote_sent_without_an_answer_shows_the_error_and_stores_nothing(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)

    response = browser_client.post(action, {"csrfmiddlewaretoken": token})

    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".govuk-error-summary__list a").get_text(strip=True) == "Select yes, neutral or no"
    assert soup.select_one("#rating-error").get_text(" ", strip=True) == "Error: Select yes, neutral or no"
    assert soup.title.get_text().startswith("Error: ")
    assert not PageFeedback.objects.exists()


def test_the_script_gets_a_token_and_votes_from_a_cached_page(faq):
    Client().get(faq.url)
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.get(faq.url)["X-Wagtail-Cache"] == "hit"
    headers = {"Accept": "application/json"}

    token = visitor.get(f"/feedback/{faq.pk}/", headers=headers).json()["csrf_token"]
    vote = visitor.post(f"/feedback/{faq.pk}/", {"csrfmiddlewaretoken": token, "rating": "yes"}, headers=headers)
    comment = visitor.post(
        f"/feedback/{faq.pk}/",
        {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Clearer, please."},
        headers=headers,
    )

    assert (vote.json()["status"], comment.json()["status"]) == ("voted", "commented")
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("yes", "Clearer, please.")]


def test_the_comment_is_added_to_this_sessions_vote(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "neutral"})

    response = browser_client.post(
        action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Say how long the link lasts."}
    )

    assert response.status_code == 302
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("neutral", "Say how long the link lasts.")]
    page = BeautifulSoup(browser_client.get(faq.url).content, "html.parser")
    assert "Your comment has been sent" in page.select_one("[data-feedback-thanks]").get_text()
    assert page.select_one("form[data-feedback-comment]") is None


def test_an_empty_or_too_long_comment_shows_the_error_beside_the_field_and_in_the_summary(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "no"})

    for comment, message in (
        ("", "Enter how we could improve this page"),
        ("x" * (COMMENT_MAX_LENGTH + 1), "Your comment must be 1,200 characters or fewer"),
    ):
        response = browser_client.post(action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": comment})

        assert response.status_code == 400
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select_one(".govuk-error-summary__list a").get_text(strip=True) == message
        assert soup.select_one("#feedback-comment-error").get_text(" ", strip=True) == f"Error: {message}"
        assert soup.select_one("#feedback-comment").get_text() == comment
    assert PageFeedback.objects.get().comment == ""


def test_a_comment_at_the_limit_with_line_breaks_is_taken_as_the_character_count_counted_it(browser_client, faq):
    """The character count counts a line break as one; the browser sends it as CR LF, which Django counted as two."""
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "no"})
    lines = ["x" * 99] * 12  # 12 lines of 99 and 11 line breaks: 1,199 characters
    comment = "\r\n".join(lines[:-1] + ["x" * 100])

    response = browser_client.post(action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": comment})

    assert response.status_code == 302
    assert PageFeedback.objects.get().comment == "\n".join(lines[:-1] + ["x" * 100])
    assert len(PageFeedback.objects.get().comment) == COMMENT_MAX_LENGTH


def test_the_script_gets_json_answers(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    headers = {"Accept": "application/json"}

    vote = browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "yes"}, headers=headers)
    again = browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "yes"}, headers=headers)
    bad = browser_client.post(action, {"csrfmiddlewaretoken": token, "action": "comment"}, headers=headers)

    assert vote.json() == {"status": "voted", "message": "Thank you for your feedback."}
    assert again.json()["status"] == "already-voted"
    assert bad.status_code == 400 and bad.json()["errors"] == {"comment": ["Enter how we could improve this page"]}
    assert PageFeedback.objects.count() == 1


def test_an_unknown_rating_or_a_page_without_feedback_stores_nothing(browser_client, faq, home_page):
    action, token = _vote_form(browser_client, faq.url)

    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "maybe"})
    home = browser_client.post(f"/feedback/{home_page.pk}/", {"csrfmiddlewaretoken": token, "rating": "yes"})
    draft = HelpPageFactory(parent=home_page, live=False)
    unpublished = browser_client.post(f"/feedback/{draft.pk}/", {"csrfmiddlewaretoken": token, "rating": "yes"})

    assert home.status_code == 404 and unpublished.status_code == 404
    assert not PageFeedback.objects.exists()


def _feedback(page, rating, comment=""):
    return PageFeedback.objects.create(page=page, rating=rating, comment=comment)


def test_the_admin_report_shows_counts_share_of_no_and_recent_comments(verified_admin_client, faq, home_page):
    help_page = published(HelpPageFactory(parent=home_page, title="How to register"))
    for rating in ("yes", "no", "no", "neutral"):
        _feedback(faq, rating)
    _feedback(faq, "no", "The answer about phones is out of date.")
    _feedback(help_page, "yes")

    report = verified_admin_client.get("/admin/reports/page-feedback/")

    assert report.status_code == 200
    rows = BeautifulSoup(report.content, "html.parser").select("table tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert cells[0][:7] == [faq.title, "1", "1", "3", "5", "60%", "1"]
    assert cells[1][:7] == ["How to register", "1", "0", "0", "1", "0%", "0"]

    detail = verified_admin_client.get(f"/admin/reports/page-feedback/{faq.pk}/")
    text = BeautifulSoup(detail.content, "html.parser").get_text(" ", strip=True)
    assert "5 answers: 1 yes, 1 neutral, 3 no" in text
    assert "The answer about phones is out of date." in text


def test_the_report_on_one_page_counts_its_answers_once(verified_admin_client, faq):
    """The heading's counts read every rating of the page three times (3,000 answers: three reads of 3,000 rows)."""
    for rating in ("yes", "no", "no"):
        _feedback(faq, rating)

    with CaptureQueriesContext(connection) as queries:
        detail = verified_admin_client.get(f"/admin/reports/page-feedback/{faq.pk}/")

    text = BeautifulSoup(detail.content, "html.parser").get_text(" ", strip=True)
    assert "3 answers: 1 yes, 0 neutral, 2 no. Share of “No”: 67%." in text
    rating_reads = [query for query in queries if query["sql"].startswith('SELECT "faq_pagefeedback"."rating"')]
    assert len(rating_reads) == 1


def test_the_report_exports_as_csv(verified_admin_client, faq):
    _feedback(faq, "no", "Too long.")
    _feedback(faq, "yes")

    summary = verified_admin_client.get("/admin/reports/page-feedback/?export=csv")
    detail = verified_admin_client.get(f"/admin/reports/page-feedback/{faq.pk}/?export=csv")

    assert summary["Content-Type"].startswith("text/csv")
    rows = csv_rows(summary)
    assert rows == [
        {
            "Page": faq.title,
            "Address": faq.full_url,
            "Yes": "1",
            "Neutral": "0",
            "No": "1",
            "Answers": "2",
            "Share of No": "50%",
            "Comments": "1",
            "Flagged as personal data": "0",
            "Latest answer": rows[0]["Latest answer"],
        }
    ]
    detail_rows = csv_rows(detail)
    assert [(r["Useful?"], r["How could we improve this page?"]) for r in detail_rows] == [
        ("yes", ""),
        ("no", "Too long."),
    ]


def test_the_report_is_refused_to_staff_without_the_permission(client, faq):
    editor = StaffUserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTPDeviceFactory(user=editor)
    verified_login(client, editor)

    assert refused_by_wagtail(client.get("/admin/reports/page-feedback/"))
    editor.user_permissions.add(Permission.objects.get(codename="view_pagefeedback"))
    assert client.get("/admin/reports/page-feedback/").status_code == 200


def test_the_comment_hint_does_not_call_a_comment_optional_when_an_empty_one_is_refused(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "yes"})

    refused = browser_client.post(action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": ""})
    hint = BeautifulSoup(browser_client.get(faq.url).content, "html.parser").select_one("#feedback-comment-hint")

    assert refused.status_code == 400
    assert "optional" not in hint.get_text().lower()


def test_a_help_page_of_cms_shows_the_feedback_form_that_faq_adds_to_its_footer(client, home_page):
    help_page = published(HelpPageFactory(parent=home_page, title="How to register"))

    soup = BeautifulSoup(client.get(help_page.url).content, "html.parser")

    vote = soup.select_one("form[data-feedback-vote]")
    assert vote["action"] == reverse("faq:feedback_vote", args=[help_page.pk])
    assert soup.select_one(".portal-last-updated").find_next("form") == vote


def test_the_comment_box_states_its_limit_before_anything_is_sent(browser_client, faq):
    """GOV.UK's character count: the limit is a hint tied to the box, on the page and on the no-JavaScript page."""
    action, token = _vote_form(browser_client, faq.url)
    browser_client.post(action, {"csrfmiddlewaretoken": token, "rating": "no"})
    refused = browser_client.post(action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": ""})

    for response in (browser_client.get(faq.url), refused):
        soup = BeautifulSoup(response.content, "html.parser")
        count = soup.select_one("[data-module=govuk-character-count]")
        assert count["data-maxlength"] == str(COMMENT_MAX_LENGTH)
        textarea = count.select_one("textarea.govuk-js-character-count#feedback-comment")
        info = count.select_one("#feedback-comment-info")
        assert info.get_text(strip=True) == "You can enter up to 1,200 characters"
        assert "feedback-comment-info" in textarea["aria-describedby"].split()


def test_a_comment_without_a_vote_is_not_thanked_and_asks_the_question_keeping_the_words(browser_client, faq):
    """Sent after the session that voted ended, a comment was answered "your comment has been sent" and dropped."""
    action, token = _vote_form(browser_client, faq.url)  # a token, but no vote in this session
    comment = {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Say how long the link lasts."}

    refused = browser_client.post(action, comment)

    assert refused.status_code == 400
    soup = BeautifulSoup(refused.content, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "has been sent" not in text and "Thank you" not in text
    assert "Your comment has not been sent yet. Tell us whether this page was useful, then send it." in text
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == [
        "Select yes, neutral or no"
    ]
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#id_rating_0"
    assert soup.select_one("#rating-error").get_text(" ", strip=True) == "Error: Select yes, neutral or no"
    assert soup.select_one("#feedback-comment").get_text() == "Say how long the link lasts."
    assert not PageFeedback.objects.exists()

    sent = browser_client.post(action, {**comment, "rating": "neutral"})

    assert sent.status_code == 302
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("neutral", "Say how long the link lasts.")]
    page = BeautifulSoup(browser_client.get(faq.url).content, "html.parser")
    assert "Your comment has been sent" in page.select_one("[data-feedback-thanks]").get_text()


def test_a_vote_sent_with_a_comment_that_fails_to_save_is_not_kept_either(faq, comment_save_fails):
    """The vote and the comment sent together were two writes: a comment that failed left its vote stored, and the
    voter, told nothing was sent, gave it again (two votes)."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    action, token = _vote_form(browser, faq.url)  # a token, but no vote in this session
    both = {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Clearer, please.", "rating": "no"}

    failed = browser.post(action, both)

    assert failed.status_code == 500
    assert not PageFeedback.objects.exists()
    comment_save_fails.undo()
    assert browser.post(action, both).status_code == 302
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "Clearer, please.")]


class WatchedSession(dict):
    """A session that notes each write to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writes = []

    def __setitem__(self, key, value):
        self.writes.append(key)
        super().__setitem__(key, value)

    def pop(self, key, *default):
        self.writes.append(key)
        return super().pop(key, *default)


def test_a_vote_and_comment_that_fail_together_leave_the_session_untouched(faq, comment_save_fails):
    """The session was written with the vote and put back after a failure, right only while the vote's write made a
    copy of the session's list first: it is now written once both are stored, and never changed in place."""
    votes = {"999": 1}  # a vote on another page
    session = WatchedSession({SESSION_KEY: votes})

    with pytest.raises(DatabaseError):
        feedback_vote_with_comment(page=faq, rating="no", comment="Clearer, please.", session=session, client="")

    assert session.writes == []
    assert session == {SESSION_KEY: {"999": 1}} and votes == {"999": 1}
    assert not PageFeedback.objects.exists()

    comment_save_fails.undo()
    feedback = feedback_vote_with_comment(page=faq, rating="no", comment="Clearer, please.", session=session, client="")

    assert session.writes == [SESSION_KEY]
    assert session[SESSION_KEY] == {"999": 1, str(faq.pk): feedback.pk}
    assert votes == {"999": 1}, "the session's own list is not changed in place"


def test_the_script_is_told_a_comment_without_a_vote_was_not_sent(browser_client, faq):
    action, token = _vote_form(browser_client, faq.url)
    headers = {"Accept": "application/json"}

    refused = browser_client.post(
        action, {"csrfmiddlewaretoken": token, "action": "comment", "comment": "Clearer, please."}, headers=headers
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "status": "no-vote",
        "errors": {"rating": ["Select yes, neutral or no"]},
        "message": "Your comment has not been sent yet. Tell us whether this page was useful, then send it.",
    }
    assert not PageFeedback.objects.exists()


def test_a_comment_on_a_vote_already_stored_looks_the_vote_up_once(faq, django_assert_num_queries):
    """The view found this browser's vote, then feedback_comment_add looked it up again: one query too many."""
    voter = Client()
    action = reverse("faq:feedback", args=[faq.pk])
    voter.post(action, {"rating": "no"})

    with django_assert_num_queries(9) as captured:
        response = voter.post(action, {"action": "comment", "comment": "Say how long the link lasts."})

    assert response.status_code == 302
    assert PageFeedback.objects.get().comment == "Say how long the link lasts."
    assert sum('FROM "faq_pagefeedback"' in query["sql"] for query in captured.captured_queries) == 1


def test_a_comment_refused_for_want_of_cookies_comes_back_with_its_words_and_what_to_do(faq):
    """A browser that refuses cookies had its vote taken (no token needed) but its comment refused by the CSRF check,
    on the site's general page: the words typed were lost."""
    no_cookies = Client(enforce_csrf_checks=True)
    action = reverse("faq:feedback", args=[faq.pk])
    assert no_cookies.post(reverse("faq:feedback_vote", args=[faq.pk]), {"rating": "no"}).status_code == 302
    no_cookies.cookies.clear()  # the browser kept none of them

    response = no_cookies.post(
        action, {"csrfmiddlewaretoken": "x" * 32, "action": "comment", "comment": "Say how long\nthe link lasts."}
    )

    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("textarea#feedback-comment").get_text() == "Say how long\nthe link lasts."
    assert "not accepting cookies" in page.select_one("[data-feedback-not-sent]").get_text()
    assert page.title.get_text(strip=True).startswith("Your comment has not been sent")
    form = page.select_one("main form")
    assert form["action"] == action and form.select_one("input[name=csrfmiddlewaretoken]")
    assert list(PageFeedback.objects.values_list("comment", flat=True)) == [""]


def test_a_refused_vote_or_a_comment_to_a_page_without_feedback_gets_the_sites_csrf_page(faq, home_page):
    client = Client(enforce_csrf_checks=True)

    vote = client.post(reverse("faq:feedback", args=[faq.pk]), {"rating": "no"})
    other = client.post(reverse("faq:feedback", args=[home_page.pk]), {"action": "comment", "comment": "Hello."})

    for response in (vote, other):
        assert response.status_code == 403
        assert b"Your form could not be sent" in response.content and b"data-feedback-not-sent" not in response.content
