import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from tests.conftest import held_for_the_module, home_page_make
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, published_faqs, question

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def guidance_built(django_db_setup, django_db_blocker):
    """The guidance, built and indexed once for the module's tests instead of once a test (building and indexing it
    was most of each test's time), ``held_for_the_module`` (tests/conftest.py): each test finds the same pages and the
    same index, never a page an earlier test added. Gives the ids of the home page and the FAQ page."""
    with held_for_the_module(django_db_blocker):
        home_page = home_page_make()
        _section, faq = published_faqs(
            home_page,
            [
                question("Why does the portal sign me out?", "<p>After 10 minutes without activity.</p>"),
                question("I forgot my password", "<p>Choose the reset link on the sign-in page.</p>"),
            ],
        )
        contact = published(HelpPageFactory(parent=home_page, title="Contact the SEND service", slug="contact"))
        settings = Site.objects.get(is_default_site=True).portalsettings
        settings.contact_page = contact
        settings.save()
        # The database backend indexes on save; rebuild so both SQLite (FTS5) and PostgreSQL see every page.
        call_command("update_index", verbosity=0)
        yield home_page.pk, faq.pk


@pytest.fixture
def guidance(guidance_built, db):
    return Page.objects.get(pk=guidance_built[1]).specific


@pytest.fixture
def guidance_home(guidance_built, db):
    """The guidance's home page, for a test that adds pages beside it (``home_page`` makes a new tree)."""
    return Page.objects.get(pk=guidance_built[0]).specific


@pytest.fixture
def guidance_site(guidance_built, db):
    return Site.objects.get(is_default_site=True)


def _results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_searching_password_finds_the_faq_answer_with_its_section_and_link(client, guidance):
    soup = _results(client, "password")

    first = soup.select_one(".portal-search-results__item")
    assert first.h3.get_text(strip=True) == "Frequently asked questions"
    assert first.h3.a["href"] == f"{guidance.url}#i-forgot-my-password"
    assert first.select_one(".portal-search-results__section").get_text(strip=True) == "Help and guidance"
    assert first.find("p", class_="govuk-body").get_text(strip=True) == "I forgot my password"


def test_searching_nonsense_gives_advice_linking_to_the_faq_and_contact(client, guidance):
    soup = _results(client, "xqzvbnm")

    main = soup.select_one("main")
    assert main.h2.get_text(strip=True) == "No results for “xqzvbnm”"
    assert "checking your spelling" in main.get_text()
    assert main.find("a", href=guidance.url).get_text() == "Frequently asked questions"
    assert main.find("a", string="contact the SEND service")["href"] == "/contact/"


def test_unpublished_pages_are_not_found(client, guidance, guidance_home):
    HelpPageFactory(parent=guidance_home, title="Password policy draft", live=False)
    call_command("update_index", verbosity=0)

    titles = [a.get_text(strip=True) for a in _results(client, "password").select(".portal-search-results__item a")]

    assert titles == ["Frequently asked questions"]  # the live page that matches, and not the draft


def test_every_page_has_a_search_box_in_the_header(client, guidance):
    soup = BeautifulSoup(client.get(guidance.url).content, "html.parser")

    form = soup.select_one("header form[role=search]")
    assert form["action"] == "/search/" and form["method"] == "get"
    label = form.find("label", attrs={"for": "header-search"})
    assert label.get_text() == "Search the guidance"
    assert "govuk-visually-hidden" not in label["class"]  # shown: a white box alone told a phone's reader nothing
    assert form.find("input", attrs={"name": "q"})["id"] == "header-search"


def test_the_search_page_reached_by_a_link_shows_the_form_only(client, guidance):
    soup = BeautifulSoup(client.get("/search/").content, "html.parser")

    assert soup.select_one(".portal-search-results") is None
    assert soup.select_one(".govuk-error-summary") is None
    assert "No results" not in soup.get_text()


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_asks_for_a_word(client, guidance, query):
    """A search sent empty, or with only spaces, showed the form again with no word of why."""
    soup = _results(client, query)

    assert soup.title.get_text().startswith("Error:")
    assert soup.select_one(".govuk-error-summary").get_text(" ", strip=True) == (
        "There is a problem Enter a word to search for"
    )
    assert soup.select_one("#search-page-query-error").get_text(" ", strip=True) == "Error: Enter a word to search for"
    assert soup.select_one(".portal-search-results") is None


def test_a_search_over_200_characters_says_it_was_shortened(client, guidance):
    """The query was cut to 200 characters without a word."""
    long_query = "password " + "x" * 250

    soup = _results(client, long_query)
    short = _results(client, "password " + "x" * 191)

    assert soup.select_one("#search-page-query")["value"] == long_query[:200]
    assert "only its first 200 characters were used" in soup.select_one("main").get_text(" ", strip=True)
    assert "characters were used" not in short.select_one("main").get_text()


def test_both_search_boxes_leave_the_spelling_help_on(client, guidance):
    """spellcheck="false" switched off the phone's spelling help, for people searching in words they are unsure of."""
    soup = _results(client, "password")

    boxes = soup.select("input[type=search]")
    assert [box["id"] for box in boxes] == ["header-search", "search-page-query"]
    assert [box.get("spellcheck") for box in boxes] == [None, None]


def test_a_question_that_names_the_word_is_preferred_to_an_answer_that_mentions_it(client, home_page):
    faq = published(
        FAQPageFactory(
            parent=home_page,
            slug="faqs",
            questions=[
                question("How do I register?", "<p>Choose a password of 12 characters.</p>"),
                question("I forgot my password", "<p>Reset it.</p>"),
            ],
        )
    )
    call_command("update_index", verbosity=0)

    first = _results(client, "password").select_one(".portal-search-results__item")

    assert first.h3.a["href"] == f"{faq.url}#i-forgot-my-password"


HOSTILE_QUERIES = [
    '"',
    'a"b',
    '"password',
    "*",
    "password*",
    "AND",
    "OR",
    "NOT",
    "password AND",
    "NOT password",
    "NEAR(",
    "NEAR(password forgot, 2)",
    "(",
    ")",
    "(password",
    "^",
    "^password",
    "-",
    "-password",
    ":",
    "title:password",
    "password & !forgot | (",
    "'",
    "\\",
    "\x00",
    "{password}",
    "passwörd çafé 日本語 🙂",
    "a" * 5000,
    '" OR 1=1 --',
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_syntax_in_a_query_never_reaches_the_backend(client, guidance, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "Search the guidance" in response.content.decode()


def test_quotes_and_operators_are_dropped_and_the_words_still_found(client, guidance):
    soup = _results(client, '"forgot" AND (password*')

    titles = [a.get_text(strip=True) for a in soup.select(".portal-search-results__item h3 a")]
    assert titles == ["Frequently asked questions"]


@pytest.mark.parametrize("query", ['"', "*", "()", "^-:", "🙂", "AND", "NEAR("])
def test_a_query_without_words_is_an_empty_search_with_a_clear_message(client, guidance, query):
    soup = _results(client, query)

    assert soup.title.get_text().startswith("Error:")
    assert soup.select_one(".govuk-error-summary").get_text(" ", strip=True) == (
        "There is a problem Enter a word to search for, using letters or numbers"
    )
    assert soup.select_one("#search-page-query-error").get_text(" ", strip=True) == (
        "Error: Enter a word to search for, using letters or numbers"
    )
    assert not soup.select(".portal-search-results__item")


def test_results_over_a_page_are_numbered_pages_that_keep_the_query(client, guidance, guidance_home):
    for n in range(1, 25):  # with the FAQ, 25 pages: three pages of results
        published(HelpPageFactory(parent=guidance_home, title=f"Password help {n}", slug=f"password-{n}"))
    call_command("update_index", verbosity=0)

    first = _results(client, "password")
    nav = first.select_one("nav.govuk-pagination[aria-label='Results pages']")

    pages = [a["href"] for a in nav.select(".govuk-pagination__item a")]
    assert pages == ["?q=password&page=1", "?q=password&page=2", "?q=password&page=3"]
    assert nav.select_one("a[rel=next]")["href"] == "?q=password&page=2"
    assert nav.select_one("a[rel=next]").get_text(" ", strip=True) == "Next page"  # not the list's own label
    assert nav.select_one("a[rel=prev]") is None
    second = BeautifulSoup(client.get("/search/", {"q": "password", "page": 2}).content, "html.parser")
    assert second.select_one("nav.govuk-pagination a[rel=prev]")["href"] == "?q=password&page=1"
    assert second.select_one("nav.govuk-pagination a[rel=prev]").get_text(" ", strip=True) == "Previous page"
    assert second.select_one("nav.govuk-pagination a[aria-current=page]").get_text() == "2"


def test_a_search_with_no_results_names_the_live_faq_page(client, home_page):
    faq = published(FAQPageFactory(parent=home_page, title="Questions and answers", slug="faqs"))

    advice = _results(client, "zebra").get_text(" ", strip=True)

    professionals = "If you are a professional, most questions about signing in, forms, documents and outcomes"
    assert professionals in advice
    assert _results(client, "zebra").find("a", string="Questions and answers")["href"] == faq.url


def test_no_results_advise_parents_and_professionals_in_plain_words_with_the_parents_guide_from_the_settings(
    client, guidance, guidance_home, guidance_site
):
    """The advice spoke to professionals alone ("such as “password” or “upload”", the FAQ): a parent was left with
    nothing. It now names the parents' main guide, the page the site settings name, beside the FAQ."""
    guide = published(HelpPageFactory(parent=guidance_home, title="Asking for an EHC needs assessment", slug="asking"))
    guidance_site.portalsettings.parents_guide_page = guide
    guidance_site.portalsettings.save()

    main = _results(client, "xqzvbnm").select_one("main")
    text = main.get_text(" ", strip=True)

    assert "checking your spelling" in text and "using fewer words" in text
    assert "trying other words that mean the same thing" in text
    assert "“password” or “upload”" not in text
    assert "If you are a parent or carer, start with Asking for an EHC needs assessment ." in text
    assert main.find("a", string=guide.title)["href"] == guide.url
    assert main.find("a", string="Frequently asked questions")["href"] == guidance.url

    # A guide taken down is not offered.
    guide.unpublish()
    assert "If you are a parent or carer" not in _results(client, "xqzvbnm").get_text()


def test_a_question_in_a_parents_own_words_finds_the_pages_with_some_of_its_words(client, guidance):
    """Every word had to match: "what if I forgot my password" found nothing, though a page answers it."""
    soup = _results(client, "what happens if I forgot my password")

    main = soup.select_one("main")
    assert "No page has all of your words. These pages have some of them, the closest first." in main.get_text()
    first = soup.select_one(".portal-search-results__item")
    assert first.h3.a["href"] == f"{guidance.url}#i-forgot-my-password"

    # A query whose words all appear on a page says nothing of the sort.
    assert "No page has all of your words" not in _results(client, "forgot password").get_text()
    # Nonsense still finds nothing, with the advice.
    assert "No results for" in _results(client, "xqzvbnm plokij").get_text()


def test_ehcp_finds_the_pages_about_ehc_plans(client, home_page):
    """People search for "EHCP"; guidance writes "EHC plan", and the database backends know no synonyms."""
    plan = published(
        HelpPageFactory(parent=home_page, title="What an EHC plan is", slug="plan", intro="What the council writes.")
    )
    short = published(HelpPageFactory(parent=home_page, title="EHCP reviews", slug="reviews", intro="Once a year."))
    published(HelpPageFactory(parent=home_page, title="Signing in", slug="signing-in", intro="With a code."))
    call_command("update_index", verbosity=0)

    titles = {a.get_text(strip=True) for a in _results(client, "EHCP").select(".portal-search-results__item h3 a")}
    several = {a.get_text(strip=True) for a in _results(client, "ehcp annual").select(".portal-search-results__item a")}

    assert titles == {plan.title, short.title}
    assert {plan.title, short.title} <= several


def test_the_search_pages_own_search_landmark_has_a_name_of_its_own(client, guidance):
    """The results page had two search landmarks, the header's ("Site") and an unnamed one: a screen reader's list of
    landmarks read "search, search"."""
    soup = BeautifulSoup(client.get("/search/?q=password").content, "html.parser")

    names = []
    for landmark in soup.select("[role=search]"):
        labelled_by = landmark.get("aria-labelledby")
        names.append(soup.find(id=labelled_by).get_text(strip=True) if labelled_by else landmark.get("aria-label"))
    assert names == ["Site", "Search the guidance"]


def test_a_misspelt_or_plural_word_finds_the_pages_of_the_word_the_guidance_uses(client, guidance, guidance_home):
    """ "pasword" found nothing on either database, and "passwords" nothing on SQLite."""
    published(HelpPageFactory(parent=guidance_home, title="Password rules", slug="password-rules"))
    call_command("update_index", verbosity=0)

    misspelt = _results(client, "pasword")
    plural = _results(client, "passwords")
    nonsense = _results(client, "xqzvbnm")

    titles = [a.get_text(strip=True) for a in misspelt.select(".portal-search-results__item h3 a")]
    assert "Password rules" in titles and "Frequently asked questions" in titles
    assert misspelt.select_one("main h2").get_text(strip=True).endswith("for “password”")
    assert misspelt.select_one(".portal-search-instead").get_text(strip=True) == (
        "There are no results for “pasword”, so these are the results for “password”."
    )
    assert "Password rules" in [a.get_text(strip=True) for a in plural.select(".portal-search-results__item h3 a")]
    assert nonsense.select_one(".portal-search-instead") is None


def test_a_search_that_finds_nothing_reads_the_guidances_words_once_until_a_page_changes(client, guidance):
    """Every such search read every readable page's title and description, and stemmed them, again."""

    def vocabulary_reads():
        with CaptureQueriesContext(connection) as queries:
            _results(client, "xqzvbnm")
        words = 'SELECT "wagtailcore_page"."title" AS "title", "wagtailcore_page"."search_description"'
        return len([q for q in queries if q["sql"].startswith(words)])

    first, second = vocabulary_reads(), vocabulary_reads()
    published(HelpPageFactory(parent=guidance.get_parent(), title="Transport rules", slug="transport"))

    assert (first, second, vocabulary_reads()) == (1, 0, 1)


def test_a_newly_published_pages_word_corrects_a_misspelling_after_publishing(client, guidance, guidance_home):
    """The words kept before it was published did not hold "zebracorn": "zebrakorn" went on finding nothing."""
    assert _results(client, "zebrakorn").select_one(".portal-search-instead") is None
    published(HelpPageFactory(parent=guidance_home, title="Zebracorn rules", slug="zebracorn"))
    call_command("update_index", verbosity=0)

    found = _results(client, "zebrakorn")

    assert found.select_one(".portal-search-instead").get_text(strip=True) == (
        "There are no results for “zebrakorn”, so these are the results for “zebracorn”."
    )
    assert [a.get_text(strip=True) for a in found.select(".portal-search-results__item h3 a")] == ["Zebracorn rules"]
