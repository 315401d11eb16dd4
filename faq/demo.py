"""Demo help section for Kestrelford: FAQs, two visual guides and three help pages, with owners, review dates
(one past), topics and a change note. Idempotent.

The guides' pictures are clearly labelled placeholders drawn here with Pillow: replace them with
screenshots of the portal's own pages once those pages exist.
"""

from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from cms.choices import ChangeKind
from cms.models import HelpPage, HomePage, PageChangeNote
from faq import demo_content as words
from faq.models import FAQPage, VisualGuidePage
from faq.services import printable_render_stale

PLACEHOLDER_SIZE = (960, 600)


def _font(size):
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _placeholder_png(label):
    """A grey frame that says, in large letters, that a screenshot of our own page belongs here."""
    image = PILImage.new("RGB", PLACEHOLDER_SIZE, "#f3f2f1")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, PLACEHOLDER_SIZE[0] - 9, PLACEHOLDER_SIZE[1] - 9], outline="#505a5f", width=6)
    draw.rectangle([8, 8, PLACEHOLDER_SIZE[0] - 9, 90], fill="#1d4f76")
    draw.text((32, 28), "PLACEHOLDER: screenshot to come", fill="#ffffff", font=_font(34))
    lines, line = [], ""
    for word in label.split():
        if len(line) + len(word) > 34:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    lines.append(line)
    for number, text in enumerate(lines):
        draw.text((48, 170 + number * 56), text, fill="#0b0c0c", font=_font(40))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _placeholder_image(label):
    Image = get_image_model()
    title = f"Placeholder: {label}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title)
        image.file = ImageFile(BytesIO(_placeholder_png(label)), name="placeholder.png")
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
    has its topics; one page is past its review date."""
    team = Group.objects.filter(name=words.CONTENT_TEAM).first()
    editor = get_user_model().objects.filter(email=words.CONTENT_EDITOR_EMAIL).first()
    for page in pages:
        page.owner_person, page.owner_team = (editor, None) if page.slug == "faqs" and editor else (None, team)
        page.tags.set(words.TOPICS.get(page.slug, []))
        if page.slug == words.OVERDUE_SLUG:
            page.review_by = timezone.localdate() - timedelta(days=words.OVERDUE_DAYS)


def _faq_major_change(faq):
    """Publish the FAQ once more as a major change with a public note (once: a second run finds the note)."""
    if PageChangeNote.objects.filter(page=faq, note=words.FAQ_CHANGE_NOTE).exists():
        return
    faq.change_kind, faq.change_note = ChangeKind.MAJOR, words.FAQ_CHANGE_NOTE
    _publish(faq)


def _faq_questions(links):
    stream = []
    for heading, questions in words.faq_groups():
        stream.append(("group_heading", heading))
        for question, answer in questions:
            for token, page in links.items():
                answer = answer.replace(f'href="@@{token}@@"', f'linktype="page" id="{page.pk}"')
            stream.append(("question", {"question": question, "answer": RichText(answer), "anchor": ""}))
    return stream


def _help_page_body(items, *, guide, faq):
    body = []
    for block_type, value in items:
        if block_type == "guide_link":
            body.append(
                ("call_to_action", {"text": "See the guide to signing in", "page": guide, "url": "", "start": False})
            )
        elif block_type == "image":
            body.append(("image", {"image": _placeholder_image(value), "alt_text": value, "caption": ""}))
        elif block_type == "printable_faq_link":
            # The FAQ's printable is made on publish, not a document of its own: the link goes to the FAQ page.
            link = f'<a linktype="page" id="{faq.pk}">frequently asked questions</a>'
            text = f"<p>Most questions are answered in the {link}, which you can also print.</p>"
            body.append(("text", RichText(text)))
        elif block_type in ("text", "inset_text"):
            body.append((block_type, RichText(value)))
        elif block_type == "details":
            body.append(("details", {"summary": value["summary"], "text": RichText(value["text"])}))
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

    faq = _page(section, FAQPage, "faqs", words.FAQ_TITLE)
    guides = []
    for guide_slug, guide_title, guide_intro, steps in words.GUIDES:
        guide = _page(section, VisualGuidePage, guide_slug, guide_title)
        guide.intro = guide_intro
        guide.steps = [
            (
                "step",
                {
                    "heading": heading,
                    "text": RichText(text),
                    "image": _placeholder_image(label),
                    "alt_text": f"Placeholder picture, to be replaced by a screenshot: {label}",
                },
            )
            for heading, text, label in steps
        ]
        _publish(guide)
        guides.append(guide)

    help_pages = {}
    for page_slug, page_title, page_intro, _items in words.HELP_PAGES:
        help_pages[page_slug] = _page(section, HelpPage, page_slug, page_title)
        help_pages[page_slug].intro = page_intro

    faq.intro = words.FAQ_INTRO
    faq.questions = _faq_questions(
        {"guide_sign_in": guides[0], "parents_views": help_pages["how-parents-and-carers-views-are-included"]}
    )
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
        page.body = _help_page_body(items, guide=guides[0], faq=faq)
        _publish(page)

    home.guidance_links = [
        ("page", faq),
        ("page", guides[0]),
        ("page", guides[1]),
        ("page", help_pages["how-to-access-the-portal"]),
        ("page", section),
    ]
    _publish(home)
    # Each publish above queued its printable for a worker; the demo ends with them ready, worker or not.
    printable_render_stale()
    out.write("Help section with FAQs, visual guides and help pages is ready, with their printable versions.")
