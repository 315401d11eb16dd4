"""Django's limit on the number of fields a request may post, raised for the few admin views that need more.

A form definition is one StreamField: each question posts 11-14 fields and each of its own options 6, so a real
council's ERSA (about 250 questions) posts several thousand fields, and Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
(1,000) refused it with a bare 400 once the editor held about 65 questions, losing the designer's typing.
Django reads that one setting wherever a request body is parsed, so it cannot be raised per view: settings raise it
to PORTAL_LARGE_FORM_MAX_FIELDS for everyone, and this middleware puts Django's own limit
(PORTAL_MAX_FIELDS, 1,000) back on every view not named in PORTAL_LARGE_FORM_VIEWS. The named views are staff-only
admin screens behind a password and a second factor, which is what makes the larger limit safe there.

A post over the larger limit to one of those views gets a page that says what happened and that nothing was saved,
instead of the bare 400 (the edit page's own script refuses such a save before it is sent, so nothing typed leaves
the page: cms/static/cms/field_limit.js).
"""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.template.response import TemplateResponse

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _count(querydict):
    return sum(len(values) for _name, values in querydict.lists())


def field_count_check(request, post):
    """Refuse a parsed body holding more fields than this request may post (see FieldLimitMiddleware)."""
    limit = getattr(request, "portal_max_fields", None)
    if limit is not None and _count(post) > limit:
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded PORTAL_MAX_FIELDS (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)."
        )


def is_large_form_view(request):
    """A signed-in user asking for one of PORTAL_LARGE_FORM_VIEWS (the views check their own permissions)."""
    match = request.resolver_match
    user = getattr(request, "user", None)
    return bool(match and user and user.is_authenticated) and match.view_name in settings.PORTAL_LARGE_FORM_VIEWS


class FieldLimitMiddleware:
    """Django's field limit everywhere except the views named in PORTAL_LARGE_FORM_VIEWS (see the module's doc).

    Runs in process_view, before CsrfViewMiddleware's reads the body, so it knows which view is asked for. A
    multipart body is counted when it is parsed, not here: an upload view first installs its own checks on the
    parsing (advice_forms.uploads.checked_upload_parsing, which calls field_count_check).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_large_form_view(request):
            try:
                request.POST  # noqa: B018  (parsed here, under the larger limit, to answer an overflow kindly)
            except TooManyFieldsSent:
                return too_many_fields(request)
            return None
        request.portal_max_fields = settings.PORTAL_MAX_FIELDS
        if request.GET and _count(request.GET) > settings.PORTAL_MAX_FIELDS:
            raise TooManyFieldsSent("The query string holds more fields than PORTAL_MAX_FIELDS.")
        if request.method != "POST":
            return None
        if request.content_type == "multipart/form-data":
            parse = request.parse_file_upload

            def parse_and_count(meta, post_data):
                post, files = parse(meta, post_data)
                field_count_check(request, post)
                return post, files

            request.parse_file_upload = parse_and_count
        elif request.content_type == "application/x-www-form-urlencoded":
            field_count_check(request, request.POST)
        return None


def too_many_fields(request):
    """The answer to a save over even the raised limit: what happened, and that the page still holds the typing."""
    return TemplateResponse(
        request,
        "cms/admin/too_many_fields.html",
        {"limit": settings.PORTAL_LARGE_FORM_MAX_FIELDS},
        status=413,
    )
