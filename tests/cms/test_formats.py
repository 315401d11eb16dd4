"""Days and times in GOV.UK style: "5 December 2026", "10:45am", never "05 December 2026", "10:45a.m." or "10:45"."""

import datetime
import re

import pytest
import time_machine
from django.template import Context, Template

from advice_forms.fields import format_file
from advice_forms.models import Document
from cms.formats import file_size, govuk_date, govuk_datetime, govuk_time, govuk_wait


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (10, 45, "10:45am"),
        (17, 0, "5pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (0, 5, "12:05am"),
        (12, 30, "12:30pm"),
    ],
)
def test_times_read_the_gov_uk_way(hour, minute, expected):
    assert govuk_time(datetime.time(hour, minute)) == expected


def test_an_aware_datetime_is_shown_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 7, 1, 9, 45, tzinfo=datetime.UTC)  # 10:45am in London (BST)

    assert govuk_datetime(summer) == "1 July 2026 at 10:45am"


def test_a_day_reads_the_gov_uk_way_without_a_leading_zero(settings):
    settings.TIME_ZONE = "Europe/London"
    late_on_the_4th = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))

    assert govuk_date(datetime.date(2026, 12, 5)) == "5 December 2026"
    assert govuk_date(datetime.datetime(2026, 7, 1, 9, 45)) == "1 July 2026"
    assert govuk_date(late_on_the_4th) == "5 December 2026"  # 4:30am on the 5th in London
    assert govuk_date(None) == "" and govuk_date("") == ""
    assert govuk_datetime(datetime.datetime(2026, 12, 5, 9, 41)) == "5 December 2026 at 9:41am"


def test_the_filters_give_the_same_words_in_templates():
    moment = datetime.datetime(2026, 12, 1, 18, 28)
    html = Template("{% load portal_tags %}{{ t|govuk_time }} | {{ t|govuk_datetime }} | {{ none|govuk_time }}").render(
        Context({"t": moment, "none": None})
    )

    assert html == "6:28pm | 1 December 2026 at 6:28pm | "


def test_the_day_filter_writes_what_djangos_date_filter_wrote(settings):
    """Templates wrote a day with ``date:"j F Y"``, Python with govuk_date: the filter gives the same words for a
    day, for an aware datetime (its day in London: 23:30 UTC in July is half past midnight the next day in British
    Summer Time), a naive one, and nothing."""
    settings.TIME_ZONE = "Europe/London"
    values = {
        "day": datetime.date(2026, 12, 5),
        "late": datetime.datetime(2026, 7, 15, 23, 30, tzinfo=datetime.UTC),
        "winter": datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC),
        "naive": datetime.datetime(2026, 3, 1, 0, 15),
        "none": None,
        "empty": "",
    }
    ours = Template("{% load portal_tags %}" + " | ".join(f"{{{{ {name}|govuk_date }}}}" for name in values)).render(
        Context(values)
    )
    djangos = Template(" | ".join(f'{{{{ {name}|date:"j F Y" }}}}' for name in values)).render(Context(values))

    assert ours == "5 December 2026 | 16 July 2026 | 31 December 2026 | 1 March 2026 |  | "
    assert ours == djangos


def test_no_template_of_ours_writes_a_day_itself(settings):
    """One place writes a day: cms.formats.govuk_date, in templates through the govuk_date filter."""
    written = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for app in ("cms", "faq", "advice_forms", "portal_pages")
        for path in sorted((settings.BASE_DIR / app / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"""\|date:["']j F Y["']""", line)
    ]

    assert written == []


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.2, "1 second"),
        (1, "1 second"),
        (2, "2 seconds"),
        (60, "60 seconds"),
        (61, "61 seconds"),  # said "2 minutes"
        (89, "89 seconds"),
        (90, "2 minutes"),
        (61 * 60, "61 minutes"),  # said "2 hours"
        (90 * 60, "90 minutes"),
        (90 * 60 + 1, "2 hours"),
        (47 * 3600 + 1, "48 hours"),
        (48 * 3600, "48 hours"),
        (48 * 3600 + 1, "3 days"),
        (146 * 3600, "7 days"),  # said "146 hours"
    ],
)
def test_a_wait_is_said_in_words_rounded_up_within_its_unit(seconds, expected):
    now = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        assert govuk_wait(now + datetime.timedelta(seconds=seconds)) == expected


def test_a_time_reads_to_the_minute_in_the_sites_time_zone_in_summer_and_winter(settings):
    """A filed submission's description and the share form's "published ..." write the time this way, as every other
    admin page does (they wrote "14:04" once)."""
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 7, 5, 13, 4, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 25, 9, 30, tzinfo=datetime.UTC)

    assert [govuk_datetime(summer), govuk_datetime(winter)] == ["5 July 2026 at 2:04pm", "25 December 2026 at 9:30am"]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "1 KB"),
        (5 * 1024, "5 KB"),
        (1023 * 1024, "1023 KB"),
        (1024 * 1024 - 100, "1.0 MB"),
        (2_411_725, "2.3 MB"),
        (2 * 1024 * 1024, "2 MB"),
    ],
)
def test_a_files_size_reads_the_same_for_an_uploaded_answer_and_a_document(size, expected):
    """One rule for both: a file answer's words on check answers and the documents lists' size (they differed just
    under 1 MB: "1024 KB" beside "1.0 MB")."""
    assert file_size(size) == expected
    assert format_file({"name": "plan.pdf", "size": size}) == f"plan.pdf ({expected})"
    assert Document(size=size).size_display == expected
