"""Every admin listing, ours and Wagtail's own, serves ``?export=csv`` and ``?export=xlsx`` only where it offers the
download (its "Download as CSV" and "Download as Excel" buttons; cms/wagtail_export_compat.py): the listings are walked
from the URL patterns, so a new one is covered too."""

import csv
import datetime
import inspect
import io

import pytest
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.views import View
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets as registered_viewsets
from wagtail.admin.viewsets.pages import PageViewSetRegistry
from wagtail.models import Page

from cms.services import audit_record
from faq.models import PageFeedback
from tests.csv_downloads import csv_lines
from tests.factories.advice_forms import advice_request, dropdown_list, need_type, team
from tests.factories.cms import HelpPageFactory, published
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db

OUR_APPS = {"cms", "faq", "advice_forms", "portal_pages"}


def _ours(cls):
    return cls.__module__.partition(".")[0] in OUR_APPS


def _patterns(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _patterns(pattern, inner)
        else:
            yield namespace, pattern


def _view_class(callback, url_kwargs):
    """The class of view that answers this URL: the callback's own, or, for the page explorer's URLs (Wagtail routes
    them by the parent page's type), that of the page viewset that the router picks for ``url_kwargs``."""
    if hasattr(callback, "view_class"):
        return callback.view_class, callback.view_initkwargs
    router = inspect.getclosurevars(inspect.unwrap(callback)).nonlocals  # under the admin's decorators
    if isinstance(router.get("self"), PageViewSetRegistry):
        if router["parent_page_id_kwarg"]:
            viewset = router["self"].get_by_parent_page_id(url_kwargs[router["parent_page_id_kwarg"]])
        else:
            natural_key = (url_kwargs[router["app_label_kwarg"]], url_kwargs[router["model_name_kwarg"]])
            viewset = router["self"].get_by_content_type_natural_key(*natural_key)
        view = getattr(viewset, f"{router['view_name']}_view")
        return view.view_class, view.view_initkwargs
    return None, None


def _export_listings(url_kwargs):
    """(URL name, URL kwargs' names, the view as its URL builds it, ours?) of every URL whose view answers
    ``?export=``. Ours: a view class of our apps (our reports), or a view of a viewset of ours (a ModelViewSet or
    SnippetViewSet whose index view is Wagtail's generic one)."""
    patterns = list(_patterns(get_resolver()))  # loading the admin URLs registers the viewsets
    our_namespaces = {viewset.url_namespace for viewset in registered_viewsets.viewsets if _ours(type(viewset))}
    for namespace, pattern in patterns:
        kwarg_names = list(pattern.pattern.converters)
        view_class, initkwargs = _view_class(pattern.callback, url_kwargs)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        ours = _ours(view_class) or (namespace or "").rpartition(":")[2] in our_namespaces
        yield name, kwarg_names, view_class(**initkwargs), ours


@pytest.fixture
def a_row_in_every_listing(home_page, superuser, professional):
    """At least one row in each listing of ours: a listing that exports must write it with values, and one that
    does not wrote an empty line for it. Returns what the listings' URLs take: the FAQ page, the home page as the
    explorer's parent, the FAQ page type for the page type usage listing."""
    faq = published(FAQPageFactory(parent=home_page, slug="faqs", questions=[question("How do I sign in?")]))
    PageFeedback.objects.create(page=faq, rating="no", comment="Too long.")
    overdue = HelpPageFactory(
        parent=home_page, title="Old help", review_by=timezone.localdate() - datetime.timedelta(1)
    )
    overdue.save_revision().publish()
    request = advice_request(professional, state="submitted", due_date=timezone.localdate() - datetime.timedelta(1))
    audit_record(action="advice_request.returned", actor=superuser, target=request, reason="Missing a report")
    dropdown_list("Settings", ["School", "Home"])
    team()
    need_type()
    return {
        "page_id": faq.pk,
        "parent_page_id": home_page.pk,
        "app_label": "faq",
        "model_name": "faqpage",
        "content_type_app_name": "faq",
        "content_type_model_name": "faqpage",
    }


def _csv_rows(response):
    return csv_lines(response)


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]


READ = {"csv": _csv_rows, "xlsx": _xlsx_rows}


def _is_attachment(response):
    return response.get("Content-Disposition", "").startswith("attachment")


def _offers(view):
    """Whether the listing shows its "Download as CSV" and "Download as Excel" buttons (Wagtail's
    ``show_export_buttons``)."""
    return bool(view.show_export_buttons)


@pytest.mark.parametrize("signed_in", ["verified_admin_client", "content_editor_client"])
def test_every_admin_listing_exports_only_what_it_offers(request, signed_in, a_row_in_every_listing):
    """A listing without export columns offered no download, yet answered a hand-typed ``?export=csv`` with a file
    of one empty line per row: ours (organisations, team accounts, child records...) until our own mixin, Wagtail's
    (images, documents, sites, collections, workflows, tasks, page types usage, the page explorer) until now. Now
    every one answers as it does without ``?export=``: its page, or its refusal to this role. A listing that offers
    the download serves it, with its columns, to whoever may see the listing, and shows its button."""
    client = request.getfixturevalue(signed_in)
    listings = list(_export_listings(a_row_in_every_listing))
    names = {name for name, *_ in listings}
    assert len([listing for listing in listings if listing[3]]) > 20  # ours: each page and its table alone
    assert {"wagtailimages:index", "wagtailadmin_explore", "wagtailadmin_explore_root", "wagtailsites:index"} <= names
    offered = {name for name, _, view, _ in listings if _offers(view)}
    assert {"audit_log:index", "cms_due_for_review", "faq_feedback_page", "wagtailadmin_reports:aging_pages"} <= offered
    assert not {"wagtailimages:index", "wagtaildocs:index", "wagtailadmin_explore"} & offered

    wrong, served = [], []
    for name, kwarg_names, view, ours in listings:
        unknown = set(kwarg_names) - set(a_row_in_every_listing)
        assert not unknown, f"{name}: say in a_row_in_every_listing what its URL's {unknown} is"
        url = reverse(name, kwargs={key: a_row_in_every_listing[key] for key in kwarg_names})
        plain = client.get(url)
        if plain.status_code == 200 and not url.endswith("/results/"):
            assert ("Download as CSV" in plain.content.decode()) == _offers(view), url
        for export_format, read in READ.items():
            response = client.get(url, {"export": export_format})
            if not (_offers(view) and plain.status_code == 200):
                if response.status_code != plain.status_code or _is_attachment(response):
                    wrong.append(f"{url}?export={export_format}")
                continue
            assert response.status_code == 200 and _is_attachment(response), url
            served.append(url)
            heading, *rows = read(response)
            assert heading and all(heading), (url, heading)
            if ours and signed_in == "verified_admin_client":
                assert rows and all(any(row) for row in rows), (url, rows)

    assert wrong == [], f"{len(wrong)} exports served by listings that offer none"
    assert served  # each role downloads at least one report


NON_ASCII = "St Ælfric's"


def test_every_csv_download_is_utf8_with_a_byte_order_mark_so_excel_reads_its_names(
    verified_admin_client, a_row_in_every_listing, superuser
):
    """Sent as ``text/csv`` with no charset and no byte order mark, a download opened in Excel by double-click showed
    "St Ælfric's" as "St Ã†lfric's". Every CSV download, ours and Wagtail's, now says UTF-8 and starts with the mark;
    each of ours gives back the name it was given (an overdue page's title, a page's feedback, an audit entry's
    reason)."""
    faq = Page.objects.get(pk=a_row_in_every_listing["page_id"]).specific
    faq.title = f"{NON_ASCII} questions"
    faq.save_revision().publish()
    PageFeedback.objects.create(page=faq, rating="no", comment=f"{NON_ASCII} is spelt wrongly.")
    overdue = HelpPageFactory(
        parent=faq.get_parent(), title=f"{NON_ASCII} help", review_by=timezone.localdate() - datetime.timedelta(1)
    )
    overdue.save_revision().publish()
    audit_record(action="account.signed_in", actor=superuser, target=superuser, reason=f"From {NON_ASCII}")

    served = []
    for name, kwarg_names, view, ours in _export_listings(a_row_in_every_listing):
        if not _offers(view):
            continue
        url = reverse(name, kwargs={key: a_row_in_every_listing[key] for key in kwarg_names})
        response = verified_admin_client.get(url, {"export": "csv"})
        assert response.status_code == 200 and _is_attachment(response), url
        body = b"".join(response.streaming_content)
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert body.startswith(b"\xef\xbb\xbf") and not body.startswith(b"\xef\xbb\xbf" * 2), url
        heading = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert heading[0] and not heading[0].startswith("\ufeff"), url
        if ours:
            assert NON_ASCII in body.decode("utf-8-sig"), url
        served.append((url, ours))

    assert len([url for url, ours in served if ours]) >= 8  # each report of ours and its table alone
    assert len([url for url, ours in served if not ours]) >= 6  # Wagtail's reports, redirects


def test_wagtail_decides_an_export_in_setup_and_the_patch_adds_the_offer():
    """cms/wagtail_export_compat.py keeps what Wagtail 7.4's ``SpreadsheetExportMixin.setup`` decided from the address
    (``self.is_export = ...``) and answers ``is_export`` only where the listing offers the download. This fails when
    Wagtail decides an export elsewhere, and the patch would no longer see it."""

    class Listing(SpreadsheetExportMixin, View):
        pass

    bare, offering = Listing(), Listing(list_export=["pk"])
    for view in (bare, offering):
        view.setup(RequestFactory().get("/", {"export": "csv"}))

    assert bare.export_requested and offering.export_requested
    assert (bare.is_export, offering.is_export) == (False, True)
    offering.setup(RequestFactory().get("/", {"export": "pdf"}))
    assert not offering.is_export


def test_a_listing_without_export_columns_answers_export_with_its_page(verified_admin_client, professional):
    response = verified_admin_client.get("/admin/team_accounts/", {"export": "csv"})

    assert response.status_code == 200 and not _is_attachment(response)
    assert response["Content-Type"].startswith("text/html")
    assert professional.email in response.content.decode()
    assert "Download as CSV" not in response.content.decode()


def test_wagtails_page_explorer_answers_export_with_its_page(verified_admin_client, home_page):
    """Wagtail's page explorer offers no download, yet answered ``?export=csv`` with a file of one empty line per
    page; now it is the explorer, with the page in it."""
    published(HelpPageFactory(parent=home_page, title="How to register"))

    response = verified_admin_client.get(f"/admin/pages/{home_page.pk}/", {"export": "csv"})

    assert response.status_code == 200 and not _is_attachment(response)
    assert response["Content-Type"].startswith("text/html")
    assert "How to register" in response.content.decode()


def test_wagtails_locked_pages_report_still_downloads(verified_admin_client, superuser, home_page):
    """A Wagtail report that offers its download keeps it: the locked pages report, in CSV and in Excel."""
    page = published(HelpPageFactory(parent=home_page, title="How to register"))
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=superuser, locked_at=timezone.now())

    page_html = verified_admin_client.get("/admin/reports/locked/").content.decode()
    assert "Download as CSV" in page_html and "Download as Excel" in page_html
    assert "Download XLSX" not in page_html and "Download CSV" not in page_html  # Wagtail's words, renamed
    for export_format, read in READ.items():
        response = verified_admin_client.get("/admin/reports/locked/", {"export": export_format})
        assert _is_attachment(response)
        heading, *rows = read(response)
        assert "Title" in heading and [row[heading.index("Title")] for row in rows] == ["How to register"]
