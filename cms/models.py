from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks, hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index
from wagtailcache.cache import WagtailCacheMixin

from cms.blocks import body_blocks
from cms.choices import Audience, ChangeKind
from cms.form_fields import OneLineCharField, PhoneCharField
from cms.formats import govuk_datetime
from cms.page_forms import GuidancePageForm


class GuidancePageTag(TaggedItemBase):
    """A topic of a guidance page ("signing in", "parents"): pages that share one are each other's related content."""

    content_object = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="guidance_tagged_items")


class GuidancePageMixin(WagtailCacheMixin):
    """What every guidance page does: served from the page cache, "Was this page useful?". No fields: migrations
    name it as a base of the page models, so fields here would appear in every historical state.

    WagtailCacheMixin marks pages behind a view restriction as private, so the cache never keeps them.
    """

    show_feedback = True

    def get_view_restrictions(self):
        """Read once per page object: on every render Wagtail's serve hook asks, and then the page cache (two queries
        each). The one queryset is returned again, so the second caller reads its results without the database."""
        if "_view_restrictions" not in self.__dict__:
            self._view_restrictions = super().get_view_restrictions()
        return self._view_restrictions

    def get_search_snippet(self, query=""):
        """A line or two for a search result: the search description, else the page's own summary."""
        return self.search_description or getattr(self, "intro", "") or ""


class GuidancePage(GuidancePageMixin, models.Model):
    """What every guidance page has: an owner and a review date, "Last updated" and a public change history that
    move only for major changes, topics (tags) for related content, and links hidden from it.

    The owner is a team (a Django group, e.g. "Content editor") or one staff member: a team outlasts the people in
    it, a person suits a page only one expert can check. Reminders go to the person, or to every active member of
    the team.
    """

    owner_team = models.ForeignKey(
        "auth.Group",
        verbose_name="owning team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The team that keeps this page true. Choose a team or a person.",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="Or one member of staff. With neither, you become the owner when you save.",
    )
    review_by = models.DateField(
        "review by",
        null=True,
        blank=True,
        help_text="When the owner next checks that the page is still true. Blank: 6 months after it is published.",
    )
    change_kind = models.CharField("this change", max_length=8, choices=ChangeKind.choices, default=ChangeKind.MINOR)
    change_note = models.TextField(
        "change note",
        blank=True,
        max_length=300,
        help_text="For a major change: what changed, in a sentence the public reads in the page's change history.",
    )
    # When the last major change (or the first publication) went live: "Last updated" on the page.
    last_major_update_at = models.DateTimeField(null=True, blank=True, editable=False)
    audience = models.CharField(
        "who is this page for?",
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=(
            "A page for parents or professionals lists as related content only pages for the same readers or for "
            "everyone. A page for everyone lists pages for any readers."
        ),
    )
    tags = ClusterTaggableManager(
        through=GuidancePageTag, blank=True, help_text="Topics: pages that share one list each other as related."
    )
    hidden_related = StreamField(
        [("page", blocks.PageChooserBlock(label="Page"))],
        blank=True,
        verbose_name="hide from related content",
        help_text="Pages that the section or shared topics would list as related, but should not be.",
    )

    show_in_menus_default = True
    base_form_class = GuidancePageForm
    review_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("owner_team"), FieldPanel("owner_person")]), FieldPanel("review_by")],
            heading="Owner and review",
        )
    ]
    change_panels = [
        MultiFieldPanel(
            [FieldPanel("change_kind", widget=forms.RadioSelect), FieldPanel("change_note")],
            heading="Is this a major change?",
        )
    ]
    navigation_panels = [
        MultiFieldPanel(
            [FieldPanel("audience", widget=forms.RadioSelect), FieldPanel("tags"), FieldPanel("hidden_related")],
            heading="Related content",
        ),
    ]
    # Wagtail's "For search engines" in plain words: "Slug", "Title tag" and "Meta description" said nothing to an
    # editor, and the slug's hint ("The name of the page as it will appear in URLs") little more.
    search_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "slug",
                    heading="Page's web address",
                    help_text="The end of the page's address, like school-transport in "
                    "example.org/help/school-transport/. Leave it empty to make it from the title (a page already "
                    "published keeps its address). Changing it breaks links people have saved.",
                ),
                FieldPanel(
                    "seo_title",
                    heading="Title in search results",
                    help_text="Leave it empty to use the page's title. Search engines show it as the link to the page, "
                    "and browsers on the page's tab.",
                ),
                FieldPanel(
                    "search_description",
                    heading="Summary in search results",
                    help_text="One or two sentences saying what the page is for. Search engines may show it under the "
                    "page's title.",
                ),
            ],
            heading="For search engines",
        )
    ]
    settings_panels = Page.settings_panels + review_panels
    promote_panels = search_panels + Page.promote_panels[1:] + navigation_panels

    class Meta:
        abstract = True

    def with_content_json(self, content):
        """A revision as a page, keeping what belongs to the page rather than to one revision: when it last changed
        in a major way, and the review date set at its first publication (see guidance_page_published). Read from
        the database, as this page object may be older than a publish."""
        page = super().with_content_json(content)
        kept = type(self).objects.filter(pk=self.pk).values("last_major_update_at", "review_by").first()
        if kept:
            page.last_major_update_at = kept["last_major_update_at"]
            page.review_by = page.review_by or kept["review_by"]
        return page

    @property
    def last_updated_at(self):
        return self.last_major_update_at or self.first_published_at

    def is_due_for_review(self, today=None) -> bool:
        return self.review_by is not None and self.review_by < (today or timezone.localdate())

    def change_history(self):
        return self.change_notes.all() if self.pk else []


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


class HelpPage(GuidancePage, Page):  # noqa: DJ008 - Page gives __str__ (the title)
    """A general guidance page: accessibility statement, privacy notice, help for SENCOs and parents.

    A help page may also be a section (e.g. "Help and guidance") that lists the pages beneath it.
    """

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    body = StreamField(body_blocks(), blank=True)
    related_links = StreamField(
        [("page", blocks.PageChooserBlock(label="Page on this site"))],
        blank=True,
        help_text="Shown first under “Related content”, before the pages found by section and topic.",
    )

    content_panels = (
        Page.content_panels
        + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("related_links")]
        + GuidancePage.change_panels
    )
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.HelpPage"]
    subpage_types = ["cms.HelpPage", "faq.FAQPage", "faq.VisualGuidePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section_pages"] = self.get_children().live().public().in_menu().specific().order_by("path")
        return context


# Wagtail's FieldPanel takes a permission that no group can hold for a field only superusers may change (a superuser
# has every permission, anyone else never this one).
SUPERUSER_ONLY = "superuser"


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The council's name, logo and contacts: shown in the header, footer, error pages and emails."""

    # Both go into every email's words and some emails' subjects: a line break there would make each such email fail
    # to send (a forged header), so they are one line (a pasted line break folds into a space; any other character
    # that cannot be seen is refused beside the field).
    council_name = OneLineCharField(max_length=120, default="Your council")
    service_name = OneLineCharField(max_length=120, default="SEND Professional Portal")
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Each says where it shows, so an editor knows what a change reaches (a page's "Contact details" block shows the
    # four of them: the contact page's number is this one, not one typed into its body).
    support_email = models.EmailField(
        blank=True,
        help_text=(
            "Where professionals ask the SEND service for help. Shown in the “Contact details” block (the contact "
            "page), under each FAQ page’s “Contact” heading, on error pages and when a search finds nothing, and "
            "given in the emails the portal sends."
        ),
    )
    ict_email = models.EmailField(
        blank=True,
        help_text=(
            "Where technical problems go. Shown in the “Contact details” block (the contact page) and under each "
            "FAQ page’s “Contact” heading."
        ),
    )
    # Shown in emails too: held to the portal's own phone rule (what its phone fields refuse is refused beside the
    # field), and the hours are one line, as the names above are.
    phone = PhoneCharField(
        max_length=40,
        blank=True,
        help_text=(
            "The SEND service’s phone number. Shown in the “Contact details” block (the contact page), under each "
            "FAQ page’s “Contact” heading, on error pages, when a search finds nothing and in some emails."
        ),
    )
    phone_hours = OneLineCharField(
        max_length=120,
        blank=True,
        help_text=(
            "When the phone is answered, e.g. Monday to Friday, 9am to 5pm. Shown beside the phone number in the "
            "“Contact details” block, on FAQ pages and on error pages."
        ),
    )
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
    help_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The help and guidance section: the header's menu links to it as “Help and guidance” on every page.",
    )
    parents_guide_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The main guide for parents and carers (e.g. “Asking for an EHC needs assessment”): a search that finds "
            "nothing links to it."
        ),
    )
    # Every page's header and footer show these: read them with the settings, not four queries more per page.
    select_related = ["logo", "accessibility_page", "privacy_page", "contact_page", "help_page", "parents_guide_page"]

    # A save is live at once, with no approval. Content editors and guidance approvers keep the phone number and its
    # hours up to date (portal_pages/roles.py); every other field is the portal's identity, where its security emails
    # tell people to report a stolen account (support_email), or where its links lead, so superusers alone change
    # them: Wagtail leaves such a field out of anyone else's form, so a crafted post of it is ignored too.
    panels = [
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("phone_hours")],
            heading="Phone",
            help_text=(
                "Content editors, guidance approvers and superusers can change the phone number and its hours. "
                "The council’s name, logo, email addresses and links are changed by a superuser only, as the "
                "emails the portal sends rely on them (for example, where to report an account someone else has "
                "taken over)."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("council_name", permission=SUPERUSER_ONLY),
                FieldPanel("service_name", permission=SUPERUSER_ONLY),
                FieldPanel("logo", permission=SUPERUSER_ONLY),
            ],
            heading="Identity",
        ),
        MultiFieldPanel(
            [
                FieldPanel("support_email", permission=SUPERUSER_ONLY),
                FieldPanel("ict_email", permission=SUPERUSER_ONLY),
            ],
            heading="Email addresses",
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_url", permission=SUPERUSER_ONLY),
                FieldPanel("accessibility_page", permission=SUPERUSER_ONLY),
                FieldPanel("privacy_page", permission=SUPERUSER_ONLY),
                FieldPanel("contact_page", permission=SUPERUSER_ONLY),
                FieldPanel("help_page", permission=SUPERUSER_ONLY),
                FieldPanel("parents_guide_page", permission=SUPERUSER_ONLY),
            ],
            heading="Header and footer links",
        ),
    ]

    class Meta:
        verbose_name = "Portal settings"

    def help_page_view_restrictions(self) -> list:
        """The view restrictions of the help page and of the pages above it (as Wagtail's ``get_view_restrictions``,
        in one query, not two), read once and kept on the page object, so with the settings in the shared page cache
        too."""
        page = self.help_page
        if page is None:
            return []
        if not hasattr(page, "_kept_view_restrictions"):
            paths = [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]
            restrictions = PageViewRestriction.objects.filter(page__path__in=paths)
            page._kept_view_restrictions = list(restrictions)
        return page._kept_view_restrictions

    @classmethod
    def for_request(cls, request):
        """The site's settings, kept in the shared page cache between requests (every page's header and footer read
        them: a query each render), as the site's route is (cms/routing.py): saving them, a publish, a move or a
        deletion of a page empties it at once for every app server (cms/apps.py). The logo is read by its id when
        there is one, never kept: an image edited in the library does not empty the page cache. With a page cache
        in each process's own memory, emptied only in the process that made the change, they are read every time."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name) or not settings.PORTAL_PAGE_CACHE_URL:
            return super().for_request(request)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        cache = caches["pagecache"]
        key = f"portal-settings:{site.pk}"
        found = cache.get(key)
        if found is None:
            found = cls.for_site(site)
            found._state.fields_cache.pop("logo", None)
            found.help_page_view_restrictions()  # kept with them: a change to one empties the cache (cms/apps.py)
            cache.set(key, found)
        found._request = request
        setattr(request, attr_name, found)
        return found


class PageChangeNote(models.Model):
    """One entry of a guidance page's public change history: its first publication, then each major change."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="change_notes")
    # One note per published revision, so publishing the same revision twice adds no second entry.
    revision = models.OneToOneField(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.published_at:%Y-%m-%d}: {self.note}"


class DocumentAccessibility(models.Model):
    """What a guidance PDF lacks that screen readers need (codes of cms.pdf_checks.ACCESSIBILITY_GAPS), found once
    for the file a document holds (by its hash), so the document's pages tell the editor without reading it again."""

    document = models.OneToOneField(
        get_document_model_string(), primary_key=True, on_delete=models.CASCADE, related_name="accessibility"
    )
    file_hash = models.CharField(max_length=40)
    gaps = models.JSONField(default=list)
    # False for a file that could not be read as a PDF (damaged, or one that does not open without its password, its
    # gaps then cms.pdf_checks.PASSWORD_PROTECTED): its gaps are not known, and the editor is told it could not be
    # checked, and why, rather than nothing.
    readable = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "document accessibility"

    def __str__(self):
        if not self.readable:
            return f"Document {self.document_id}: could not be read"
        return f"Document {self.document_id}: {', '.join(self.gaps) or 'nothing missing'}"


# Each app that writes audit entries registers its list of events here: a (heading, TextChoices) pair, so the log
# filters by them and shows each entry's event in words ("Signed in"), not its stored code ("account.signed_in").
AUDIT_EVENTS_HOOK = "register_audit_events"
# Each app whose rows move between states registers them for the audit log here: (model, TextChoices) pairs, so an
# entry's from and to states read as that app's labels ("Awaiting approval (request to join)"), not stored codes.
AUDIT_STATES_HOOK = "register_audit_states"


def log_entry_label_by_id(sender, instance, **kwargs):
    """Before Wagtail's log writes an entry (``pre_save`` of ``ModelLogEntry``) about a model marked
    ``wagtail_log_label_by_id``, label it by kind and id ("Child record 12"), as the audit log names its targets
    (``AuditEntry.target_reference``): Wagtail labels it ``str(instance)``, which for casework names the child, and
    the site history shows and downloads the label, and keeps it after the row is deleted. Set here, for every
    ``log()`` call, so none can forget it."""
    model = instance.content_type.model_class() if instance.content_type_id else None
    if getattr(model, "wagtail_log_label_by_id", False):
        instance.label = f"{capfirst(model._meta.verbose_name)} {instance.object_id}"


def audit_event_labels() -> dict:
    """Each registered event's words ("Signed in"), by the value entries store ("account.signed_in")."""
    labels = {}
    for register in hooks.get_hooks(AUDIT_EVENTS_HOOK):
        labels.update(register()[1].choices)
    return labels


def audit_state_labels() -> dict:
    """Each registered state's label by ``(model, state)``, the first app's where two name one: what
    ``audit_state_label`` reads, for a list that labels many entries from one copy."""
    labels = {}
    for register in hooks.get_hooks(AUDIT_STATES_HOOK):
        for model, states in register():
            for state, label in states.choices:
                labels.setdefault((model, state), label)
    return labels


def audit_state_label(model, state: str) -> str:
    """The label an app gives ``state`` of a ``model`` row, or the state as stored when no list names it."""
    return audit_state_labels().get((model, state), state)


def audit_target_reference(target_type, target_id: str, account_email: str = "", group_name: str = "") -> str:
    """A target as the log shows it (``AuditEntry.target_reference``), from its content type (or None), its id and,
    for an account, its work address where known; for a role group, its name as the entry's data holds it (the name
    it had then, kept after the group is deleted)."""
    if target_type is None:
        return ""
    if account_email:
        return account_email
    if group_name and target_type.model_class() is Group:
        return group_name
    if target_type.model_class() is get_user_model():
        return f"Account {target_id}"
    return f"{capfirst(target_type.name)} {target_id}"


# An audit entry's words for no person (the portal's own work) and for no request's address.
BY_THE_PORTAL = "The portal"
NOT_RECORDED = "Not recorded"


def audit_ip_address_shown(ip_address: str | None) -> str:
    """An entry's address as its page, the log's list and its downloads show it: "Not recorded" where the entry was
    written with no request (a scheduled task, a command)."""
    return ip_address or NOT_RECORDED


class AuditEntry(models.Model):
    """Who did what, when, from which state to which, and why: one row per audited event, never edited.

    Entries hold ids and states, the portal's own reasons (an account made dormant) and a guidance editor's; never
    passwords, codes, anything written about a child (a caseworker's reason for a return or a deletion stays on the
    casework row) or words a person typed about an account (a refusal's reason stays on the request to join; a
    device is named by its kind and id, not by the name its owner gave it). Refusals audited before the reason moved
    to the request to join still hold it where that request is gone or says otherwise: the only copy of those words
    (portal_pages migration 0014).
    """

    # Out of Wagtail's reference index: an entry is no "usage" of its actor or target, and indexing it cost each
    # audited write four queries and each Usage page of a child record or an account a query per entry.
    wagtail_reference_index_ignore = True

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # An account that has acted keeps its entries' "who": it cannot be deleted, only switched off (the admin's delete
    # views say so: cms.admin_views.kept_by). Null for the portal's own acts and for visitors.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
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
        """What happened and when, in words ("Signed in, 5 December 2026 at 9:41am"): the entry's page is headed by
        it. The event's code stays on the page, under its words."""
        return f"{self.action_label}, {govuk_datetime(self.created_at)}"

    @property
    def who(self) -> str:
        """Who did it: the person signed in, named as every page names them (the user model's ``person_name``), or
        "The portal" for an entry of a scheduled task or a command."""
        return self.actor.person_name if self.actor_id else BY_THE_PORTAL

    @property
    def ip_address_shown(self) -> str:
        """The address the request came from, or "Not recorded" for an entry written with no request."""
        return audit_ip_address_shown(self.ip_address)

    @cached_property
    def action_label(self) -> str:
        """The event in its app's words, or as stored when no app lists it (an event since renamed). Working the
        words out asks every app for its events: a list of entries sets this on each from its one copy."""
        return audit_event_labels().get(self.action, self.action)

    @property
    def target_reference(self) -> str:
        """The target as the log shows it: its kind and id ("Child record 42"), never its str(), which for
        casework carries a child's name. An account is named by its work address where the listing looked it up
        (``target_account_email``); a deleted one, whose address left with it, "Account 12", as Wagtail's history
        of it says, not by the user model's name ("User 12")."""
        return audit_target_reference(
            self.target_type if self.target_type_id else None,
            self.target_id,
            getattr(self, "target_account_email", ""),
            self.data.get("group", "") if isinstance(self.data, dict) else "",
        )

    def state_label(self, state: str) -> str:
        """A state of this entry's target in its app's words; the admin's listing and inspect page show these."""
        return audit_state_label(self.target_type.model_class() if self.target_type_id else None, state)

    def get_from_state_display(self) -> str:
        return self.state_label(self.from_state)

    def get_to_state_display(self) -> str:
        return self.state_label(self.to_state)


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
        # Still not sent PORTAL_EMAIL_GIVE_UP_HOURS after it was made: no longer tried, its body blanked.
        GIVEN_UP = "given_up", "Given up"

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
