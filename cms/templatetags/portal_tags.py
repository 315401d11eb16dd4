from django import template
from django.conf import settings
from django.db import DatabaseError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.templatetags.wagtailadmin_tags import formattedfield
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from cms import formats
from cms.admin_search import dashboard_search as _dashboard_search
from cms.cache import CSRF_TOKEN_PLACEHOLDER
from cms.document_accessibility import document_accessibility_finding
from cms.models import PortalSettings
from cms.navigation import guidance_navigation as _guidance_navigation
from cms.page_links import RedirectChoiceForm, live_pages_using, live_pages_using_each, pages_linking_to
from cms.rich_text import headings_under as _headings_under
from cms.site_settings import site_settings_keep, site_settings_last_read
from cms.wagtail_2fa_compat import PORTAL_PATH_PREFIX

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_settings(context):
    """The site's PortalSettings; when there is no request or no database, an unsaved copy of the values last read.

    Error pages use this, so it must never raise: a 500 page is often shown because the database failed, and it still
    says whom to contact (cms.site_settings).
    """
    request = context.get("request")
    if request is None:
        # An error page drawn without asking the database is given the values kept for its request's site.
        return context.get("kept_portal_settings") or site_settings_last_read()
    try:
        portal_settings = PortalSettings.for_request(request)
        site = Site.find_for_request(request)  # read by for_request: kept on the request, no query
    except (DatabaseError, AttributeError):
        return site_settings_last_read(request)
    site_settings_keep(portal_settings, site=site)
    return portal_settings


@register.simple_tag
def portal_site_name():
    """The portal's name as the staff admin calls it (WAGTAIL_SITE_NAME): no query, on every admin page."""
    return settings.WAGTAIL_SITE_NAME


@register.simple_tag
def csrf_token_placeholder():
    """The CSRF hidden input for a form on a cacheable page: cms.cache swaps in each browser's own token."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_TOKEN_PLACEHOLDER)


@register.simple_tag(takes_context=True)
def portal_editor_view(context):
    """Whether the page is shown to an editor (a preview, or staff on a live page), never to the public.

    Such responses are never cached (staff carry a session), so notes for editors never reach a visitor. The portal's
    pages (professionals only: staff are refused there) are never an editor's view, and read no permissions for it.
    """
    request = context.get("request")
    if request is None or request.path.startswith(PORTAL_PATH_PREFIX):
        return False
    user = getattr(request, "user", None)
    return bool(getattr(request, "is_preview", False) or (user and user.has_perm("wagtailadmin.access_admin")))


@register.inclusion_tag("cms/includes/guidance_navigation.html", takes_context=True)
def guidance_navigation(context, page, aside=False):
    """A guidance page's section navigation and related content (cms.navigation.guidance_navigation); with
    ``aside``, in a complementary landmark of their own, drawn only when there is something in it (a section's top
    page may have neither, and an empty landmark is one more stop for a screen reader, to nothing)."""
    editor_view = portal_editor_view(context)
    navigation = _guidance_navigation(page, context.get("request"), for_editors=editor_view)
    return {"nav": navigation["section"], "related": navigation["related"], "editor_view": editor_view, "aside": aside}


@register.inclusion_tag("cms/admin/includes/document_accessibility.html")
def document_accessibility_warning(document):
    """On a guidance document's edit page and in the multiple uploader's result: what its PDF lacks that screen
    readers need, or that it could not be read to check, as kept when it was saved (cms.document_accessibility), or
    nothing: it reads no file and writes nothing."""
    return {"finding": document_accessibility_finding(document) if document is not None else None}


@register.inclusion_tag("cms/admin/includes/live_pages_using.html")
def file_going_warning(file):
    """On the delete confirmation of a document or an image (Wagtail's says how often it is "referenced"): how many
    live pages use it, whose visitors will no longer see it; nothing for any other kind of row, or one no live page
    uses."""
    kinds = ((get_document_model(), "document"), (get_image_model(), "image"))
    kind = next((name for model, name in kinds if isinstance(file, model)), None)
    return {"kind": kind, "count": live_pages_using(file) if kind else 0}


@register.inclusion_tag("cms/admin/includes/live_pages_using_each.html")
def files_going_warning(items, kind):
    """On the bulk delete confirmation of documents or of images (``items`` as Wagtail's bulk action gives them):
    each selected file that live pages use, with how many, counted in one query for them all."""
    files = [item["item"] for item in items]
    counts = live_pages_using_each(files)
    return {"kind": kind, "used": [(file.title, counts[file.pk]) for file in files if file.pk in counts]}


@register.simple_tag
def page_going_context(page):
    """For the delete and unpublish confirmations: the pages linking to ``page`` and the redirect choice."""
    return {"linking_pages": pages_linking_to(page), "redirect_form": RedirectChoiceForm(page=page)}


@register.simple_tag(takes_context=True)
def back_link(context, to, text, fragment=""):
    """A page's back link to ``to`` (a URL, or a Wagtail page, linked as ``pageurl`` links it), for its breadcrumbs
    block: where GOV.UK puts it, in the width container before <main>, so the skip link passes it; in a navigation
    landmark of its own, so someone moving by landmarks finds it (axe's "region" rule found it outside every one)."""
    href = to.get_url(context.get("request")) if hasattr(to, "get_url") else to
    return format_html(
        '<nav aria-label="Back"><a href="{}{}" class="govuk-back-link">{}</a></nav>', href, fragment, text
    )


@register.filter
def govuk_time(value):
    """A time in GOV.UK style: "10:45am", "5pm", "midday" (cms.formats)."""
    return formats.govuk_time(value)


@register.filter
def govuk_date(value):
    """A day in GOV.UK style: "5 December 2026", an aware datetime's in the site's time zone (cms.formats). Every
    template writes a day with it, as Python does, never with ``date:"j F Y"``."""
    return formats.govuk_date(value)


@register.filter
def govuk_datetime(value):
    """A date and time in GOV.UK style: "1 December 2026 at 10:45am" (cms.formats)."""
    return formats.govuk_datetime(value)


@register.filter
def file_size(size):
    """A file's size as the portal writes it everywhere: "5 KB", "2.3 MB" (cms.formats)."""
    return formats.file_size(size)


@register.filter
def phone_link(number):
    """A telephone number as a link that dials it (GOV.UK: ``tel:``, the number as its text; cms.formats.phone_href)."""
    if not number:
        return ""
    return format_html('<a class="govuk-link" href="{}">{}</a>', formats.phone_href(number), number)


@register.filter
def headings_under(html, level):
    """Rich text whose highest heading sits at ``level``: one below the heading it is shown under (cms.rich_text).
    HTML already safe (``|safe``, ``|richtext``) stays safe, only its heading tags renamed; anything else is escaped."""
    if hasattr(html, "__html__"):
        return mark_safe(_headings_under(html.__html__(), int(level)))  # noqa: S308 - safe HTML, tags renamed
    return _headings_under(str(html), int(level))


@register.filter
def with_heading_levels(body):
    """(block, level) for each block of a page's body: the level a Text block's headings start at, 2 under the
    page's h1, 3 once a Heading block (an h2) has come before it."""
    pairs, level = [], 2
    for block in body:
        pairs.append((block, level))
        if block.block_type == "heading":
            level = 3
    return pairs


@register.filter
def error_for(message, field_id):
    """One message as the error summary's list: a link to the field that shows it (none when there is no message)."""
    return [(f"#{field_id}", message)] if message else []


@register.inclusion_tag("wagtailadmin/shared/formatted_field.html")
def admin_field(field):
    """Wagtail's ``formattedfield`` with the field's error messages in an element its input names: with Django 5.2 the
    input named an id (``id_password_error``) that Wagtail's markup does not carry, or, with a hint, named the hint
    alone. Its ``aria-describedby`` names the hint and the errors that are on the page, and nothing when neither is.
    Each message starts with a visually hidden "Error: ", as the GOV.UK error message does."""
    error_id = f"{field.auto_id}-error"
    described = [f"{field.id_for_label}-helptext"] if field.help_text else []
    if field.errors:
        described.append(error_id)
    rendered = field.as_widget(attrs={"aria-describedby": " ".join(described)} if described else None)
    context = formattedfield(field=field, rendered_field=rendered, error_message_id=error_id)
    context["errors"] = [format_html('<span class="w-sr-only">Error: </span>{}', error) for error in context["errors"]]
    return context


@register.filter
def elided_pages(page):
    """GOV.UK pagination's numbers: the first, the last, the current one and one either side, "…" between.

    Listing every page number rendered 500 links on a dashboard with 10,000 requests (docs/performance.md).
    """
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


@register.simple_tag(takes_context=True)
def guidance_footer_extras(context, page):
    """What other apps add under a guidance page, after its "Last updated" line (faq adds its "Was this page
    useful?" form): each ``insert_guidance_footer`` hook takes the template context and the page and returns HTML,
    or an empty string (escaped unless marked safe). So cms shows the form without knowing the app that holds it."""
    return format_html_join("", "{}", ((hook(context, page),) for hook in hooks.get_hooks("insert_guidance_footer")))


@register.simple_tag(takes_context=True)
def dashboard_search(context):
    """The admin dashboard's search box: where it sends its words and its form (cms.admin_search), or None."""
    return _dashboard_search(context["request"], context["search_form"])
