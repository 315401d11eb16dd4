"""Signs that a visitor's comment holds personal data: a name beside a date of birth, a phone number, an email
address or a UPN. Heuristics that flag a comment for an editor to read; they never change or hide it themselves."""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 01632 960111, 07700 900 123, +44 (0)7700 900123, 0161-496-0000.
_PHONE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)\d(?:[\s-]?\d){8,9}\b")
# A unique pupil number: a check letter, 11 digits, then a digit (or a letter, for a temporary UPN).
_UPN = re.compile(r"\b[A-Za-z]\d{11}[0-9A-Za-z]\b")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})[a-z]*\.?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(r"\b(?:born|birthday|d\.?o\.?b\.?|date of birth)\b", re.IGNORECASE)
# Two capitalised words in a row, as a first name and a surname are written ("Jamie Smith").
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)+\b")
NEARBY = 60

NAME_AND_BIRTH_DATE = "a name and date of birth"
PHONE_NUMBER = "a phone number"
EMAIL_ADDRESS = "an email address"
UPN = "a UPN (unique pupil number)"


def _name_beside_birth_date(text):
    for date in _DATE.finditer(text):
        around = text[max(0, date.start() - NEARBY) : date.end() + NEARBY]
        if _BIRTH_WORDS.search(around) or _NAME.search(around):
            return True
    return False


def personal_data_signs(text: str) -> list[str]:
    """What in ``text`` looks like personal data, in words an editor reads ("a phone number"); [] if nothing."""
    if not text:
        return []
    signs = []
    if _name_beside_birth_date(text):
        signs.append(NAME_AND_BIRTH_DATE)
    if _PHONE.search(_EMAIL.sub(" ", text)):
        signs.append(PHONE_NUMBER)
    if _EMAIL.search(text):
        signs.append(EMAIL_ADDRESS)
    if _UPN.search(text):
        signs.append(UPN)
    return signs
