"""A help page's table: GOV.UK table markup with a caption and header cells, plain-text cells, found by search, and
printed with its header cells tagged."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cms import pdf
from cms.blocks import TableBlock
from tests.factories.cms import HelpPageFactory, published
from tests.pdfs import pdftotext, structure_types

pytestmark = pytest.mark.django_db

TIMESCALES = {
    "table_caption": "Statutory timescales",
    "table_header_choice": "both",
    "first_row_is_table_header": True,
    "first_col_is_header": True,
    "data": [
        ["Step", "Weeks"],
        ["Decision to assess", "6"],
        ["Final plan", "20"],
    ],
}


def _table_page(home_page, value):
    return published(HelpPageFactory(parent=home_page, title="Timescales", slug="timescales", body=[("table", value)]))


def _table(client, page):
    return BeautifulSoup(client.get(page.url).content, "html.parser").select_one("main table")


def test_a_table_renders_as_a_gov_uk_table_with_its_caption_and_header_cells(client, home_page):
    table = _table(client, _table_page(home_page, TIMESCALES))

    assert table["class"] == ["govuk-table"]
    assert table.caption["class"][0] == "govuk-table__caption"
    assert table.caption.get_text(strip=True) == "Statutory timescales"
    assert [(th["scope"], th.get_text(strip=True)) for th in table.select("thead th")] == [
        ("col", "Step"),
        ("col", "Weeks"),
    ]
    rows = [
        [(cell.name, cell.get("scope"), cell.get_text(strip=True)) for cell in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr")
    ]
    assert rows == [
        [("th", "row", "Decision to assess"), ("td", None, "6")],
        [("th", "row", "Final plan"), ("td", None, "20")],
    ]
    assert {cell["class"][0] for cell in table.select("tbody td")} == {"govuk-table__cell"}
    assert {cell["class"][0] for cell in table.select("th")} == {"govuk-table__header"}


def test_a_table_scrolls_in_a_region_of_its_own_named_by_its_caption(client, home_page):
    """At 320 px with wider text spacing a help page's table pushed the whole page sideways: it scrolls inside a
    region the keyboard can reach, named by its caption, as a table answer on check answers does."""
    value = {**TIMESCALES, "table_caption": "<b>Dates</b>"}
    region = _table(client, _table_page(home_page, value)).parent
    assert region.name == "div" and region["class"] == ["portal-table-scroll"]
    assert (region["role"], region["tabindex"], region["aria-label"]) == ("region", "0", "<b>Dates</b>")
    assert region.has_attr("data-scroll-region")  # cms/init.js: a tab stop only while it has something to scroll


def test_a_table_without_headers_has_only_data_cells(client, home_page):
    value = {
        **TIMESCALES,
        "table_header_choice": "neither",
        "first_row_is_table_header": False,
        "first_col_is_header": False,
    }
    table = _table(client, _table_page(home_page, value))

    assert table.select("th") == [] and table.thead is None
    assert len(table.select("tbody tr")) == 3


def test_a_cell_is_shown_as_the_text_typed_never_as_html(client, home_page):
    value = {
        **TIMESCALES,
        "table_caption": "<b>Dates</b>",
        "data": [["Step", "Weeks"], ["<script>alert(1)</script>", "<i>6</i>"]],
    }
    table = _table(client, _table_page(home_page, value))

    assert table.find("script") is None and table.find("i") is None and table.find("b") is None
    assert table.caption.get_text() == "<b>Dates</b>"
    assert [cell.get_text() for cell in table.select("tbody tr")[0].find_all(["th", "td"])] == [
        "<script>alert(1)</script>",
        "<i>6</i>",
    ]


@pytest.mark.parametrize("caption", ["", "   ", None])
def test_a_table_needs_a_caption(caption):
    block = TableBlock()

    with pytest.raises(ValidationError) as error:
        block.clean({**TIMESCALES, "table_caption": caption})

    assert "Enter a table caption" in str(error.value)


@pytest.mark.parametrize("data", [[["a"], "x"], 5, [["a"], [["nested"]]], "rows", [{"a": 1}]])
def test_a_table_whose_rows_are_not_lists_of_cells_is_refused(data):
    with pytest.raises(ValidationError) as error:
        TableBlock().clean({**TIMESCALES, "data": data})

    assert "The table's cells could not be read" in str(error.value)


def test_the_editors_table_is_accepted():
    value = {**TIMESCALES, "data": [["Step", None], ["Final plan", ""]]}

    assert TableBlock().clean(value)["data"] == value["data"]


def test_search_finds_a_help_page_by_its_table_cells_and_caption(client, home_page):
    value = {**TIMESCALES, "table_caption": "Kestrelford deadlines", "data": [["Step", "Weeks"], ["Tribunal", "8"]]}
    _table_page(home_page, value)
    call_command("update_index", verbosity=0)

    for query in ("Tribunal", "Kestrelford"):
        soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
        titles = [a.get_text(strip=True) for a in soup.select(".portal-search-results__item h3 a")]
        assert titles == ["Timescales"], query


def test_a_table_prints_with_its_caption_and_header_cells_tagged(home_page):
    page = _table_page(home_page, TIMESCALES)
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Timescales</title></head>'
        f"<body><h1>Timescales</h1>{page.body[0].render()}</body></html>"
    )

    data = pdf.html_to_pdf(html)

    types = structure_types(data)
    assert types.count("TH") == 4 and types.count("TD") == 2 and "Caption" in types
    text = pdftotext(data)
    assert "Statutory timescales" in text
    assert all(word in text for word in ("Step", "Weeks", "Decision to assess", "Final plan", "20"))


def test_the_rows_and_columns_left_empty_at_the_end_are_not_shown(client, home_page):
    value = {**TIMESCALES, "data": [["Step", "Weeks", None], ["Final plan", "20", ""], [None, " ", None]]}
    table = _table(client, _table_page(home_page, value))

    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Step", "Weeks"]
    assert [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")] == [
        ["Final plan", "20"]
    ]
