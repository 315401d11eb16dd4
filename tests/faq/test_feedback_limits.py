"""The vote's endpoint takes a vote without a token or a cookie, so one script could stuff a page's votes, each a new
row and a new session. Votes are limited per IP address and per hour (per page, and from browsers voting for the
first time), counted before their write and given back if it rolls back; a refused vote is said plainly, stores
nothing and begins no session. And the endpoint judges a post's Origin as Django's CSRF check does."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import DatabaseError, transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client

from faq.models import PageFeedback
from faq.services import FeedbackVoteRefused, feedback_vote, feedback_vote_with_comment
from faq.views import _origin_trusted
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question

# Each request commits as on a server: a vote is counted when its transaction commits.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

TOO_MANY = (
    "You have sent a lot of feedback in the last hour, so we have not recorded this answer. People who share your "
    "internet connection, at work, at school or in a library, count towards the same limit. Try again later."
)


@pytest.fixture
def faq(home_page):
    return published(FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")]))


def _vote(page, rating="no", client=None, **extra):
    """A post to the guide page's vote endpoint, by default from a client without a cookie, as a script sends it."""
    return (client or Client()).post(f"/feedback/{page.pk}/vote/", {"rating": rating}, **extra)


def test_300_votes_without_a_cookie_store_the_hourly_limit_and_begin_no_more_sessions(faq):
    """The penetration test's run: 300 cookie-less posts made 300 votes and 300 sessions."""
    statuses = [_vote(faq).status_code for _ in range(300)]

    limit = settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP
    assert limit == 10
    assert statuses == [302] * limit + [429] * (300 - limit)
    assert PageFeedback.objects.count() == limit
    assert Session.objects.count() == limit, "a refused vote begins no session"


def test_an_ipv6_client_is_limited_by_its_64_whichever_of_its_addresses_it_uses(faq, settings):
    """One host usually holds a whole /64: a new address of it for each vote escaped a limit kept per address."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 3

    statuses = [_vote(faq, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code for n in range(5)]
    other = _vote(faq, REMOTE_ADDR="2001:db8:1:3::1")

    assert statuses == [302, 302, 302, 429, 429]
    assert other.status_code == 302, "the next /64 is another client"


def test_a_vote_sent_with_a_comment_is_on_the_same_limit_by_its_64(faq, settings):
    """A comment sent with its answer (the voting session gone) votes too: through it an IPv6 client, one address of
    its /64 at a time, met no limit (and the view failed before it counted: a NameError, a 500)."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 2
    comment = {"action": "comment", "rating": "no", "comment": "Say how long the link lasts."}

    statuses = [
        Client().post(f"/feedback/{faq.pk}/", comment, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 429, 429]
    assert list(PageFeedback.objects.values_list("comment", flat=True)) == ["Say how long the link lasts."] * 2


def test_a_vote_undone_with_the_comment_that_failed_is_not_counted(faq, settings, comment_save_fails):
    """A vote sent with a comment that failed to save was rolled back but counted: the voter, told nothing was sent,
    sent both again and was refused (429), with no vote stored from that address."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    both = {"action": "comment", "rating": "no", "comment": "Clearer, please."}
    browser = Client(raise_request_exception=False)

    failed = browser.post(f"/feedback/{faq.pk}/", both)
    comment_save_fails.undo()
    again = browser.post(f"/feedback/{faq.pk}/", both)
    another = Client().post(f"/feedback/{faq.pk}/", both)

    assert [failed.status_code, again.status_code, another.status_code] == [500, 302, 429]
    assert list(PageFeedback.objects.values_list("rating", "comment")) == [("no", "Clearer, please.")]


def test_five_votes_in_flight_at_once_against_a_limit_of_two_take_two(faq, settings):
    """The counts were read before the write and added once it committed: five votes in one transaction (as five in
    flight at once read them) all saw none counted and all passed a limit of 2."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 2
    outcomes = []

    with transaction.atomic():
        for _ in range(5):
            try:
                outcomes.append(feedback_vote(page=faq, rating="no", session={}, client="192.0.2.7")[1])
            except FeedbackVoteRefused:
                outcomes.append("refused")

    assert outcomes == [True, True, "refused", "refused", "refused"]
    assert PageFeedback.objects.count() == 2


def test_a_vote_rolled_back_with_its_own_transaction_counts_for_neither_limit(faq, settings, comment_save_fails):
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    settings.PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP = 1
    voter = {"page": faq, "rating": "yes", "client": "192.0.2.7"}

    with pytest.raises(DatabaseError):
        feedback_vote_with_comment(**voter, comment="Clearer, please.", session={})
    _kept, created = feedback_vote(**voter, session={})

    assert created
    with pytest.raises(FeedbackVoteRefused):
        feedback_vote(**voter, session={})
    assert PageFeedback.objects.count() == 1


def test_a_vote_rolled_back_by_its_callers_transaction_stays_counted(faq, settings):
    """Documented (cms.ratelimit.rate_limit_take): the vote's functions cannot see a caller's transaction roll back
    after their own block ended, so its count stays until the hour ends; an undercount, never an overshoot. The site's
    views call them outside any transaction."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    voter = {"page": faq, "rating": "yes", "client": "192.0.2.7"}

    with pytest.raises(RuntimeError), transaction.atomic():
        feedback_vote(**voter, session={})
        raise RuntimeError("a later write failed")

    with pytest.raises(FeedbackVoteRefused):
        feedback_vote(**voter, session={})
    assert PageFeedback.objects.count() == 0


def test_votes_spread_over_many_pages_are_limited_by_the_browsers_voting_for_the_first_time(home_page, settings):
    settings.PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP = 3
    pages = [published(HelpPageFactory(parent=home_page, title=f"Help {n}")) for n in range(5)]

    statuses = [_vote(page).status_code for page in pages]

    assert statuses == [302, 302, 302, 429, 429]
    assert PageFeedback.objects.count() == Session.objects.count() == 3


def test_a_parent_voting_on_every_page_is_never_refused(home_page, settings):
    """A browser's later votes, one per page, count on their page only: neither limit refuses its fifth page."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    settings.PORTAL_FEEDBACK_VOTERS_PER_HOUR_PER_IP = 1
    pages = [published(HelpPageFactory(parent=home_page, title=f"Help {n}")) for n in range(5)]
    parent = Client()

    statuses = [_vote(page, client=parent).status_code for page in pages]
    again = _vote(pages[0], "yes", client=parent, headers={"Accept": "application/json"})

    assert statuses == [302] * 5
    assert again.json()["status"] == "already-voted", "a second vote on a page is not counted, nor refused"
    assert PageFeedback.objects.count() == 5 and Session.objects.count() == 1


def test_a_refused_vote_says_so_on_a_page_or_in_json_and_stores_nothing(faq, settings):
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    assert _vote(faq, "yes").status_code == 302

    page = _vote(faq)
    script = _vote(faq, headers={"Accept": "application/json"})

    assert page.status_code == 429
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "You have sent a lot of feedback"
    assert soup.title.get_text().startswith("You have sent a lot of feedback")
    # One message, the same with JavaScript (which shows the JSON's) and without: the script left out the
    # sentence on a shared connection.
    said = []
    for element in soup.select_one("h1").find_next_siblings():
        if element.name == "h2":  # "If you need help", the error pages' own
            break
        said.append(element.get_text(" ", strip=True))
    assert said == [TOO_MANY]
    assert soup.select_one(".govuk-back-link")["href"] == f"{faq.url}#feedback"
    assert (script.status_code, script.json()) == (429, {"status": "too-many", "message": TOO_MANY})
    assert settings.SESSION_COOKIE_NAME not in page.cookies and settings.SESSION_COOKIE_NAME not in script.cookies
    assert list(PageFeedback.objects.values_list("rating", flat=True)) == ["yes"]
    assert Session.objects.count() == 1


def test_the_feedback_pages_own_vote_with_its_token_is_on_the_same_limit(faq, settings):
    """A script could fetch a token first: the token-checked vote of /feedback/<id>/ is limited too."""
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 2
    statuses = []
    for _ in range(4):
        visitor = Client(enforce_csrf_checks=True)
        token = visitor.get(f"/feedback/{faq.pk}/", headers={"Accept": "application/json"}).json()["csrf_token"]
        vote = visitor.post(f"/feedback/{faq.pk}/", {"csrfmiddlewaretoken": token, "rating": "no"})
        statuses.append(vote.status_code)

    assert statuses == [302, 302, 429, 429]
    assert PageFeedback.objects.count() == Session.objects.count() == 2


def test_the_limit_is_per_client_address_as_the_trusted_proxy_reports_it(faq, settings):
    settings.PORTAL_FEEDBACK_VOTES_PER_PAGE_PER_HOUR_PER_IP = 1
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]

    first = _vote(faq, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    forged = _vote(faq, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    other = _vote(faq, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.6")
    settings.PORTAL_TRUSTED_PROXIES = []
    direct = _vote(faq, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.7")
    direct_again = _vote(faq, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.8")

    statuses = [r.status_code for r in (first, forged, other, direct, direct_again)]
    assert statuses == [302, 429, 302, 302, 429]
    assert PageFeedback.objects.count() == 3


# The Origin of a post from a browser without Fetch Metadata, judged as CsrfViewMiddleware judges it.

TRUSTED = ["https://*.example.org", "https://forms.example.com", "http://*.example.net"]


def test_a_vote_from_a_wildcard_trusted_origin_is_taken_as_django_would(faq, settings):
    """CSRF_TRUSTED_ORIGINS "https://*.example.org" was compared as a literal string, so a vote from
    https://guidance.example.org was refused (403) while Django takes any post from there."""
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED

    taken = _vote(faq, headers={"Origin": "https://guidance.example.org"})
    refused = [
        _vote(faq, headers={"Origin": origin}).status_code
        for origin in (
            "http://guidance.example.org",
            "https://guidance.example.org.evil.test",
            "https://evilexample.org",
        )
    ]

    assert taken.status_code == 302
    assert refused == [403, 403, 403]
    assert PageFeedback.objects.count() == 1


def test_a_same_site_vote_is_judged_by_its_origin_and_a_cross_site_one_is_refused(faq, settings):
    """Sec-Fetch-Site "same-site" (a sibling host, https://guidance.example.org) was refused before its Origin was
    looked at, though Django's CSRF check takes a post from a wildcard-trusted origin."""
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED

    def sent(site, origin=None):
        return _vote(faq, headers={"Sec-Fetch-Site": site, **({"Origin": origin} if origin else {})}).status_code

    assert sent("same-site", "https://guidance.example.org") == 302
    assert [
        sent("same-site", "http://guidance.example.org"),
        sent("same-site", "https://elsewhere.example"),
        sent("same-site"),
        sent("cross-site", "https://guidance.example.org"),
    ] == [403, 403, 403, 403]
    assert PageFeedback.objects.count() == 1


def test_behind_a_proxy_the_origin_has_the_scheme_the_proxy_says(faq, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    proxied = {"Host": "testserver", "Origin": "https://testserver"}

    behind = _vote(faq, headers={**proxied, "X-Forwarded-Proto": "https"})
    plain = _vote(faq, headers=proxied)

    assert (behind.status_code, plain.status_code) == (302, 403)


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize(
    "origin",
    [
        "http://testserver",
        "https://testserver",
        "http://testserver:80",
        "https://example.org",
        "https://a.b.example.org",
        "https://example.org:8443",
        "http://example.org",
        "https://forms.example.com",
        "https://forms.example.com/",
        "https://other.example.com",
        "http://x.example.net",
        "https://x.example.net",
        "https://notexample.org",
        "null",
        "https://[::1",
    ],
)
def test_the_origin_is_judged_as_djangos_csrf_middleware_judges_it(rf, settings, origin, secure):
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    extra = {"HTTP_ORIGIN": origin, **({"HTTP_X_FORWARDED_PROTO": "https"} if secure else {})}
    request = rf.post("/feedback/1/vote/", **extra)

    django = CsrfViewMiddleware(lambda request: None)._origin_verified(request)

    assert _origin_trusted(request, origin) is django
