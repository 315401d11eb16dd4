import re
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from advice_forms.models import NeedType, Team
from cms.models import HelpPage, PortalSettings
from faq import demo_content
from faq.demo import DEMO_PICTURES
from faq.models import FAQPage, GuidancePrintable, VisualGuidePage
from tests.pdfs import pdftotext

pytestmark = pytest.mark.django_db

# Every question of the seed FAQ and the seed "how it works" page, as our FAQ words them.
SEED_QUESTIONS = [
    "Who can use the portal?",
    "How do I register?",
    "How does the portal work?",
    "My authenticator app shows no accounts. What do I do?",
    "I have a new phone. How do I set up two-factor authentication again?",
    "I forgot my password. How do I reset it?",
    "I see an error message when I sign in. What should I do?",
    "How do I preview a form before I submit it?",
    "How do I know my form has been submitted?",
    "How do I add SENCO advice after a request for assessment has been submitted?",
    "How do I upload a document?",
    "I see “access denied” when I try to download a document. Why?",
    "Where do I add professional contacts?",
    "Why does the portal sign me out?",
    "Do parents and carers have access to the portal?",
    "Do I need to add outcomes?",
    "How do I delete an outcome, a duplicate form or a document uploaded by mistake?",
]


@pytest.fixture
def demo(demo_content, db):
    """The demo, loaded once for the module (tests/conftest.py)."""


def test_the_demo_help_section_is_idempotent(demo):
    counts = (
        Page.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        GuidancePrintable.objects.count(),
    )

    call_command("load_demo_content", stdout=StringIO())

    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        GuidancePrintable.objects.count(),
    ) == counts


def test_a_new_visitor_reaches_the_faq_in_one_click_from_the_home_page(client, demo):
    home = BeautifulSoup(client.get("/").content, "html.parser")
    faq = FAQPage.objects.get()

    link = home.find("a", href=faq.url)

    assert link is not None and link.get_text(strip=True) == demo_content.FAQ_TITLE
    assert client.get(link["href"]).status_code == 200


def test_a_parent_reaches_the_guidance_for_parents_and_carers_in_one_click_from_the_home_page(client, demo):
    """Guidance is read mostly by parents, yet every link on the home page was for professionals: the one page for
    parents and carers was two clicks away."""
    home = BeautifulSoup(client.get("/").content, "html.parser")
    parents = HelpPage.objects.get(slug="how-parents-and-carers-views-are-included")

    link = home.select_one("main").find("a", href=parents.url)

    assert link is not None and link.get_text(strip=True) == "how parents' and carers' views are included"
    assert "Parents and carers do not need an account" in link.parent.get_text(" ", strip=True)
    assert client.get(link["href"]).status_code == 200


# A portal other than this one, named as if a family could go there: "the council's parent portal".
OTHER_PORTAL = re.compile(r"\b(?:parents?'?s?|council's)\s+(?:parent\s+)?portal\b", re.IGNORECASE)


def test_no_demo_page_sends_a_family_to_a_portal_it_does_not_link_to(client, demo):
    """The FAQ and the parents' page sent families to "the council's parent portal", with no link and no such page."""
    pages = Page.objects.live().exclude(depth=1).specific()

    named = {}
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        text = BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ", strip=True)
        if found := OTHER_PORTAL.findall(text):
            named[page.url] = found

    assert len(pages) >= 12 and named == {}


def test_the_faq_answers_every_seed_question_in_groups(client, demo):
    faq = FAQPage.objects.get()
    soup = BeautifulSoup(client.get(faq.url).content, "html.parser")

    questions = [a.get_text(strip=True) for a in soup.select("#contents a")]
    groups = [h.get_text(strip=True) for h in soup.select("h2.portal-faq-group")]

    assert sorted(questions) == sorted(SEED_QUESTIONS)
    assert groups == ["About the portal", "Signing in", "Forms and submissions", "Documents", "Outcomes"] + [
        "Parents and carers"
    ]
    text = soup.get_text(" ", strip=True)
    for phrase in ("backup codes", "saved automatically", "Preview as PDF", "Request access", "Added after submission"):
        assert phrase in text
    terms = list(Team.objects.all()) + list(NeedType.objects.all())
    assert len(terms) == 18  # the 12 Teams and 6 Types the advice forms seed
    for term in terms:
        assert term.code in text and term.name in text
    assert "Child and Adolescent Mental Health Service" in text and "Preparing for Adulthood" in text
    assert ".gov.uk" not in client.get(faq.url).content.decode()
    assert re.fullmatch(
        r"Download a printable version of these questions \(PDF, \d+ KB\)",
        soup.select_one('main a[href$="printable/"]').get_text(strip=True),
    )


def test_the_demo_guides_show_captured_screens_with_alt_text_that_describes_them(client, demo):
    guides = VisualGuidePage.objects.order_by("path")

    assert [g.slug for g in guides] == [slug for slug, *_ in demo_content.GUIDES]
    assert len(guides) == 5
    for guide, (_slug, _title, _intro, steps) in zip(guides, demo_content.GUIDES, strict=True):
        soup = BeautifulSoup(client.get(guide.url).content, "html.parser")
        images = soup.select("ol.portal-steps img")
        assert [img["alt"] for img in images] == [alt for _h, _t, alt, _c, _w in steps]
        assert all(step.value["capture"].strip() for step in guide.steps)
    images = get_image_model().objects.all()
    assert images and not [image.title for image in images if "placeholder" in image.title.lower()]
    with images.first().file.open("rb") as picture:
        assert picture.read(8) == b"\x89PNG\r\n\x1a\n"


def test_no_placeholder_is_left_in_the_demo_content():
    source = "".join(
        (Path(demo_content.__file__).parent / name).read_text() for name in ("demo.py", "demo_content.py")
    ).lower()

    assert "placeholder" not in source
    assert len(list(DEMO_PICTURES.glob("*.png"))) == sum(len(steps) for *_, steps in demo_content.GUIDES)


def test_the_demo_has_the_three_help_pages(client, demo):
    slugs = {"how-to-access-the-portal", "a-guide-for-sencos", "how-parents-and-carers-views-are-included"}

    pages = HelpPage.objects.filter(slug__in=slugs)

    assert {p.slug for p in pages} == slugs
    for page in pages:
        assert client.get(page.url).status_code == 200


def test_the_demo_shows_owners_review_dates_a_change_note_and_related_content(client, demo):
    from cms.models import PageChangeNote
    from cms.selectors import pages_due_for_review

    call_command("load_demo_content", stdout=StringIO())  # a second run adds no second change note
    faq = FAQPage.objects.get()
    guidance = [*HelpPage.objects.live(), *FAQPage.objects.live(), *VisualGuidePage.objects.live()]

    assert all(page.owner_team_id or page.owner_person_id for page in guidance)
    assert all(page.review_by for page in guidance)
    assert faq.owner_person.email == demo_content.CONTENT_EDITOR_EMAIL
    assert [page.slug for page in pages_due_for_review()] == [demo_content.OVERDUE_SLUG]
    assert list(PageChangeNote.objects.filter(page=faq).values_list("note", flat=True)) == [
        demo_content.FAQ_CHANGE_NOTE,
        "First published.",
    ]
    soup = BeautifulSoup(client.get(faq.url).content, "html.parser")
    assert demo_content.FAQ_CHANGE_NOTE in soup.select_one(".portal-change-history").get_text()
    assert "How to access the portal" in [a.get_text(strip=True) for a in soup.select(".portal-related-links a")]
    # The parents' page lists none of the professionals' guides of its section (an authenticator app, a new phone).
    parents_page = HelpPage.objects.get(slug="how-parents-and-carers-views-are-included")
    parents_soup = BeautifulSoup(client.get(parents_page.url).content, "html.parser")
    related = [a.get_text(strip=True) for a in parents_soup.select(".portal-related-links a")]
    assert related == ["Asking for an EHC needs assessment", "If you disagree with a decision"]


# What rendering the demo FAQ page reads: the site, Wagtail's routing down the tree (5), the view restrictions that
# apply to it (2, read once for Wagtail's check and the page cache's), the site settings, the breadcrumbs' ancestors,
# the pages linked from the answers, the change history, the site's private sections, the section's pages, the
# related links' pages, and the page's topics and the pages sharing them, and its printable's size (the link says it;
# linked by address, with no document to look up), and the view restrictions of the help section the menu links to
# (kept with the settings when the page cache is shared).
DEMO_FAQ_QUERIES = 19


def test_the_demo_faq_page_renders_in_a_fixed_number_of_queries_and_a_hit_reads_nothing(
    demo, django_assert_num_queries
):

    faq = FAQPage.objects.get()
    personal = Client()
    personal.cookies["messages"] = "x"  # a flash message may be waiting: never from the cache (cms.cache)
    personal.get("/")  # Wagtail's site-root paths, read once per process

    with django_assert_num_queries(DEMO_FAQ_QUERIES):
        rendered = personal.get(faq.url)
    Client().get(faq.url)
    with django_assert_num_queries(0):
        hit = Client().get(faq.url)

    assert (rendered["X-Wagtail-Cache"], hit["X-Wagtail-Cache"]) == ("skip", "hit")
    page = BeautifulSoup(rendered.content, "html.parser")
    assert len(page.select(".portal-section-nav li")) >= 3
    assert len(page.select(".portal-related-links li")) >= 4
    assert page.select_one(".portal-faq-answer a[href]") is not None
    assert hit.content == Client().get(faq.url).content


# With a page cache every app server shares (Redis): the site and Wagtail's route to the page (cms/routing.py), the
# portal settings (cms.models.PortalSettings) and the navigation (cms/navigation.py) are kept there, read from the
# process's memory; the page is read by its id.
DEMO_FAQ_QUERIES_SHARED_CACHE = 7


def test_the_demo_faq_page_rendered_again_with_a_shared_page_cache_reads_no_route_or_site(
    demo, shared_page_cache, django_assert_num_queries
):
    faq = FAQPage.objects.get()
    personal = Client()
    personal.cookies["messages"] = "x"
    first = personal.get(faq.url)

    with django_assert_num_queries(DEMO_FAQ_QUERIES_SHARED_CACHE):
        again = personal.get(faq.url)

    assert again["X-Wagtail-Cache"] == "skip" and again.content == first.content


def test_the_demo_ends_with_every_printable_rendered_from_its_live_page(client, demo):
    pages = [*FAQPage.objects.live(), *VisualGuidePage.objects.live()]

    for page in pages:
        printable = GuidancePrintable.objects.get(page=page)
        assert printable.revision_id == page.live_revision_id
    response = client.get(FAQPage.objects.get().url + "printable/")
    assert response.status_code == 200 and SEED_QUESTIONS[0] in pdftotext(response.content)
    # The FAQ's printable is its own, not a document made once and left to go stale.
    assert not get_document_model().objects.filter(title__icontains="printable").exists()


RESULT_TITLES = ".portal-search-results h3 a"


def _main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").select_one("main")


def test_a_parent_finds_how_to_ask_for_an_assessment_from_home_the_parents_page_and_search(client, demo):
    """No page told a parent what an EHC needs assessment is, that they can ask for one themselves, what happens next,
    what to do if the council says no, or where to get free impartial help."""
    asking = HelpPage.objects.get(slug="asking-for-an-ehc-needs-assessment")
    parents = HelpPage.objects.get(slug="how-parents-and-carers-views-are-included")

    from_home = _main_text(client, "/").find("a", href=asking.url)
    from_parents = _main_text(client, parents.url).find("a", href=asking.url)
    page = _main_text(client, asking.url)
    call_command("update_index", verbosity=0)  # SQLite's index and PostgreSQL's alike
    found = {
        query: [
            a.get_text(strip=True)
            for a in _main_text(client, f"/search/?q={query}").select(".portal-search-results h3 a")
        ]
        for query in ("tribunal", "ehcp", "SENDIASS", "mediation", "autism")
    }

    assert from_home is not None and "Parents and carers do not need an account" in from_home.parent.get_text()
    assert from_parents is not None
    assert asking.audience == "parents" and asking.live
    text = page.get_text(" ", strip=True)
    for fact in (
        "section 36 of the Children and Families Act 2014",
        "Once your child is over compulsory school age (from the end of the school year in which they turn 16), "
        "the right to ask is theirs, up to the age of 25.",
        "You have 15 days to comment on it and to tell us which school or college you would like named in it.",
        "within 6 weeks of getting your request whether we will assess",
        "While we decide, we ask for your views",
        "within 16 weeks of your request",
        "within 20 weeks of your request",
        "When the time limits can be longer",
        "you must contact a mediation adviser",
        "You must appeal to the SEND Tribunal within 2 months of the date on our decision letter, or within 1 month "
        "of the date on the mediation certificate, whichever is later.",
        "SEND Information, Advice and Support Service (SENDIASS)",
        "Local Offer",
        "special educational needs and disabilities (SEND)",
        "special educational needs co-ordinator (SENCO)",
        "education, health and care plan (EHCP)",
        "including many autistic children",
        "A diagnosis, such as autism,",
    ):
        assert fact in text, fact
    assert page.find("a", href="mailto:advice@kestrelford-sendiass.example.org") is not None
    assert ".gov.uk" not in str(page)
    for query, titles in found.items():
        assert "Asking for an EHC needs assessment" in titles, query


def test_the_parents_page_speaks_to_parents_and_says_they_are_asked_while_the_council_decides(client, demo):
    """It told the SENCO "Only record what the family has agreed to share", said the council wrote to the family only
    once it had agreed to assess, and gave no phone number; the SENCO guide named it without a link. Alone of the
    parents' pages it did not name SENDIASS, their free, impartial help."""
    parents = HelpPage.objects.get(slug="how-parents-and-carers-views-are-included")
    guide = HelpPage.objects.get(slug="a-guide-for-sencos")

    main = _main_text(client, parents.url)
    text = main.get_text(" ", strip=True)
    senco_guide = _main_text(client, guide.url)
    home = _main_text(client, "/").get_text(" ", strip=True)

    assert "Only record what the family has agreed to share" not in text
    assert "If we agree to assess, we write to the family" not in text
    assert "we ask for your views while we decide whether to assess your child" in text
    assert "special educational needs co-ordinator (SENCO)" in text
    assert "phone: 01632 960 000 (Monday to Friday, 9am to 5pm)" in text
    assert "SEND Information, Advice and Support Service (SENDIASS) gives free, impartial advice" in text
    assert main.find("a", href="mailto:advice@kestrelford-sendiass.example.org") is not None
    assert senco_guide.find("a", href=parents.url).get_text(strip=True) == "how parents' and carers' views are included"
    guide_text = senco_guide.get_text(" ", strip=True)
    assert "within 16 weeks of the request" in guide_text and "longer in a few cases" in guide_text
    assert "no more than 20 weeks" not in guide_text
    assert "special educational needs and disabilities (SEND) service" in home


def test_the_demo_phone_numbers_are_links_a_phone_dials_and_the_editor_keeps_them(client, demo):
    """A parent on a phone had to copy the SEND service's, SENDIASS's and the ICO's numbers by hand: the demo's rich
    text now links each with tel:, and Wagtail's rich text editor keeps such a link through a save."""
    asking = HelpPage.objects.get(slug="asking-for-an-ehc-needs-assessment")
    privacy = HelpPage.objects.get(slug="privacy-notice")
    page = _main_text(client, asking.url)
    notice = _main_text(client, privacy.url)

    links = {a.get_text(strip=True): a["href"] for a in page.select("a[href^='tel:']")}
    assert links == {"01632 960 000": "tel:+441632960000", "01632 960 123": "tel:+441632960123"}
    assert notice.find("a", href="tel:+443031231113").get_text() == "0303 123 1113"
    # The demo's parents' guide is the one a search that finds nothing names.
    assert PortalSettings.objects.get().parents_guide_page.specific == asking

    converter = ContentstateConverter(features=["link"])
    html = '<p>phone: <a href="tel:+441632960000">01632 960 000</a></p>'
    assert 'href="tel:+441632960000"' in converter.to_database_format(converter.from_database_format(html))


def _found_titles(client, query):
    main = _main_text(client, f"/search/?q={query}")
    instead = main.select_one(".portal-search-instead")
    return [a.get_text(strip=True) for a in main.select(RESULT_TITLES)], instead.get_text(
        " ", strip=True
    ) if instead else ""


def test_a_parent_finds_the_guidance_with_a_plural_or_a_misspelt_word(client, demo):
    """On SQLite "assessments" found nothing while "assessment" found 9 pages, and "assesment", "tribnal" or "autsim"
    found nothing on either database, with no word of what they might have meant."""
    call_command("update_index", verbosity=0)

    exact, _ = _found_titles(client, "assessment")
    plural, _ = _found_titles(client, "assessments")
    found = {query: _found_titles(client, query) for query in ("assesment", "asessment", "tribnal", "autsim")}

    assert "Asking for an EHC needs assessment" in plural and set(exact) <= set(plural)
    for query, word, title in (
        ("assesment", "assessment", "Asking for an EHC needs assessment"),
        ("asessment", "assessment", "Asking for an EHC needs assessment"),
        ("tribnal", "tribunal", "If you disagree with a decision"),
        ("autsim", "autism", "Asking for an EHC needs assessment"),
    ):
        titles, instead = found[query]
        assert title in titles, query
        assert instead == f"There are no results for “{query}”, so these are the results for “{word}”."


def test_a_parent_finds_how_to_disagree_or_complain(client, demo):
    """ "complain" found only the privacy notice: no page told a parent how to disagree with a decision or complain."""
    page = HelpPage.objects.get(slug="if-you-disagree-with-a-decision")
    asking = HelpPage.objects.get(slug="asking-for-an-ehc-needs-assessment")
    call_command("update_index", verbosity=0)

    text = _main_text(client, page.url).get_text(" ", strip=True)
    found = {query: _found_titles(client, query)[0] for query in ("complain", "complaint", "tribunal", "appeal")}

    assert page.live and page.audience == "parents"
    for heading in ("Talk to the SEND service", "Mediation", "Appeal to the SEND Tribunal", "Make a complaint"):
        assert heading in text
    assert "Kestrelford Borough Council" in text and "advice@kestrelford-sendiass.example.org" in text
    assert _main_text(client, asking.url).find("a", href=page.url) is not None
    for query, titles in found.items():
        assert "If you disagree with a decision" in titles, query


@pytest.mark.parametrize("query", ["ehcp", "EHCP", "ehc plan", "ehc needs assessment"])
def test_a_parent_searching_for_a_plan_sees_the_parents_page_first(client, demo, query):
    """ "ehcp" listed "A guide for SENCOs" and "Uploading a document" before the parents' page."""
    call_command("update_index", verbosity=0)

    titles, _ = _found_titles(client, query)

    assert titles[0] == "Asking for an EHC needs assessment"
    assert titles.count("Asking for an EHC needs assessment") == 1


def test_the_home_pages_guidance_for_professionals_lists_every_visual_guide(client, demo):
    """It left out the guides to the form, uploading a document and adding an outcome."""
    aside = BeautifulSoup(client.get("/").content, "html.parser").select_one("aside[aria-labelledby=guidance-heading]")
    listed = {a["href"] for a in aside.select("a")}

    guides = VisualGuidePage.objects.live()
    assert guides.count() == 5
    assert {guide.url for guide in guides} <= listed


def test_the_help_sections_side_list_puts_the_parents_pages_first_under_their_own_heading(client, demo):
    """A parent found their three pages after nine for professionals."""
    parents = HelpPage.objects.get(slug="asking-for-an-ehc-needs-assessment")
    nav = BeautifulSoup(client.get(parents.url).content, "html.parser").select_one("nav.portal-section-nav")

    headings = [h3.get_text(strip=True) for h3 in nav.select("h3")]
    first_list = [li.get_text(strip=True) for li in nav.select_one("ul").select("li")]
    assert headings == ["For parents and carers", "For professionals"]
    assert first_list == [page.title for page in HelpPage.objects.filter(audience="parents").order_by("path")]
    assert len(first_list) == 3
