"""Demo help section for Kestrelford: FAQs, five visual guides and four help pages, with owners, review dates
(one past), topics and a change note. Idempotent.

Every guide step has a capture, and its picture is a real screenshot of the demo portal taken by `make guides`.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from cms.choices import Audience, ChangeKind
from cms.demo import HOME_INTRO, demo_words
from cms.models import HelpPage, HomePage, PageChangeNote, PortalSettings
from faq import demo_content as words
from faq.models import FAQPage, VisualGuidePage
from faq.services import CAPTURED_TITLE_PREFIX, printable_render_stale

# The guides' pictures, captured from the demo by `make guides` (manage.py capture_guides --demo-pictures) and kept
# with the app that owns the guides, so a fresh `make run` shows real screens without a browser.
DEMO_PICTURES = Path(__file__).resolve().parent / "demo_pictures"


def demo_picture(slug, position, guide_title):
    """The captured picture of a demo guide's step as a Wagtail image (found again by its title), or None before
    `make guides` first took it. The capture run replaces its file in place."""
    Image = get_image_model()
    title = f"{CAPTURED_TITLE_PREFIX}{guide_title}, step {position}"
    image = Image.objects.filter(title=title).first()
    path = DEMO_PICTURES / f"{slug}-{position}.png"
    if image is None and path.exists():
        image = Image(title=title)
        image.file = ImageFile(BytesIO(path.read_bytes()), name=f"guide-{slug}-{position}.png")
        image.save()
    return image


def _page(parent, model, slug, title):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(title=title, slug=slug)
        parent.add_child(instance=page)
    return page


def _publish(page):
    page.save_revision().publish()


def _owners_and_topics(pages):
    """The section and most pages belong to the Content editor team; the FAQ to the demo content editor; each page
    has its topics and its readers; one page is past its review date."""
    team = Group.objects.filter(name=words.CONTENT_TEAM).first()
    editor = get_user_model().objects.filter(email=words.CONTENT_EDITOR_EMAIL).first()
    for page in pages:
        page.owner_person, page.owner_team = (editor, None) if page.slug == "faqs" and editor else (None, team)
        page.tags.set(words.TOPICS.get(page.slug, []))
        page.audience = words.AUDIENCES.get(page.slug, Audience.EVERYONE)
        if page.slug == words.OVERDUE_SLUG:
            page.review_by = timezone.localdate() - timedelta(days=words.OVERDUE_DAYS)


def _faq_major_change(faq):
    """Publish the FAQ once more as a major change with a public note (once: a second run finds the note)."""
    if PageChangeNote.objects.filter(page=faq, note=words.FAQ_CHANGE_NOTE).exists():
        return
    faq.change_kind, faq.change_note = ChangeKind.MAJOR, words.FAQ_CHANGE_NOTE
    _publish(faq)


def _with_page_links(html, links):
    """``html`` with each ``href="@@token@@"`` made a rich-text link to the page ``links`` names by that token."""
    for token, page in links.items():
        html = html.replace(f'href="@@{token}@@"', f'linktype="page" id="{page.pk}"')
    return html


def _faq_questions(links):
    stream = []
    for heading, questions in words.faq_groups():
        stream.append(("group_heading", heading))
        for question, answer in questions:
            answer = _with_page_links(answer, links)
            stream.append(("question", {"question": question, "answer": RichText(answer), "anchor": ""}))
    return stream


def _help_page_body(items, *, guide, faq, pictures, links):
    body = []
    for block_type, value in items:
        if block_type == "guide_link":
            body.append(
                ("call_to_action", {"text": "See the guide to signing in", "page": guide, "url": "", "start": False})
            )
        elif block_type == "image":
            slug, position, alt_text = value
            body.append(("image", {"image": pictures[slug, position], "alt_text": alt_text, "caption": ""}))
        elif block_type == "printable_faq_link":
            # The FAQ's printable is made on publish, not a document of its own: the link goes to the FAQ page.
            link = f'<a linktype="page" id="{faq.pk}">frequently asked questions</a>'
            text = f"<p>Most questions are answered in the {link}, which you can also print.</p>"
            body.append(("text", RichText(text)))
        elif block_type in ("text", "inset_text"):
            body.append((block_type, RichText(_with_page_links(value, links))))
        elif block_type == "details":
            text = _with_page_links(value["text"], links)
            body.append(("details", {"summary": value["summary"], "text": RichText(text)}))
        else:
            body.append((block_type, value))
    return body


@transaction.atomic
def load(out):
    home = HomePage.objects.first()
    slug, title, intro = words.HELP_SECTION
    section = _page(home, HelpPage, slug, title)
    section.intro = intro
    section.body = []
    _publish(section)
    # The header's menu links to the section on every page ("Help and guidance").
    site_settings = PortalSettings.for_site(home.get_site())
    site_settings.help_page = section
    site_settings.save(update_fields=["help_page"])

    faq = _page(section, FAQPage, "faqs", words.FAQ_TITLE)
    guides = []
    password = demo_words("demo_password")
    pictures = {}
    for guide_slug, guide_title, guide_intro, steps in words.GUIDES:
        guide = _page(section, VisualGuidePage, guide_slug, guide_title)
        guide.intro = guide_intro
        guide.steps = []
        for position, (heading, text, alt_text, capture, width) in enumerate(steps, start=1):
            pictures[guide_slug, position] = demo_picture(guide_slug, position, guide_title)
            step = {
                "heading": heading,
                "text": RichText(text),
                "image": pictures[guide_slug, position],
                "alt_text": alt_text,
                "capture": capture.replace("@@password@@", password),
                "capture_width": width,
            }
            guide.steps.append(("step", step))
        _publish(guide)
        guides.append(guide)

    help_pages = {}
    for page_slug, page_title, page_intro, _items in words.HELP_PAGES:
        help_pages[page_slug] = _page(section, HelpPage, page_slug, page_title)
        help_pages[page_slug].intro = page_intro
        help_pages[page_slug].search_description = words.SEARCH_DESCRIPTIONS.get(page_slug, "")

    faq.intro = words.FAQ_INTRO
    links = {
        "guide_sign_in": guides[0],
        "parents_views": help_pages["how-parents-and-carers-views-are-included"],
        "ehc_request": help_pages["asking-for-an-ehc-needs-assessment"],
        "disagree": help_pages["if-you-disagree-with-a-decision"],
    }
    faq.questions = _faq_questions(links)
    faq.related_links = [
        ("page", {"page": guides[0], "title": ""}),
        ("page", {"page": guides[1], "title": ""}),
        ("page", {"page": help_pages["how-to-access-the-portal"], "title": ""}),
        ("page", {"page": help_pages["a-guide-for-sencos"], "title": ""}),
    ]
    faq.downloads = []
    # Earlier demos filed the FAQ's printable as a document made once; the page's own printable replaces it.
    get_document_model().objects.filter(title="Frequently asked questions: printable version").delete()
    _owners_and_topics([section, faq, *guides, *help_pages.values()])
    _publish(faq)
    _faq_major_change(faq)
    _publish(section)
    for guide in guides:
        _publish(guide)

    for page_slug, _title, _intro, items in words.HELP_PAGES:
        page = help_pages[page_slug]
        page.body = _help_page_body(items, guide=guides[0], faq=faq, pictures=pictures, links=links)
        _publish(page)
    for page_slug, query_strings in words.PROMOTED_SEARCHES.items():
        for query_string in query_strings:
            query = Query.get(query_string)
            SearchPromotion.objects.update_or_create(
                query=query, page=help_pages[page_slug], defaults={"sort_order": 0}
            )
    site_settings.parents_guide_page = help_pages["asking-for-an-ehc-needs-assessment"]
    site_settings.save(update_fields=["parents_guide_page"])

    home.intro = HOME_INTRO + _with_page_links(words.HOME_FOR_PARENTS, links)
    # Every visual guide: the form, uploading and outcomes as well as signing in and a new phone.
    home.guidance_links = [
        ("page", faq),
        *(("page", guide) for guide in guides),
        ("page", help_pages["how-to-access-the-portal"]),
        ("page", section),
    ]
    _publish(home)
    # Each publish above queued its printable for a worker; the demo ends with them ready, worker or not.
    printable_render_stale()
    out.write("Help section with FAQs, visual guides and help pages is ready, with their printable versions.")
