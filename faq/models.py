from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from cms.models import GuidancePage
from cms.pdf import pdf_response
from faq.blocks import (
    STEP_IMAGE_FULL_SPEC,
    STEP_IMAGE_SPEC,
    FAQQuestionsBlock,
    GuideStepBlock,
    assign_anchors,
    download_blocks,
    related_link_blocks,
)
from faq.pdf import faq_pdf, guide_pdf
from faq.printables import PRINTABLE_RENDER_VERSION, printable_queue

GUIDANCE_PARENTS = ["cms.HomePage", "cms.HelpPage"]
_ANSWER_BREAK = "<!--faq-answer-break-->"
# How long a visitor is asked to wait for a printable that is being prepared (seconds, the Retry-After header).
PRINTABLE_RETRY_AFTER = 30


class PrintablePageMixin(RoutablePageMixin):
    """A guidance page with a printable PDF at ``<page>/printable/``: the one a task rendered after the page's latest
    publish (GuidancePrintable), never one rendered while a visitor waits.

    Served through Wagtail's page serving, so a page's view restrictions (a password, signing in, groups) guard its
    printable exactly as they guard the page, and the page cache never keeps a restricted one (WagtailCacheMixin).
    """

    def printable_pdf(self) -> bytes:
        raise NotImplementedError

    def printable_file_size(self) -> int | None:
        """The size in bytes of the printable a visitor would download now, as stored when it was rendered (the link
        says "PDF, 120 KB", as GOV.UK's attachments do); None while it is being prepared, or for one stored before
        its size was kept. One query, never a read of the file."""
        printables = GuidancePrintable.objects.of_live_revision(page=self.printable_source())
        return printables.values_list("file_size", flat=True).first()

    def printable_source(self):
        """The page whose printable this page serves: itself, or for an alias (Wagtail's copy that follows its
        original, with no revisions of its own) the original's."""
        page = self
        while page.alias_of_id:
            page = page.alias_of.specific
        return page

    @path("printable/", name="printable")
    def printable(self, request):
        """The stored printable of the live page, or a plain "being prepared" page while its task renders it.

        Why not render here when none is ready: rendering takes seconds (a guide's screenshots are megabytes), a
        parent on a phone would stare at a blank tab with no word of what is happening, and anyone could make the
        server render at will. The task runs seconds after a publish, so the wait is short and the message says so;
        an old printable is never served in the meantime, as it may say something the page no longer does.
        """
        if not self.live:
            raise Http404("This page is not published")
        source = self.printable_source()
        printable = GuidancePrintable.objects.current(page=source)
        if printable is None:
            printable_queue(page_id=source.pk, revision_id=source.live_revision_id, unless_queued=True)
            # 202 Accepted: the rendering is under way. Not a 503, which would be logged as a server error.
            response = TemplateResponse(request, "faq/printable_preparing.html", {"page": self}, status=202)
            response["Retry-After"] = str(PRINTABLE_RETRY_AFTER)
            add_never_cache_headers(response)
            return response
        with printable.file.open("rb") as handle:
            response = pdf_response(handle.read(), filename=f"{self.slug}.pdf")
        response["Last-Modified"] = http_date(printable.rendered_at.timestamp())
        return response


class FAQPage(GuidancePage, PrintablePageMixin, Page):
    """Frequently asked questions, edited by content editors: each answer has its own link (#anchor).

    Questions live in one StreamField, so a page of 140 questions costs the same queries as one of 14.
    """

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    questions = StreamField(
        FAQQuestionsBlock(),
        blank=True,
        help_text="Add, reorder or edit questions. A group heading gathers the questions that follow it.",
    )
    related_links = StreamField(related_link_blocks(), blank=True)
    downloads = StreamField(
        download_blocks(),
        blank=True,
        help_text="Other documents to download. The printable version of these questions is made for you on publish.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("related_links"),
        FieldPanel("downloads"),
        HelpPanel(content="The contact details at the foot of the page come from the portal settings."),
        *GuidancePage.change_panels,
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("questions", boost=2)]

    parent_page_types = GUIDANCE_PARENTS
    subpage_types = []

    class Meta:
        verbose_name = "FAQ page"

    def clean(self):
        super().clean()
        # Pages built in code (demo content, imports) get the anchors the admin form would give them.
        assign_anchors([child.value for child in self.questions if child.block_type == "question"])

    def faq_sections(self):
        """The questions in their groups, each answer's rich text expanded in a single pass."""
        sections, questions = [], []
        for child in self.questions:
            if child.block_type == "group_heading" or not sections:
                sections.append(
                    {"heading": child.value if child.block_type == "group_heading" else "", "questions": []}
                )
            if child.block_type == "question":
                item = {"question": child.value["question"], "anchor": child.value["anchor"]}
                sections[-1]["questions"].append(item)
                questions.append((item, child.value["answer"]))
        if not questions:
            return sections
        # One rewrite of all answers batches the look-ups of every linked page and document.
        sources = _ANSWER_BREAK.join(answer.source for _item, answer in questions)
        for (item, _answer), html in zip(questions, expand_db_html(sources).split(_ANSWER_BREAK), strict=True):
            item["answer_html"] = mark_safe(html)  # noqa: S308 - Wagtail's rich text, as |richtext renders it
        return sections

    def available_downloads(self) -> list:
        """The downloads whose document still exists: one deleted from the library is left out, and with none left
        the page has no "Downloads" heading over nothing."""
        return [download for download in self.downloads if download.value["document"] is not None]

    def printable_pdf(self) -> bytes:
        return faq_pdf(self)

    def get_search_snippet(self, query=""):
        """The first question whose wording or answer holds a word of the query, with its link."""
        match = self.matching_question(query)
        if match:
            return match["question"]
        return super().get_search_snippet(query)

    def matching_question(self, query):
        """The question that best fits a search: one whose wording holds a word of the query, else its answer."""
        words = [w.lower() for w in query.split() if len(w) > 2]
        if not words:
            return None
        questions = [child.value for child in self.questions if child.block_type == "question"]
        # The answer's words, not its markup: "linktype" or "embed" matched every answer holding a link or a picture.
        for text_of in (lambda q: q["question"], lambda q: strip_tags(q["answer"].source)):
            for value in questions:
                if any(word in text_of(value).lower() for word in words):
                    return value
        return None


class VisualGuidePage(GuidancePage, PrintablePageMixin, Page):
    """A step-by-step guide with a picture for every step, readable on a phone and printable as a PDF."""

    intro = models.TextField(blank=True, help_text="Who this guide is for and what it helps them do.")
    steps = StreamField([("step", GuideStepBlock())], blank=True)
    related_links = StreamField(related_link_blocks(), blank=True)

    content_panels = (
        Page.content_panels
        + [FieldPanel("intro"), FieldPanel("steps"), FieldPanel("related_links")]
        + GuidancePage.change_panels
    )
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("steps")]

    parent_page_types = GUIDANCE_PARENTS
    subpage_types = []

    class Meta:
        verbose_name = "visual guide"

    def guide_steps(self):
        """The steps, their images' renditions (as shown, and full size) fetched in one query for the whole guide."""
        steps = [child.value for child in self.steps]
        ids = {step["image"].pk for step in steps if step["image"]}
        images = (
            get_image_model()
            .objects.filter(pk__in=ids)
            .prefetch_renditions(STEP_IMAGE_SPEC, STEP_IMAGE_FULL_SPEC)
            .in_bulk()
        )
        return [
            {
                "heading": step["heading"],
                "text": step["text"],
                "alt_text": step["alt_text"],
                "image": images.get(step["image"].pk) if step["image"] else None,
            }
            for step in steps
        ]

    def sibling_guides(self):
        siblings = VisualGuidePage.objects.live().public().sibling_of(self, inclusive=False)
        previous = siblings.filter(path__lt=self.path).order_by("-path").first()
        following = siblings.filter(path__gt=self.path).order_by("path").first()
        return previous, following

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["previous_guide"], context["next_guide"] = self.sibling_guides()
        return context

    def printable_pdf(self) -> bytes:
        return guide_pdf(self)


class GuidancePrintableQuerySet(models.QuerySet):
    def of_live_revision(self, *, page):
        """The page's printable if it was rendered from the page's live revision by the current renderer (none while
        the new one is made, and no query for a page that is not live)."""
        if not page.live or page.live_revision_id is None:
            return self.none()
        return self.filter(page_id=page.pk, revision_id=page.live_revision_id, render_version=PRINTABLE_RENDER_VERSION)

    def current(self, *, page):
        """The page's printable if it was rendered from the page's live revision by the current renderer; None while
        the new one is made."""
        return self.of_live_revision(page=page).first()


class GuidancePrintable(models.Model):
    """The printable PDF of a live FAQ page or visual guide, as a task rendered it after the page's latest publish.

    One per page, replaced on each publish and deleted with the page or when it is unpublished. The file sits in the
    default storage, which no URL serves (only image renditions are public): it is read only through the page's
    ``printable/`` route, behind the page's own view restrictions. ``revision`` is the one it was rendered from; it
    is served only while that is the page's live revision, and ``render_version`` the renderer's
    (faq.printables.PRINTABLE_RENDER_VERSION), so it is never stale.
    """

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="guidance_printable")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="printables/")
    # Kept as the file is stored, so the page's link gives its size without asking the storage (S3: a request each).
    file_size = models.PositiveIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField()
    render_version = models.PositiveSmallIntegerField()

    objects = GuidancePrintableQuerySet.as_manager()

    def __str__(self):
        return f"Printable of page {self.page_id}"


class FeedbackRating(models.TextChoices):
    YES = "yes", "Yes"
    NEUTRAL = "neutral", "Neutral"
    NO = "no", "No"


class PageFeedback(models.Model):
    """One answer to "Was this page useful?": tells editors which guidance helps and what to improve.

    Anonymous: no user, session or address is stored; the session only remembers which pages it voted on.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="feedback")
    rating = models.CharField(max_length=10, choices=FeedbackRating.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set when an editor removed the comment's words (they held personal data); the vote itself stays.
    comment_redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"
        indexes = [models.Index(fields=["page", "-created_at"])]

    def __str__(self):
        return f"{self.get_rating_display()} on page {self.page_id}"
