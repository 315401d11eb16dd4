"""Every admin listing of ours serves ``?export=csv`` and ``?export=xlsx`` only where it offers the download
(cms.admin_views.export_formats): the listings are walked from the URL patterns, so a new one is covered too."""

import csv
import datetime
import io

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets as registered_viewsets

from cms.services import audit_record
from faq.models import PageFeedback
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


def _export_listings():
    """(URL name, URL kwargs' names, view class, the view as its URL builds it, ours?) of every URL whose view
    answers ``?export=``. Ours: a view class of our apps (our reports), or a view of a viewset of ours (a
    ModelViewSet or SnippetViewSet whose index view is Wagtail's generic one)."""
    patterns = list(_patterns(get_resolver()))  # loading the admin URLs registers the viewsets
    our_namespaces = {viewset.url_namespace for viewset in registered_viewsets.viewsets if _ours(type(viewset))}
    for namespace, pattern in patterns:
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        ours = _ours(view_class) or (namespace or "").rpartition(":")[2] in our_namespaces
        view = view_class(**pattern.callback.view_initkwargs)
        yield name, list(pattern.pattern.converters), view_class, view, ours


@pytest.fixture
def a_row_in_every_listing(home_page, superuser, professional):
    """At least one row in each listing of ours: a listing that exports must write it with values, and one that
    does not wrote an empty line for it."""
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
    return {"page_id": faq.pk}


def _csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]


READ = {"csv": _csv_rows, "xlsx": _xlsx_rows}


def _is_attachment(response):
    return response.get("Content-Disposition", "").startswith("attachment")


def test_every_listing_of_ours_exports_only_what_it_offers(verified_admin_client, a_row_in_every_listing):
    """A listing without export columns offered no download, yet answered a hand-typed ``?export=csv`` with a file
    of one empty line per row (organisations, team accounts, child records, the review queue...). Now it shows its
    ordinary page; the audit log and the guidance reports still download with their columns."""
    listings = [listing for listing in _export_listings() if listing[4]]
    offered = {name for name, _, _, view, _ in listings if view.show_export_buttons}
    assert len(listings) > 20  # ours: each listing's page and its table alone (index_results)
    assert {"audit_log:index", "cms_due_for_review", "faq_feedback_report", "faq_feedback_page"} <= offered

    wrong = []
    for name, kwarg_names, _, view, _ in listings:
        unknown = set(kwarg_names) - set(a_row_in_every_listing)
        assert not unknown, f"{name}: say in a_row_in_every_listing what its URL's {unknown} is"
        url = reverse(name, kwargs={key: a_row_in_every_listing[key] for key in kwarg_names})
        for export_format, read in READ.items():
            response = verified_admin_client.get(url, {"export": export_format})
            if not view.show_export_buttons:
                if response.status_code != 200 or _is_attachment(response):
                    wrong.append(f"{url}?export={export_format}")
                continue
            assert response.status_code == 200 and _is_attachment(response), url
            heading, *rows = read(response)
            assert heading and all(heading), (url, heading)
            assert rows and all(any(row) for row in rows), (url, rows)

    assert wrong == [], f"{len(wrong)} exports served by listings that offer none"


def test_a_listing_without_export_columns_answers_export_with_its_page(verified_admin_client, professional):
    response = verified_admin_client.get("/admin/team_accounts/", {"export": "csv"})

    assert response.status_code == 200 and not _is_attachment(response)
    assert response["Content-Type"].startswith("text/html")
    assert professional.email in response.content.decode()
    assert "Download CSV" not in response.content.decode()


def test_wagtails_own_listings_are_left_as_wagtail_serves_them(verified_admin_client, home_page):
    """The rule is ours alone: Wagtail's reports and listings keep Wagtail's export formats, and its site history
    still downloads with its columns."""
    theirs = [(name, view) for name, _, _, view, ours in _export_listings() if not ours]

    assert {"wagtailadmin_reports:site_history", "wagtailimages:index"} <= {name for name, _ in theirs}
    assert all(view.FORMATS == SpreadsheetExportMixin.FORMATS for _, view in theirs)
    published(HelpPageFactory(parent=home_page, title="How to register"))
    heading, *rows = _csv_rows(verified_admin_client.get("/admin/reports/site-history/?export=csv"))
    assert heading and all(heading) and rows and all(any(row) for row in rows)
