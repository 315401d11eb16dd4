"""Signs that a visitor's comment holds personal data, so the page-feedback report can say so to an editor.

A visitor writes "How could we improve this page?" in their own words, and parents often write about their child:
"My son Jack Smith in Year 4 at Oakfield Primary has autism". The report's "Personal data?" column (and its CSV)
tells the editor to read such a comment and perhaps redact it. These are heuristics: they never change or hide a
comment themselves. They lean towards marking: a false mark costs an editor a glance, a missed one leaves a child's
details in a report that may be exported and passed on.

What is marked, each with the words the editor reads:

- a person's name introduced by a relation or naming word: "my son Jack", "our daughter, Amy Jones", "my 8 year
  old grandson Leo", "a boy called Sam", "named Ali", "his name is Tom", "I'm Jack's mum", "Mrs Patel";
- a school's name: capitalised words before "Primary", "Academy", "School", "College", "Nursery" and the like
  ("Oakfield Primary", "St Mary's C of E Primary School"), but not a kind of school ("a Special School");
- a year group together with a name ("Jack is in Year 4", "Amy Jones (Y6)");
- a name beside a date, or a date beside "born" or "date of birth";
- a phone number, an email address, a postcode, an NHS number (its check digit must be right) and a UPN.

What is not marked, as it cannot be told from ordinary words without a list of every first name: a name with no
word around it that introduces it ("Jack can't sign in", "Thank you Sarah"), and names typed without capitals
("my son jack"). Nor are two capitalised words on their own ("Local Offer", "Appendix B").
"""

import re

# The words an editor reads after "Looks like it holds ...", in the order they are listed.
NAME_AND_BIRTH_DATE = "a name with a date of birth"
PHONE_NUMBER = "a phone number"
EMAIL_ADDRESS = "an email address"
UPN = "a UPN (unique pupil number)"
PERSON_NAME = "a person's name"
YEAR_GROUP_AND_NAME = "a year group with a name"
SCHOOL_NAME = "a school's name"
POSTCODE = "a postcode"
NHS_NUMBER = "an NHS number"

NEARBY = 60  # characters either side of a date in which a name or "born" counts
YEAR_GROUP_NEARBY = 40  # characters either side of a year group in which a name counts

# Capitalised words that start sentences or name things other than people: never taken for a name on their own.
_NOT_NAME_WORDS = """
    A About After Also Am An And Any Are As At Be Because Been Before Both But By Can Could Dear Did Do Does Each
    Even Every For From Had Has Have He Hello Her Here Hers Hi His How However If In Into Is It Its Just Many May
    Me Might More Most Much Must My No Not Now Of Ok Okay On Once One Only Or Our Please She Should So Some Still
    Thank Thanks That The Their Them Then There These They This Those Though To Too Under Until Very Was We Were
    What When Where Which While Who Whom Why Will With Would Yes Yet You Your
    Add Clear Confusing Difficult Easy Found Good Great Hard Helpful Need Needs Nice Really Sent Tried Useful
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August
    September October November December
    Year Years Reception Nursery Primary Secondary Infant Infants Junior Juniors School Schools Academy College
    Key Stage Special Mainstream Education Health Care Plan Plans Council Local Offer Service Services Team Page
    Pages Portal Form Forms Section Part Step Guide Help Appendix English Maths Science Autism
"""
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())

# Every repeat in these patterns has a limit ("{1,40}", not "+"), so whatever a comment holds, matching from any one
# place in it reads a bounded stretch: checking a comment takes time in proportion to its length. Unbounded repeats
# made some comments quadratic: 10,000 characters of "Aa-Aa-..." took over a second, and the feedback report checks
# every comment of every page it lists on each view. No word of a name, school or email is near these limits.
_WORD = "{1,40}"  # letters in one word
_GAP = "{1,8}"  # spaces between two words

# One word of a name: a capital, then letters with at least one small one ("Jack", "McDonald", "O'Brien",
# "Mary-Jane"); an acronym ("ASD", "EHC") or "I" is not a name.
_NAME_WORD = rf"[A-Z](?=[A-Za-z'’-]{{0,40}}[a-z])[A-Za-z]{{0,40}}(?:['’-][A-Za-z]{_WORD}){{0,3}}"
# A name: one such word, or several ("Jack Smith", "Mary Anne O'Brien"); only the first word is ever looked at.
_NAME = rf"{_NAME_WORD}(?:[ \t]{_GAP}{_NAME_WORD}){{0,3}}"

_RELATIVES = (
    r"son|daughter|child|kid|boy|girl|baby|toddler|teen|teenager|twins?|grandson|granddaughter|grandchild"
    r"|step-?son|step-?daughter|step-?child|nephew|niece|brother|sister|sibling|husband|wife|partner"
    r"|pupil|student|learner|young person"
)
_CARERS = (
    r"mum|mummy|mom|mother|dad|daddy|father|parent|carer|foster carer|step-?mum|step-?dad|nan|nana|gran|granny"
    r"|grandma|grandmother|grandad|grandpa|grandfather|aunt|auntie|uncle"
)
# The words that introduce a name. Each is followed by the name itself (group "name"), separated by spaces, a
# comma, a colon or a bracket, never a full stop: "my son. He ..." starts a new sentence.
_INTRODUCED_NAME = re.compile(
    # "my son Jack", "our youngest daughter, Amy", "my 8 year old grandson (Leo)"
    rf"\b(?i:my|our|his|her|their|your)\s{_GAP}(?:[\w-]{_WORD}\s{_GAP}){{0,3}}?(?i:{_RELATIVES})s?[\s,:(]{_GAP}"
    rf"(?P<name>{_NAME})"
    # "a boy called Sam", "named Ali", "his name is Tom", "my son's name is Tom", "known as Billy"
    rf"|\b(?i:called|named|name\s{_GAP}is|name's|known\s{_GAP}as|goes\s{_GAP}by)[\s,:(]{_GAP}(?P<name2>{_NAME})"
    # "I'm Jack's mum", "Amy's dad here"
    rf"|\b(?P<name3>{_NAME_WORD})['’]s\s{_GAP}(?i:{_CARERS})\b"
    # "Mrs Patel", "Mr. Jones"
    rf"|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s{_GAP}(?P<name4>{_NAME_WORD})"
)

# A school: capitalised words before the word that says it is a school. At least one of those words must be a
# name rather than a kind of school ("Oakfield Primary", not "a Special School" or "The Academy").
_SCHOOL = re.compile(
    rf"\b(?P<words>(?:(?:{_NAME_WORD}|St\.|C(?:\s{_GAP}of\s{_GAP}|\s{{0,8}}&\s{{0,8}})E|RC)[ \t]{_GAP}"
    rf"(?:(?:of|the|and|&)[ \t]{_GAP})?){{1,8}})"
    r"(?i:Primary|Academy|School|College|Nursery|Infants|Juniors|Pre-?school|Sixth Form)\b"
)
# Words of a school's name that do not tell which school it is ("C of E", "High", "Catholic").
_SCHOOL_KINDS = NOT_NAMES | {"St", "St.", "C", "E", "CofE", "RC", "Church", "Catholic", "High", "Grammar", "Sixth"}

# "Year 4", "year 10", "Y6", "Year R", "Reception".
_YEAR_GROUP = re.compile(r"\b(?:(?i:year)\s?(?:1[0-4]|[1-9]|R)\b|Y(?:1[0-4]|[1-9])\b|Reception\b)")
_NAME_WORD_RE = re.compile(rf"\b{_NAME_WORD}")

# An email address: up to 64 characters before the "@" and up to 8 parts after it, as the standard allows.
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# UK numbers: 01632 960111, 07700 900 123, +44 (0)7700 900123, 0161-496-0000.
_PHONE = re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)\d(?:[\s-]?\d){8,9}\b")
# A unique pupil number: a check letter, 11 digits, then a digit (or a letter, for a temporary UPN).
_UPN = re.compile(r"\b[A-Za-z]\d{11}[0-9A-Za-z]\b")
# A UK postcode: "KT1 2AB", "sw1a 1aa", "M11AE".
# The last two letters are never C, I, K, M, O or V, and "2nd" or "1st" is no postcode ("Y6 2nd").
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s{0,8}\d(?!(?:st|nd|rd|th)\b)[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
# Ten digits, as NHS numbers are written: "943 476 5919", "943-476-5919", "9434765919".
_TEN_DIGITS = re.compile(r"(?<![\d+])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = re.compile(
    rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s{_GAP}(?:of\s{_GAP})?(?:{_MONTHS})[a-z]{{0,6}}\.?\s{_GAP}\d{{4}}\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(r"\b(?:born|birthday|d\.?o\.?b\.?|date of birth)\b", re.IGNORECASE)
# Two capitalised words in a row, as a first name and a surname are written ("Jamie Smith").
_FULL_NAME = re.compile(rf"\b[A-Z][a-z]{_WORD}(?:[ '-][A-Z][a-z]{_WORD}){{1,3}}\b")


def _is_name(words: str) -> bool:
    """Whether capitalised words are a name: their first word is not a common word ("my son The ...")."""
    return words.split()[0] not in NOT_NAMES


def _introduced_name(text):
    for found in _INTRODUCED_NAME.finditer(text):
        name = next(value for value in found.groupdict().values() if value)
        if _is_name(name):
            return True
    return False


def _school_name(text):
    for found in _SCHOOL.finditer(text):
        if any(word not in _SCHOOL_KINDS for word in found["words"].split() if word[0].isupper()):
            return True
    return False


def _year_group_and_name(text):
    for year in _YEAR_GROUP.finditer(text):
        around = text[max(0, year.start() - YEAR_GROUP_NEARBY) : year.end() + YEAR_GROUP_NEARBY]
        if any(word not in NOT_NAMES for word in _NAME_WORD_RE.findall(around)):
            return True
    return False


def _name_beside_birth_date(text):
    for date in _DATE.finditer(text):
        around = text[max(0, date.start() - NEARBY) : date.end() + NEARBY]
        if _BIRTH_WORDS.search(around) or _FULL_NAME.search(around):
            return True
    return False


def _nhs_number(text):
    """Ten digits whose last is the NHS number's check digit (modulus 11): one in eleven random numbers passes."""
    for found in _TEN_DIGITS.finditer(text):
        digits = [int(digit) for digit in re.sub(r"\D", "", found.group())]
        check = 11 - sum(digit * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
        if (0 if check == 11 else check) == digits[9]:
            return True
    return False


# Each sign and its test, in the order the report lists them. A test is given the comment and the comment with its
# email addresses taken out (their digits and letters are no phone number or postcode), worked out once.
CHECKS = [
    (NAME_AND_BIRTH_DATE, lambda text, without_emails: _name_beside_birth_date(text)),
    (PHONE_NUMBER, lambda text, without_emails: bool(_PHONE.search(without_emails))),
    (EMAIL_ADDRESS, lambda text, without_emails: without_emails != text),
    (UPN, lambda text, without_emails: bool(_UPN.search(text))),
    (PERSON_NAME, lambda text, without_emails: _introduced_name(text)),
    (YEAR_GROUP_AND_NAME, lambda text, without_emails: _year_group_and_name(text)),
    (SCHOOL_NAME, lambda text, without_emails: _school_name(text)),
    (POSTCODE, lambda text, without_emails: bool(_POSTCODE.search(without_emails))),
    (NHS_NUMBER, lambda text, without_emails: _nhs_number(text)),
]


def personal_data_signs(text: str) -> list[str]:
    """What in ``text`` looks like personal data, in words an editor reads ("a phone number"); [] if nothing."""
    if not text:
        return []
    without_emails = _EMAIL.sub(" ", text)  # an address, having an "@", is never a lone space
    return [sign for sign, found in CHECKS if found(text, without_emails)]


def personal_data_words(signs: list[str]) -> str:
    """What an editor reads about a comment: "Looks like it holds a person's name, a year group with a name and a
    school's name" (the last two joined by "and", as a sentence lists them); "" if nothing."""
    if not signs:
        return ""
    listed = signs[0] if len(signs) == 1 else f"{', '.join(signs[:-1])} and {signs[-1]}"
    return f"Looks like it holds {listed}"
