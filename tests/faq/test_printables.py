"""The FAQ's and the guides' printables follow the page: a task renders each on publish (django-q2, synchronous in
tests, run when the publish commits), visitors get the stored PDF and never a rendering, a publish waiting for its
task never serves the old PDF, and unpublishing, deleting or restricting the page takes the printable with it."""

import re
from io import StringIO

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from cms.formats import file_size, govuk_date
from faq.models import GuidancePrintable
from faq.pdf import _with_addresses, faq_pdf, guide_pdf
from faq.printables import PRINTABLE_RENDER_VERSION
from faq.services import printable_render, printable_render_stale
from tests.conftest import COUNCIL
from tests.factories.cms import HelpPageFactory, published, published_with_tasks
from tests.factories.faq import FAQPageFactory, VisualGuidePageFactory, question, step
from tests.pdfs import pdf_link_addresses, pdf_ua_problems, pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_default_cache")]

OLD_QUESTION = "How do I reset my password?"
NEW_QUESTION = "What do I do if I forget my password?"


@pytest.fixture
def faq(home_page, django_capture_on_commit_callbacks):
    section = HelpPageFactory(parent=home_page, title="Help", slug="help")
    published_with_tasks(section, django_capture_on_commit_callbacks)
    page = FAQPageFactory(
        parent=section,
        title="Questions for professionals",
        slug="faqs",
        questions=[("group_heading", "Signing in"), question(OLD_QUESTION, "<p>Choose Forgotten password.</p>")],
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


@pytest.fixture
def guide(home_page, django_capture_on_commit_callbacks):
    image = wagtail_factories.ImageFactory(title="Sign-in screen")
    page = VisualGuidePageFactory(
        parent=home_page,
        title="Signing in",
        slug="signing-in",
        steps=[step("Install an app", image, "<p>Install an authenticator app.</p>", alt_text="An app store")],
    )
    published_with_tasks(page, django_capture_on_commit_callbacks)
    return page


def printable(client, page):
    return client.get(page.url + "printable/")


def pdf_text(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return pdftotext(response.content)


def test_publishing_the_faq_after_changing_a_question_renders_its_printable_again(
    client, faq, django_capture_on_commit_callbacks
):
    assert OLD_QUESTION in pdf_text(printable(client, faq))
    first_file = GuidancePrintable.objects.get(page=faq).file.name

    faq.questions = [("group_heading", "Signing in"), question(NEW_QUESTION, "<p>Choose Forgotten password.</p>")]
    published_with_tasks(faq, django_capture_on_commit_callbacks)

    response = printable(client, faq)
    text = pdf_text(response)
    assert NEW_QUESTION in text and OLD_QUESTION not in text
    assert pdf_ua_problems(response.content) == []
    stored = GuidancePrintable.objects.get(page=faq)
    assert stored.revision_id == faq.live_revision_id
    # Replaced, not added to: one printable for the page, the old file gone from storage.
    assert not default_storage.exists(first_file) and default_storage.exists(stored.file.name)


def test_publishing_a_guide_after_changing_a_step_renders_its_printable_again(
    client, guide, django_capture_on_commit_callbacks
):
    assert "Install an app" in pdf_text(printable(client, guide))

    image = guide.steps[0].value["image"]
    guide.steps = [step("Open the authenticator", image, "<p>Open the app.</p>", alt_text="The app's first screen")]
    published_with_tasks(guide, django_capture_on_commit_callbacks)

    response = printable(client, guide)
    text = pdf_text(response)
    assert "Open the authenticator" in text and "Install an app" not in text
    assert pdf_ua_problems(response.content) == []


def test_the_faq_page_links_to_its_printable(client, faq):
    response = client.get(faq.url)

    assert f'href="{faq.url}printable/"' in response.content.decode()


def test_a_printable_is_never_rendered_while_a_visitor_waits(client, home_page, django_capture_on_commit_callbacks):
    page = FAQPageFactory(parent=home_page, slug="new-faqs", questions=[question(OLD_QUESTION)])
    with django_capture_on_commit_callbacks() as queued:
        page.save_revision().publish()  # the publish queues its task, which has not run yet

    response = printable(client, page)

    assert response.status_code == 202
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert "The printable version is being prepared" in response.content.decode()
    assert not GuidancePrintable.objects.filter(page=page).exists()
    for callback in queued:  # the commit: the task runs on the worker
        callback()
    assert OLD_QUESTION in pdf_text(printable(client, page))


def test_a_lost_task_is_queued_again_by_visitors_at_most_once_a_minute(
    client, home_page, django_capture_on_commit_callbacks
):
    page = FAQPageFactory(parent=home_page, slug="new-faqs", questions=[question(OLD_QUESTION)])
    published(page)  # its task is lost (say the broker was down)
    caches["default"].clear()  # a minute on: the publish's own queuing no longer holds visitors back

    with django_capture_on_commit_callbacks() as queued:
        for _ in range(3):
            assert printable(client, page).status_code == 202

    assert len(queued) == 1
    queued[0]()
    assert OLD_QUESTION in pdf_text(printable(client, page))


def test_the_old_printable_is_not_served_while_the_new_one_is_prepared(client, faq):
    faq.questions = [question(NEW_QUESTION)]
    published(faq)

    response = printable(client, faq)

    assert response.status_code == 202
    assert OLD_QUESTION.encode() not in response.content


def test_the_page_cache_never_keeps_the_being_prepared_page(client, faq, django_capture_on_commit_callbacks):
    faq.questions = [question(NEW_QUESTION)]
    with django_capture_on_commit_callbacks() as queued:
        faq.save_revision().publish()
    assert printable(client, faq).status_code == 202
    for callback in queued:
        callback()

    assert NEW_QUESTION in pdf_text(printable(client, faq))


def test_the_render_task_is_safe_to_run_twice(faq):
    stored = GuidancePrintable.objects.get(page=faq)

    assert printable_render(page_id=faq.pk) is False

    again = GuidancePrintable.objects.get(page=faq)
    assert (again.file.name, again.rendered_at) == (stored.file.name, stored.rendered_at)


def test_a_printable_rendered_for_a_revision_no_longer_live_is_not_stored(faq):
    faq.questions = [question(NEW_QUESTION)]
    published(faq)
    faq.unpublish()

    assert printable_render(page_id=faq.pk) is False
    assert not GuidancePrintable.objects.filter(page=faq).exists()


def test_unpublishing_removes_the_printable_and_its_file(client, faq, django_capture_on_commit_callbacks):
    name = GuidancePrintable.objects.get(page=faq).file.name

    with django_capture_on_commit_callbacks(execute=True):
        faq.unpublish()

    assert printable(client, faq).status_code == 404
    assert not GuidancePrintable.objects.filter(page=faq).exists()
    assert not default_storage.exists(name)


def test_deleting_the_page_deletes_its_printable_file(guide, django_capture_on_commit_callbacks):
    name = GuidancePrintable.objects.get(page=guide).file.name

    with django_capture_on_commit_callbacks(execute=True):
        guide.delete()

    assert not GuidancePrintable.objects.exists()
    assert not default_storage.exists(name)


def test_the_printable_of_a_page_behind_a_password_is_not_public(client, guide):
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

    response = printable(client, guide)

    assert response.status_code == 200  # Wagtail's password form, not the PDF
    assert response["Content-Type"].startswith("text/html") and b"%PDF" not in response.content
    assert "private" in response["Cache-Control"]


def test_the_printable_of_a_page_for_signed_in_users_sends_others_to_sign_in(guide, verified_client):
    PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)

    response = printable(Client(), guide)

    assert response.status_code == 302 and b"%PDF" not in response.content
    signed_in = printable(verified_client, guide)
    assert "Install an app" in pdf_text(signed_in)
    assert "private" in signed_in["Cache-Control"]


def test_publishing_from_code_without_a_request_renders_the_printable(home_page, django_capture_on_commit_callbacks):
    """What a management command (capture_guides) does: publish a new revision, no request anywhere."""
    image = wagtail_factories.ImageFactory()
    guide = VisualGuidePageFactory(parent=home_page, slug="captured", steps=[step("First", image)])
    published_with_tasks(guide, django_capture_on_commit_callbacks)
    guide.steps = [step("Captured again", image, alt_text="A new screenshot")]
    revision = guide.save_revision()

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()

    stored = GuidancePrintable.objects.get(page=guide)
    assert stored.revision_id == revision.pk
    assert "Captured again" in pdftotext(stored.file.open("rb").read())


def test_render_stale_renders_only_the_printables_missing_or_behind_their_page(faq, guide):
    faq.questions = [question(NEW_QUESTION)]
    published(faq)

    assert printable_render_stale() == 1
    assert printable_render_stale() == 0
    assert NEW_QUESTION in pdftotext(GuidancePrintable.objects.get(page=faq).file.open("rb").read())


def test_the_render_printables_command_makes_the_stale_printables_and_says_how_many(faq, guide):
    faq.questions = [question(NEW_QUESTION)]
    published(faq)
    out = StringIO()

    call_command("render_printables", stdout=out)
    call_command("render_printables", stdout=out)

    assert out.getvalue().splitlines() == ["Made 1 printable.", "Made 0 printables."]
    assert NEW_QUESTION in pdftotext(GuidancePrintable.objects.get(page=faq).file.open("rb").read())


def test_a_page_of_another_kind_gets_no_printable(home_page):
    assert printable_render(page_id=home_page.pk) is False
    assert not GuidancePrintable.objects.exists()


def test_an_alias_serves_its_originals_printable(client, home_page, faq, django_capture_on_commit_callbacks):
    alias = faq.create_alias(parent=home_page, update_slug="faqs-again")

    assert OLD_QUESTION in pdf_text(printable(client, alias))
    assert GuidancePrintable.objects.count() == 1

    faq.questions = [question(NEW_QUESTION)]
    published_with_tasks(faq, django_capture_on_commit_callbacks)  # Wagtail updates the alias and publishes it too

    assert NEW_QUESTION in pdf_text(printable(client, alias))
    assert GuidancePrintable.objects.count() == 1


def test_the_page_cache_keeps_a_printable_until_the_page_is_published_again(faq, django_capture_on_commit_callbacks):
    url = faq.url + "printable/"
    first = Client().get(url)
    hit = Client().get(url)

    assert hit["X-Wagtail-Cache"] == "hit" and hit.content == first.content
    faq.questions = [question(NEW_QUESTION)]
    published_with_tasks(faq, django_capture_on_commit_callbacks)
    assert NEW_QUESTION in pdf_text(Client().get(url))


def test_browsers_ask_again_for_a_printable_every_time_and_an_unchanged_one_is_a_304(
    faq, django_capture_on_commit_callbacks
):
    """A printable corrected by a publish must reach a visitor at once, not after the ten minutes wagtail-cache told
    browsers and proxies to keep it; one unchanged costs the visitor no download."""
    url = faq.url + "printable/"
    first = Client().get(url)
    hit = Client().get(url)

    for response in (first, hit):
        directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
        assert {"no-cache", "max-age=0"} <= directives
        assert "Expires" not in response
    assert hit["X-Wagtail-Cache"] == "hit"
    by_etag = Client().get(url, headers={"If-None-Match": first["ETag"]})
    by_date = Client().get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert [by_etag.status_code, by_date.status_code] == [304, 304]
    assert by_etag.content == b""

    faq.questions = [question(NEW_QUESTION)]
    published_with_tasks(faq, django_capture_on_commit_callbacks)
    changed = Client().get(url, headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]})
    assert NEW_QUESTION in pdf_text(changed)


def test_links_in_a_printable_are_whole_addresses_that_work_from_a_downloaded_file(home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    answer = (
        '<p>See <a href="/help/signing-in/">signing in</a>, <a href="https://www.gov.uk/">GOV.UK</a>'
        ' and <a href="mailto:send@example.org">email us</a>.</p>'
    )
    page = FAQPageFactory(parent=home_page, title="Questions", slug="questions", questions=[question("How?", answer)])

    uris = pdf_link_addresses(faq_pdf(page))
    assert sorted(uris) == [
        "https://portal.example.org/help/signing-in/",
        "https://portal.example.org/questions/",  # the page's own, under its title
        "https://www.gov.uk/",
        "mailto:send@example.org",
    ]


def _stored_by_the_renderer_before_whole_address_links(page):
    """What migration 0007 makes of a printable stored before links were whole addresses: render version 1."""
    GuidancePrintable.objects.filter(page=page).update(render_version=1)
    caches["default"].clear()  # its publish, and the guard on queuing it again, were long ago
    return GuidancePrintable.objects.get(page=page).file.name


def test_a_printable_of_an_older_renderer_is_not_served_and_the_visit_renders_it_again(
    client, faq, django_capture_on_commit_callbacks
):
    old_file = _stored_by_the_renderer_before_whole_address_links(faq)

    with django_capture_on_commit_callbacks(execute=True):
        response = printable(client, faq)

    assert response.status_code == 202
    assert "The printable version is being prepared" in response.content.decode()
    stored = GuidancePrintable.objects.get(page=faq)
    assert stored.render_version == PRINTABLE_RENDER_VERSION and stored.revision_id == faq.live_revision_id
    assert not default_storage.exists(old_file)
    assert OLD_QUESTION in pdf_text(printable(client, faq))


def test_render_stale_renders_again_the_printables_of_an_older_renderer(faq, guide):
    _stored_by_the_renderer_before_whole_address_links(guide)

    assert printable_render_stale() == 1
    assert printable_render_stale() == 0
    assert GuidancePrintable.objects.get(page=guide).render_version == PRINTABLE_RENDER_VERSION


def _document(title, name):
    data = b"%PDF-1.4 " + name.encode()
    return get_document_model().objects.create(title=title, file=ContentFile(data, name=name), file_size=len(data))


def _link(document, words):
    return f'<a linktype="document" id="{document.pk}">{words}</a>'


def _documents_at_the_end(data):
    """The lines of a printable's PDF under "Documents on this page", up to its page's footer."""
    at_the_end = re.split(r"\nPage \d+ of \d+", pdftotext(data).split("Documents on this page", 1)[1], maxsplit=1)[0]
    return [line.removeprefix("• ") for line in at_the_end.splitlines() if line.strip()]


def _address(document):
    return f"https://portal.example.org{document.url}"


def _assert_documents_listed_last(data, listed):
    """The printable ``data`` ends with the ``listed`` (title, document) pairs, in that order, each with its whole
    address, as its last links, and stays PDF/UA."""
    addresses = [_address(document) for _title, document in listed]
    assert _documents_at_the_end(data) == [line for title, document in listed for line in (title, _address(document))]
    assert pdf_link_addresses(data)[-len(listed) :] == addresses
    assert pdf_ua_problems(data) == []


def test_a_printable_ends_with_each_document_the_page_links_to_once_in_page_order_with_its_whole_address(
    home_page, settings
):
    """On paper a document link is only its words: a parent holding the printable could not tell which documents
    there were, nor where to find them."""
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    plan = _document("Support plan template", "support-plan.pdf")
    review = _document("Annual review form", "annual-review.pdf")

    page = FAQPageFactory(
        parent=home_page,
        title="Reviews",
        slug="reviews",
        questions=[
            question("What do I write?", f"<p>Start from {_link(plan, 'the plan template')}.</p>"),
            question("What comes next?", f"<p>Fill in {_link(review, 'the review form')}.</p>"),
            question("Where was that template?", f"<p>It is {_link(plan, 'here')}.</p>"),
        ],
    )

    _assert_documents_listed_last(faq_pdf(page), [("Support plan template", plan), ("Annual review form", review)])


def test_a_printable_of_a_page_linking_to_no_document_lists_none(client, faq):
    assert "Documents on this page" not in pdf_text(printable(client, faq))


def test_a_guide_printable_ends_with_each_document_its_steps_link_to_once_in_step_order_with_its_whole_address(
    home_page, settings
):
    """A parent printing a guide has only the words of its steps' links: the documents they name, and where to find
    them, would be lost on paper."""
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    plan = _document("Support plan template", "support-plan.pdf")
    review = _document("Annual review form", "annual-review.pdf")
    image = wagtail_factories.ImageFactory(title="Review screen")

    page = VisualGuidePageFactory(
        parent=home_page,
        title="Preparing for a review",
        slug="preparing-for-a-review",
        steps=[
            step("Read the form", image, f"<p>Open {_link(review, 'the review form')}.</p>"),
            step("Write the plan", image, f"<p>Use {_link(plan, 'the plan')}, then {_link(review, 'the form')}.</p>"),
        ],
    )

    _assert_documents_listed_last(guide_pdf(page), [("Annual review form", review), ("Support plan template", plan)])


def test_a_guide_printable_of_steps_linking_to_no_document_lists_none(client, guide):
    text = pdf_text(printable(client, guide))

    assert "Install an app" in text and "Documents on this page" not in text


def _words(data):
    """A printable's text as one line of words: pdftotext breaks the lines where the page does."""
    return " ".join(pdftotext(data).split())


def _linking_answer(home_page, plan):
    views = published(HelpPageFactory(parent=home_page, title="Parents' views", slug="parents-views"))
    return (
        f'<p>Read <a linktype="page" id="{views.pk}">how parents\' and carers\' views are included</a>, '
        '<a href="https://www.gov.uk/children-with-special-educational-needs">the law on SEND</a> '
        f'and {_link(plan, "the plan template")}. Visit <a href="https://www.example.org/">https://www.example.org/</a>'
        ' or email <a href="mailto:send@example.org">send@example.org</a>.</p>'
    )


@pytest.mark.parametrize("kind", ["faq", "guide"])
def test_a_printable_prints_the_whole_address_of_a_link_to_a_page_or_another_site_after_its_words(
    home_page, settings, kind
):
    """On paper a link is only its words: a parent holding the printable could not follow "how parents' and carers'
    views are included" anywhere. Its whole address follows it, as GOV.UK's print styles do; a document's link is
    named at the end instead, and a link whose words are its address is not repeated."""
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    text = _linking_answer(home_page, _document("Support plan template", "support-plan.pdf"))
    if kind == "faq":
        data = faq_pdf(FAQPageFactory(parent=home_page, slug="faqs", questions=[question("Can parents?", text)]))
    else:
        image = wagtail_factories.ImageFactory()
        data = guide_pdf(VisualGuidePageFactory(parent=home_page, slug="guide", steps=[step("Read", image, text)]))

    words = _words(data)
    sentence = (
        "Read how parents' and carers' views are included (https://portal.example.org/parents-views/), the law on "
        "SEND (https://www.gov.uk/children-with-special-educational-needs) and the plan template. Visit "
        "https://www.example.org/ or email send@example.org."
    )
    assert "".join(sentence.split()) in "".join(words.split())  # a line may break an address anywhere
    assert "Documents on this page" in words
    assert pdf_ua_problems(data) == []


@pytest.mark.parametrize(
    ("html", "printed"),
    [
        # The address written right after the link, bracketed or not, with or without its closing "/".
        (
            '<p>Read <a href="/help/x/">the help</a> (https://portal.example.org/help/x/).</p>',
            '<p>Read <a href="/help/x/">the help</a> (https://portal.example.org/help/x/).</p>',
        ),
        (
            '<p>Read <a href="/help/x/">the help</a> at <b>portal.example.org/help/x</b> today.</p>',
            '<p>Read <a href="/help/x/">the help</a> at <b>portal.example.org/help/x</b> today.</p>',
        ),
        # Words that are the address without its "https://" or its closing "/".
        (
            '<a href="https://www.gov.uk/">www.gov.uk</a>',
            '<a href="https://www.gov.uk/">www.gov.uk</a>',
        ),
        (
            '<a href="https://www.gov.uk/">https://www.gov.uk</a>',
            '<a href="https://www.gov.uk/">https://www.gov.uk</a>',
        ),
        # Not the same address: a "www." the words leave out, or a longer address written after the link.
        (
            '<a href="https://www.gov.uk/">gov.uk</a>',
            '<a href="https://www.gov.uk/">gov.uk</a> (https://www.gov.uk/)',
        ),
        (
            '<a href="https://www.gov.uk/">GOV.UK</a> (see www.gov.uk/send)',
            '<a href="https://www.gov.uk/">GOV.UK</a> (https://www.gov.uk/) (see www.gov.uk/send)',
        ),
    ],
)
def test_a_printable_prints_a_links_address_once(settings, html, printed):
    """An address already on the paper, as the link's words or written right after it, is not printed again:
    "Read the help (https://.../help/x/) (https://.../help/x/)" says it twice."""
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    assert _with_addresses(html, []) == printed


@pytest.mark.parametrize("kind", ["faq", "guide"])
def test_a_printable_says_which_service_it_is_from_where_it_is_online_and_when_it_was_last_updated(
    client, request, kind
):
    """A printout found on a table says whose it is, where to read it now and how old it is."""
    page = request.getfixturevalue(kind)

    words = _words(printable(client, page).content)

    assert f"From SEND Professional Portal, {COUNCIL}" in words
    assert f"Read it online at http://testserver{page.url}" in words
    assert f"Last updated: {govuk_date(page.last_updated_at)}" in words


def test_the_printables_link_gives_its_size_as_govuk_does(client, faq, guide):
    """The link "Download a printable version (PDF)" gave no size: a parent on a phone's data could not tell a 40 KB
    list of questions from a guide of megabytes of screenshots."""
    for page, what in ((faq, "these questions"), (guide, "this guide")):
        stored = GuidancePrintable.objects.get(page=page)
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")

        link = soup.select_one('main a[href$="printable/"]').get_text(strip=True)

        assert stored.file_size == stored.file.size > 0
        assert link == f"Download a printable version of {what} (PDF, {file_size(stored.file_size)})"


def test_the_printables_link_gives_no_size_while_it_is_being_prepared(client, home_page):
    page = FAQPageFactory(parent=home_page, slug="new-faqs", questions=[question(OLD_QUESTION)])
    published(page)  # its task not run: no printable yet

    soup = BeautifulSoup(client.get(page.url).content, "html.parser")

    assert soup.select_one('main a[href$="printable/"]').get_text(strip=True) == (
        "Download a printable version of these questions (PDF)"
    )


def test_a_page_kept_before_its_printable_was_made_shows_the_printables_size_once_it_is_made(
    home_page, django_capture_on_commit_callbacks
):
    page = FAQPageFactory(parent=home_page, slug="new-faqs", questions=[question(OLD_QUESTION)])
    published(page)  # its task has not run yet
    alias = page.create_alias(parent=home_page, update_slug="faqs-again")
    for kept in (page, alias):
        Client().get(kept.url)
        before = Client().get(kept.url)
        assert before["X-Wagtail-Cache"] == "hit" and "(PDF)</a>" in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert printable_render(page_id=page.pk) is True

    size = file_size(GuidancePrintable.objects.get(page=page).file_size)
    for kept in (page, alias):
        assert f"(PDF, {size})</a>" in Client().get(kept.url).content.decode()
