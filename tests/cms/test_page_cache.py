"""The page cache (wagtail-cache): anonymous guidance pages are served from it without the database;
publishing empties it; signed-in people, sessions, the admin and the portal never touch it."""

import os
import re
import uuid

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from cms.cache import (
    CSRF_TOKEN_PLACEHOLDER,
    CsrfTokenPlaceholderMiddleware,
    PageCacheETagMiddleware,
    response_is_cacheable,
)
from cms.models import PortalSettings
from settings.base import redis_cache
from tests.csp import csp_directives
from tests.factories.accounts import UserFactory, staff_in_group, verified_login
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_page(home_page):
    return published(HelpPageFactory(parent=home_page, title="How to register", slug="how-to-register"))


def _token(response):
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content).group(1).decode()


def test_a_second_anonymous_view_is_served_from_the_cache_without_the_database(help_page, django_assert_num_queries):
    first = Client().get(help_page.url)

    with django_assert_num_queries(0):
        second = Client().get(help_page.url)

    assert (first["X-Wagtail-Cache"], second["X-Wagtail-Cache"]) == ("miss", "hit")
    assert "How to register" in second.content.decode()


def _assert_a_published_change_is_served_at_once(help_page, django_capture_on_commit_callbacks):
    """Publish a new intro as an editor would; the next anonymous view misses the cache and shows the change."""
    help_page.intro = "Registration now takes two minutes."

    with django_capture_on_commit_callbacks(execute=True):
        help_page.save_revision().publish()
    response = Client().get(help_page.url)

    assert response["X-Wagtail-Cache"] == "miss"
    assert "Registration now takes two minutes." in response.content.decode()


def test_publishing_a_change_empties_the_cache(help_page, django_capture_on_commit_callbacks):
    Client().get(help_page.url)

    _assert_a_published_change_is_served_at_once(help_page, django_capture_on_commit_callbacks)


def test_unpublishing_and_changing_site_settings_empty_the_cache(help_page, site, django_capture_on_commit_callbacks):
    Client().get(help_page.url)
    with django_capture_on_commit_callbacks(execute=True):
        settings_ = PortalSettings.for_site(site)
        settings_.council_name = "Renamed Borough Council"
        settings_.save()
    assert "Renamed Borough Council" in Client().get(help_page.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        help_page.unpublish()

    assert Client().get(help_page.url).status_code == 404


@pytest.mark.parametrize("on", ["page", "parent"])
def test_making_a_page_private_empties_the_cache_so_a_kept_copy_is_not_served_to_anyone(
    help_page, home_page, on, django_capture_on_commit_callbacks
):
    """A page kept by the cache while it was public went on being served to anyone for up to 10 minutes after an
    editor made it private (Privacy: "Private, accessible to any logged-in users"), or made its parent private."""
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "miss"
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=help_page if on == "page" else home_page, restriction_type=PageViewRestriction.LOGIN
        )
    response = Client().get(help_page.url)
    assert response.status_code == 302 and "How to register" not in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    response = Client().get(help_page.url)
    assert response.status_code == 200 and "How to register" in response.content.decode()


def test_the_cache_is_emptied_at_once_and_again_when_the_publish_commits(help_page, django_capture_on_commit_callbacks):
    Client().get(help_page.url)
    help_page.intro = "Changed."

    with django_capture_on_commit_callbacks() as callbacks:
        help_page.save_revision().publish()
        during = Client().get(help_page.url)
        assert during["X-Wagtail-Cache"] == "miss"
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "hit"
    for callback in callbacks:
        callback()

    # A copy stored between the change and its commit is dropped by the emptying on commit.
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "miss"


def test_a_signed_in_person_is_never_served_from_or_stored_in_the_cache(help_page):
    person = Client()
    person.force_login(UserFactory())
    Client().get(help_page.url)

    signed_in = person.get(help_page.url)
    anonymous = Client().get(help_page.url)

    assert signed_in["X-Wagtail-Cache"] == "skip"
    assert "Sign out" in signed_in.content.decode()
    assert "Sign out" not in anonymous.content.decode()


def test_browsers_keep_a_cached_page_only_for_the_cookies_they_had_and_the_cache_keeps_one_copy(help_page):
    """A browser that signs in must not go on showing its kept, signed-out copy (no "Sign out" link): the pages the
    cache serves or stores tell browsers and shared caches to vary on the cookies. The page cache itself does not."""
    miss = Client().get(help_page.url)
    hit = Client().get(help_page.url)
    with_a_csrf_cookie = Client()
    with_a_csrf_cookie.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32

    also_a_hit = with_a_csrf_cookie.get(help_page.url)

    assert [miss["X-Wagtail-Cache"], hit["X-Wagtail-Cache"], also_a_hit["X-Wagtail-Cache"]] == ["miss", "hit", "hit"]
    for response in (miss, hit, also_a_hit):
        assert "Cookie" in re.split(r"\s*,\s*", response["Vary"])


def _cache_control(response) -> set[str]:
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


def test_browsers_and_shared_caches_ask_again_every_time_so_an_unpublished_page_goes_at_once(
    help_page, django_capture_on_commit_callbacks
):
    """wagtail-cache tells browsers to keep a page as long as the page cache does (max-age=600): a page unpublished
    for showing someone's details would stay on a visitor's screen, or in a council proxy, for ten minutes."""
    miss = Client().get(help_page.url)
    hit = Client().get(help_page.url)

    assert [miss["X-Wagtail-Cache"], hit["X-Wagtail-Cache"]] == ["miss", "hit"]
    for response in (miss, hit):
        assert {"no-cache", "max-age=0"} <= _cache_control(response)
        assert "Expires" not in response
        assert response["ETag"]
    assert hit["ETag"] == miss["ETag"], "the kept copy carries the ETag it was stored with"
    # The page cache still keeps its copy for its own timeout.
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        help_page.unpublish()
    gone = Client().get(help_page.url, headers={"If-None-Match": hit["ETag"]})
    assert gone.status_code == 404


def test_a_repeat_visit_to_an_unchanged_page_is_a_304_and_a_changed_one_is_sent_again(
    help_page, django_capture_on_commit_callbacks
):
    etag = Client().get(help_page.url)["ETag"]

    again = Client().get(help_page.url, headers={"If-None-Match": etag})

    assert (again.status_code, again["X-Wagtail-Cache"], again.content) == (304, "hit", b"")
    assert "no-cache" in _cache_control(again)
    assert "Cookie" in re.split(r"\s*,\s*", again["Vary"])

    help_page.intro = "Corrected: registration takes two minutes."
    with django_capture_on_commit_callbacks(execute=True):
        help_page.save_revision().publish()
    changed = Client().get(help_page.url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert "Corrected: registration takes two minutes." in changed.content.decode()
    assert changed["ETag"] != etag


def test_a_browser_with_a_session_gets_the_whole_page_whatever_its_copy(help_page):
    etag = Client().get(help_page.url)["ETag"]
    person = Client()
    person.force_login(UserFactory())

    response = person.get(help_page.url, headers={"If-None-Match": etag})

    assert (response.status_code, response["X-Wagtail-Cache"]) == (200, "skip")
    assert "Sign out" in response.content.decode()


def test_a_browser_with_a_session_is_never_served_from_the_cache(help_page):
    Client().get(help_page.url)
    voter = Client()
    voter.cookies[settings.SESSION_COOKIE_NAME] = "some-session"

    assert voter.get(help_page.url)["X-Wagtail-Cache"] == "skip"


@pytest.mark.parametrize("path", ["/admin/login/", "/search/?q=register", "/healthz"])
def test_the_admin_search_and_other_views_are_never_cached(home_page, path):
    Client().get(path)

    assert Client().get(path).get("X-Wagtail-Cache") in (None, "skip")


def test_a_cached_page_carries_no_csrf_token_and_a_voter_gets_their_own(help_page):
    Client().get(help_page.url)
    anonymous, voter = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    hit = anonymous.get(help_page.url)
    token = voter.get(f"/feedback/{help_page.pk}/", headers={"Accept": "application/json"}).json()["csrf_token"]
    voter.post(f"/feedback/{help_page.pk}/", {"csrfmiddlewaretoken": token, "rating": "yes"})
    own = voter.get(help_page.url)

    assert hit["X-Wagtail-Cache"] == "hit"
    assert b"csrfmiddlewaretoken" not in hit.content
    assert settings.CSRF_COOKIE_NAME not in anonymous.cookies
    # The voter has a session: the page is rendered for them, and the comment form's placeholder becomes their token.
    assert own["X-Wagtail-Cache"] == "skip"
    assert _token(own) != CSRF_TOKEN_PLACEHOLDER
    assert CSRF_TOKEN_PLACEHOLDER not in own.content.decode()
    assert "private" in own["Cache-Control"]
    comment = voter.post(
        f"/feedback/{help_page.pk}/", {"csrfmiddlewaretoken": _token(own), "action": "comment", "comment": "Good."}
    )
    assert comment.status_code == 302


@pytest.fixture
def faq_page(home_page):
    return published(
        FAQPageFactory(
            parent=home_page, title="Questions", slug="questions", questions=[question("Why?", "<p>Because.</p>")]
        )
    )


def _scripts(response):
    return BeautifulSoup(response.content, "html.parser").find_all("script")


@pytest.mark.parametrize("page_fixture", ["home_page", "help_page", "faq_page"])
def test_a_cached_page_has_no_inline_script_and_a_policy_without_a_nonce(request, page_fixture):
    page = request.getfixturevalue(page_fixture)
    page.save_revision().publish()
    first = Client().get(page.url)

    second = Client().get(page.url)

    assert (first["X-Wagtail-Cache"], second["X-Wagtail-Cache"]) == ("miss", "hit")
    for response in (first, second):
        policy = response["Content-Security-Policy"]
        assert "nonce-" not in policy
        assert csp_directives(response)["script-src"] == ["'self'"]
        scripts = _scripts(response)
        assert scripts, "the page loads GOV.UK Frontend"
        for script in scripts:
            assert script.get("src", "").startswith("/static/"), f"inline script: {script}"
            assert not script.has_attr("nonce")
    assert any(script["src"] == "/static/cms/init.js" for script in _scripts(second))


def test_a_page_that_is_never_cached_gets_a_fresh_nonce_on_each_response(verified_client):
    nonces = []
    for _ in range(2):
        response = verified_client.get("/portal/")
        assert response.get("X-Wagtail-Cache") in (None, "skip")
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)

    assert nonces[0] != nonces[1]


def test_a_response_whose_policy_carries_a_nonce_is_never_stored():
    nonced = HttpResponse("<p>Hello</p>", headers={"Content-Security-Policy": "script-src 'self' 'nonce-abc123'"})
    plain = HttpResponse("<p>Hello</p>", headers={"Content-Security-Policy": "script-src 'self'"})

    assert response_is_cacheable(nonced, True) is False
    assert response_is_cacheable(plain, True) is True


def test_a_page_carrying_a_real_csrf_token_is_never_stored():
    real = HttpResponse('<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>')
    placeholder = HttpResponse(f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_TOKEN_PLACEHOLDER}">')

    assert response_is_cacheable(real, True) is False
    assert response_is_cacheable(placeholder, True) is True


def test_a_page_given_its_token_loses_the_kept_copys_etag(rf):
    """The kept copy's ETag names the page with the placeholder: a 304 must never be answered for the copy that holds
    this browser's token."""
    kept = HttpResponse(
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_TOKEN_PLACEHOLDER}">', headers={"ETag": '"kept"'}
    )

    response = CsrfTokenPlaceholderMiddleware(lambda request: kept)(rf.get("/"))

    assert CSRF_TOKEN_PLACEHOLDER not in response.content.decode()
    assert "ETag" not in response


@pytest.mark.parametrize("role", ["SEND caseworker", "Form designer", "Content editor", "Portal administrator"])
def test_only_a_superuser_opens_or_empties_the_page_cache_in_the_admin(help_page, client, role):
    help_page.save_revision().publish()
    Client().get(help_page.url)
    staff = verified_login(client, staff_in_group(role))

    listing = staff.get("/admin/cache/")
    emptying = staff.get("/admin/cache/clearcache")

    for response in (listing, emptying):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "hit"


def test_a_superuser_empties_the_page_cache_in_the_admin(help_page, verified_admin_client):
    help_page.save_revision().publish()
    Client().get(help_page.url)

    assert verified_admin_client.get("/admin/cache/").status_code == 200
    verified_admin_client.get("/admin/cache/clearcache")

    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "miss"


def test_a_hit_is_answered_before_the_session_is_read_or_the_user_loaded(help_page):
    miss = Client().get(help_page.url)

    hit = Client().get(help_page.url)

    assert (miss["X-Wagtail-Cache"], hit["X-Wagtail-Cache"]) == ("miss", "hit")
    assert hasattr(miss.wsgi_request, "user")
    assert not hasattr(hit.wsgi_request, "user")
    assert not hit.wsgi_request.session.accessed
    # What the middleware below the cache added when the page was stored, the kept copy still carries.
    for header in ("Content-Security-Policy", "X-Frame-Options"):
        assert hit[header] == miss[header]
    for header in ("X-Content-Type-Options", "Referrer-Policy"):
        assert hit[header]


def test_a_missing_page_is_never_kept_so_a_page_published_at_its_address_is_served_at_once(home_page):
    first = Client().get("/just-published/")
    second = Client().get("/just-published/")
    # As if the publish committed while the 404 was being answered: no emptying of the cache comes after it.
    HelpPageFactory(parent=home_page, title="Just published", slug="just-published")
    third = Client().get("/just-published/")

    assert [r.status_code for r in (first, second, third)] == [404, 404, 200]
    assert [first["X-Wagtail-Cache"], second["X-Wagtail-Cache"]] == ["skip", "skip"]
    assert "max-age" not in first["Cache-Control"], "browsers ask again too"
    assert "Just published" in third.content.decode()


def test_a_redirect_added_after_a_missing_page_was_asked_for_is_served_at_once(
    help_page, django_capture_on_commit_callbacks
):
    from wagtail.contrib.redirects.models import Redirect

    assert Client().get("/no-such-page/").status_code == 404
    assert Client().get("/no-such-page/")["X-Wagtail-Cache"] == "skip"

    with django_capture_on_commit_callbacks(execute=True):
        Redirect.add_redirect("/no-such-page", redirect_to=help_page.url, is_permanent=True)
    response = Client().get("/no-such-page/")

    assert response.status_code == 301
    assert response["Location"] == help_page.url


@pytest.fixture
def redis_page_cache(settings):
    """The page cache in Redis as app servers keep it (cms.redis_cache.PageCacheRedis), in a key space of its own."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL")
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {
            **redis_cache(url),
            "BACKEND": "cms.redis_cache.PageCacheRedis",
            "TIMEOUT": 600,
            "KEY_PREFIX": f"pagecache-test-{uuid.uuid4().hex}",
        },
    }
    yield caches["pagecache"]
    caches["pagecache"].clear()


def _headers(response):
    return {name: value for name, value in response.items() if name not in ("X-Wagtail-Cache", "X-Request-ID")}


def test_a_hit_kept_in_the_process_reads_nothing_and_answers_what_the_miss_did(
    help_page, redis_page_cache, django_assert_num_queries, monkeypatch
):
    round_trips = []
    fetch = redis_page_cache._fetch_page
    monkeypatch.setattr(redis_page_cache, "_fetch_page", lambda key: round_trips.append(key) or fetch(key))
    miss = Client().get(help_page.url)

    with django_assert_num_queries(0):
        hits = [Client().get(help_page.url) for _ in range(3)]

    assert [miss["X-Wagtail-Cache"], *(hit["X-Wagtail-Cache"] for hit in hits)] == ["miss", "hit", "hit", "hit"]
    assert len(round_trips) == 1, "the first hit reads Redis, the others the process"
    for hit in hits:
        assert hit.content == miss.content
        assert _headers(hit) == _headers(hits[0]), "a hit from the process answers what a hit from Redis does"
        assert _headers(hit) == _headers(miss)
        assert not hit.cookies
        assert not hit.wsgi_request.session.accessed
    assert len({hit["X-Request-ID"] for hit in hits}) == 3, "each request's own id, not the kept copy's"


def test_a_publish_empties_the_pages_kept_in_the_process(
    help_page, redis_page_cache, django_capture_on_commit_callbacks
):
    assert [Client().get(help_page.url)["X-Wagtail-Cache"] for _ in range(3)] == ["miss", "hit", "hit"]

    _assert_a_published_change_is_served_at_once(help_page, django_capture_on_commit_callbacks)


def test_a_change_to_the_site_or_a_topic_empties_the_cache(help_page, site, django_capture_on_commit_callbacks):
    """A site's new host name or root page changes every kept page's links, and a topic renamed or deleted the
    related content kept for the pages that had it: both were served from the cache until it expired."""
    help_page.tags.add("registration")
    with django_capture_on_commit_callbacks(execute=True):
        help_page.save_revision().publish()
    Client().get(help_page.url)
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        site.site_name = "Kestrelford SEND"
        site.save()
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.get(name="registration").delete()
    assert Client().get(help_page.url)["X-Wagtail-Cache"] == "miss"


@pytest.mark.parametrize(
    ("query", "host"),
    [("?page=2", "testserver"), ("?x=1", "testserver"), ("", "testserver:8081"), ("", "testserver:1")],
    ids=["listing-page", "made-up-parameter", "another-port", "port-one"],
)
def test_an_address_that_names_more_than_the_page_is_answered_fresh_and_never_kept(help_page, query, host):
    """Each query string and each port in the Host header was kept as a copy of its own (50 ports, 104 entries)."""
    responses = [Client().get(help_page.url + query, HTTP_HOST=host) for _ in range(2)]

    assert [response["X-Wagtail-Cache"] for response in responses] == ["skip", "skip"]
    assert "How to register" in responses[1].content.decode()


def test_a_newsletters_tracking_link_uses_the_one_copy(help_page):
    Client().get(help_page.url)

    response = Client().get(help_page.url + "?utm_source=newsletter&utm_medium=email&fbclid=x")

    assert response["X-Wagtail-Cache"] == "hit"


def test_the_servers_own_port_in_the_host_header_is_kept(help_page):
    """The test client's server port is 80: a Host naming it keeps one more copy, never one per port asked for."""
    responses = [Client().get(help_page.url, HTTP_HOST="testserver:80") for _ in range(2)]

    assert [response["X-Wagtail-Cache"] for response in responses] == ["miss", "hit"]


@pytest.mark.parametrize(
    "headers, body",
    [
        ({"Cache-Control": "private"}, "<p>Yours alone</p>"),
        ({"Cache-Control": "no-cache"}, "<p>Asked again every time</p>"),
        ({"Content-Security-Policy": "script-src 'self' 'nonce-abc123'"}, "<script nonce='abc123'></script>"),
        ({}, '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'),
    ],
)
def test_a_page_the_cache_will_not_store_is_not_hashed_for_an_etag(rf, headers, body):
    """An ETag is for the kept copy (a hit hashes nothing): a page that is never stored was hashed for nothing."""
    request = rf.get("/")
    request._wagtailcache_update = True

    response = PageCacheETagMiddleware(lambda request: HttpResponse(body, headers=headers))(request)

    assert "ETag" not in response


def test_a_page_the_cache_will_store_is_given_its_etag(rf):
    request = rf.get("/")
    request._wagtailcache_update = True

    response = PageCacheETagMiddleware(lambda request: HttpResponse("<p>Guidance</p>"))(request)

    assert response["ETag"]
