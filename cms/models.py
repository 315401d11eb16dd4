from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtailcache.cache import WagtailCacheMixin

from cms.blocks import body_blocks


class GuidancePageMixin(WagtailCacheMixin):
    """What every guidance page shares: served from the page cache, "last updated", "Was this page useful?".

    WagtailCacheMixin marks pages behind a view restriction as private, so the cache never keeps them.
    """

    show_feedback = True

    def get_search_snippet(self, query=""):
        """A line or two for a search result: the search description, else the page's own summary."""
        return self.search_description or getattr(self, "intro", "") or ""


class HomePage(WagtailCacheMixin, Page):
    """The front door: what the portal is, who may use it, sign-in, registration and guidance."""

    intro = RichTextField(features=["bold", "italic", "link", "ul"], blank=True)
    audience_heading = models.CharField(max_length=120, default="Who can use the portal")
    audiences = StreamField(
        [("audience", blocks.CharBlock(label="Who", icon="group"))],
        blank=True,
        help_text="The kinds of organisation and professional that may register.",
    )
    guidance_heading = models.CharField(max_length=120, default="Help and guidance")
    guidance_links = StreamField(
        # Not required: deleting a linked page must never stop the home page being published (links to pages the
        # public cannot reach show to editors only).
        [("page", blocks.PageChooserBlock(label="Guidance page", required=False))],
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("audience_heading"), FieldPanel("audiences")], heading="Who can use the portal"),
        MultiFieldPanel([FieldPanel("guidance_heading"), FieldPanel("guidance_links")], heading="Guidance"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1


class HelpPage(GuidancePageMixin, Page):
    """A general guidance page: accessibility statement, privacy notice, help for SENCOs and parents.

    A help page may also be a section (e.g. "Help and guidance") that lists the pages beneath it.
    """

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    body = StreamField(body_blocks(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.HelpPage"]
    subpage_types = ["cms.HelpPage", "faq.FAQPage", "faq.VisualGuidePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section_pages"] = self.get_children().live().public().specific().order_by("path")
        return context


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The council's name, logo and contacts: shown in the header, footer, error pages and emails."""

    council_name = models.CharField(max_length=120, default="Your council")
    service_name = models.CharField(max_length=120, default="SEND Professional Portal")
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    support_email = models.EmailField(blank=True, help_text="Where professionals ask the SEND service for help.")
    ict_email = models.EmailField(blank=True, help_text="Where technical problems go.")
    phone = models.CharField(max_length=40, blank=True)
    phone_hours = models.CharField(max_length=120, blank=True, help_text="e.g. Monday to Friday, 9am to 5pm")
    feedback_url = models.URLField(blank=True, help_text="Where the phase banner's feedback link goes.")
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Every page's header and footer show these: read them with the settings, not three queries more per page.
    select_related = ["logo", "accessibility_page", "privacy_page", "contact_page"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("council_name"), FieldPanel("service_name"), FieldPanel("logo")], heading="Identity"
        ),
        MultiFieldPanel(
            [FieldPanel("support_email"), FieldPanel("ict_email"), FieldPanel("phone"), FieldPanel("phone_hours")],
            heading="Contacts",
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_url"),
                FieldPanel("accessibility_page"),
                FieldPanel("privacy_page"),
                FieldPanel("contact_page"),
            ],
            heading="Footer links",
        ),
    ]

    class Meta:
        verbose_name = "Portal settings"


class AuditEntry(models.Model):
    """Who did what, when, from which state to which, and why: one row per audited event, never edited.

    Entries hold ids, states and reasons written by staff; never passwords, codes, or details about a child.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(max_length=64, blank=True)
    to_state = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def target_reference(self) -> str:
        """The target as the log shows it: its kind and id ("Child record 42"), never its str(), which for
        casework carries a child's name. An account is named by its work address where the listing looked it up
        (``target_account_email``)."""
        if self.target_type_id is None:
            return ""
        account_email = getattr(self, "target_account_email", "")
        if account_email:
            return account_email
        return f"{capfirst(self.target_type.name)} {self.target_id}"


class EmailNotification(models.Model):
    """One email the portal promises to send, at most once, whichever worker runs it and however often.

    The row is the outbox: a worker locks it, sends, and marks it sent in one transaction, so a second run
    finds it sent and a worker that dies mid-send leaves it pending for the next run. ``key`` names the event
    (e.g. ``request-shared:12:account:7``) so a double click or a retried request queues nothing new.
    Emails say only that something is waiting: never a child's details.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.key} ({self.get_state_display()})"
