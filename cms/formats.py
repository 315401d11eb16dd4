"""Dates and times in GOV.UK style (the GOV.UK style guide, "Dates" and "Times"): "5 December 2026", "10:45am", "5pm",
"midday", "midnight"; how long to wait, in words: "2 seconds"; words that end a sentence, with one full stop; a
file's size: "5 KB", "2.3 MB"; and the link that dials a telephone number: "tel:+441632960000"."""

import datetime
import math
import re

from django.utils import timezone


def govuk_time(value: datetime.datetime | datetime.time | None) -> str:
    """ "10:45am", "5pm", "midday" or "midnight", in the site's time zone; "" for no value."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    hour, minute = value.hour, value.minute
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


def govuk_datetime(value: datetime.datetime | None) -> str:
    """ "1 December 2026 at 10:45am"; "" for no value. The one way the admin's lists and pages write a time (its
    lists through cms.admin_views.TimeColumn), and the portal's, and a filed submission's description."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{govuk_date(local)} at {govuk_time(local)}"


def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "5 December 2026" (a datetime's day in the site's time zone); "" for no value. The one way the portal and its
    emails write a day, without the leading zero ("5", not "05") that strftime's portable codes give."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


# Each unit of a wait but days, its size in seconds, and the most of it said before the next unit: up to
# "89 seconds", then "2 minutes" to "90 minutes", "2 hours" to "48 hours", then days.
WAIT_UNITS = (("second", 1, 89), ("minute", 60, 90), ("hour", 3600, 48))


def govuk_wait(until: datetime.datetime) -> str:
    """How long from now until ``until``, in the unit that says it plainly, rounded up within that unit (never a
    whole unit over): "1 second", "61 seconds", "61 minutes", "47 hours", "7 days"."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    count, unit = math.ceil(seconds / 86400), "day"
    for unit_here, size, most in WAIT_UNITS:
        if math.ceil(seconds / size) <= most:
            count, unit = math.ceil(seconds / size), unit_here
            break
    return f"{count} {unit}{'s' if count != 1 else ''}"


def govuk_waited(since: datetime.datetime) -> str:
    """How long from ``since`` until now, in the units of ``govuk_wait`` but rounded down (never a unit not yet
    passed): "0 seconds", "89 seconds", "2 minutes", "47 hours", "3 days"."""
    seconds = max(0, math.floor((timezone.now() - since).total_seconds()))
    count, unit = seconds // 86400, "day"
    for unit_here, size, most in WAIT_UNITS:
        if seconds // size <= most:
            count, unit = seconds // size, unit_here
            break
    return f"{count} {unit}{'s' if count != 1 else ''}"


def with_full_stop(text: str) -> str:
    """``text`` ending a sentence: with a full stop, unless it ends with one already, as a child's initials ("E. P.")
    do, so a message never says "E. P.." at the end of a sentence."""
    return text if text.endswith(".") else f"{text}."


def file_size(size: int) -> str:
    """A file's size in words, as the portal shows it beside a file's name: whole KB (at least 1) below 1 MB, else MB to
    one decimal place ("5 KB", "2.3 MB"), a whole number of MB without one (a limit: "2 MB")."""
    kb = max(1, round(size / 1024))
    if kb < 1024:
        return f"{kb} KB"
    return f"{size // (1024 * 1024)} MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f} MB"


# The number, then any extension as the phone rule writes one (cms.form_fields.PHONE_CHARACTERS): "… ext 12", "… x 12".
PHONE_EXTENSION = re.compile(r"(.*?)(?:[ ]*(?:ext|x)\.?[ ]*([0-9]+))?", re.IGNORECASE | re.ASCII | re.DOTALL)


def phone_href(number: str) -> str:
    """The ``tel:`` link (RFC 3966) that dials a UK telephone number as the site writes one ("01632 960 000",
    "+44 808 157 0192", "01632 960 001 ext 12"): the global form, a national number's leading 0 as +44, without
    spaces, brackets or hyphens, and an extension as ``;ext=12``."""
    main, extension = PHONE_EXTENSION.fullmatch(number).groups()
    digits = re.sub(r"[^0-9+]", "", main)
    if digits.startswith("0"):
        digits = "+44" + digits[1:]
    return f"tel:{digits}" + (f";ext={extension}" if extension else "")
