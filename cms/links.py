"""How the portal reads a link in an uploaded file, and which links it lets through: one policy for PDFs
(``cms.pdf_checks``) and Office files (``cms.document_checks``), so the two cannot drift.

A link may be to a web page, an email address (attaching no file), a phone number, a text message, a name (doi:,
urn:) or a place in the same file (#...). A scheme that opens a file or a program (file:, smb:, a \\\\host path, a
drive letter, search-ms:, ms-...:) is refused in any of the target's decoded forms: on Windows a UNC path makes the
program sign in to that host, handing it the user's password hash. Any other scheme is refused as one the portal
cannot check. A relative link is refused unless the caller says it resolves against a web address: a desktop
program opens it beside the file, where ``..\\..\\x.exe`` is a program on the user's computer or network drive.
"""

import re
import unicodedata
from enum import Enum
from urllib.parse import unquote

# The schemes a link may name: web, email, phone and text-message links, names (doi:, urn:) and the links Apple Mail
# and iOS add to dates and addresses when an email is printed (x-apple-data-detectors://0: an index into the
# email's detected items, which only Apple's mail and web views act on; elsewhere it opens nothing).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms", "doi", "urn", "x-apple-data-detectors"})
# Schemes that open a file or a program that fetches one, on Windows often a UNC path that hands a host the user's
# password hash: refused as such. Any other scheme not allowed above is refused as one the portal cannot check.
_FILE_SCHEMES = frozenset(
    {"file", "smb", "cifs", "nfs", "afp", "webdav", "dav", "davs", "search", "search-ms", "shell", "mk", "its", "hcp"}
)
_FILE_SCHEME_PREFIXES = ("ms-", "vnd.ms-")
_MAIL_ATTACHMENT_PARAMETERS = frozenset({"attach", "attachment", "attachments"})
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # control and format characters, spaces, line breaks


class LinkProblem(Enum):
    """Why a link is refused; each check words its own message for each."""

    SCRIPT = "script"
    OPENS_A_FILE = "opens a file"
    UNCHECKED_SCHEME = "a scheme the portal cannot check"
    MAIL_ATTACHMENT = "an email link that attaches a file"
    RELATIVE = "relative"


def link_problem(target: str, *, relative_ok: bool) -> tuple[LinkProblem, str | None] | None:
    """None for a link the portal lets through; else why not, with the scheme to name in the message (``"x:"``)
    where the link names a plain one the portal cannot check. A fragment (#...) or an empty link is always let
    through; another relative link only where ``relative_ok`` (it resolves against a web address). The scheme is
    named whether the link is relative in another form (``x%3Ay``) or not."""
    forms = link_forms(target)
    schemes = [link_scheme(form) for form in forms]
    if any(scheme in _SCRIPT_SCHEMES for scheme in schemes):
        return LinkProblem.SCRIPT, None
    if any(opens_a_file(scheme) for scheme in schemes):
        return LinkProblem.OPENS_A_FILE, None
    scheme = next((scheme for scheme in schemes if scheme is not None), None)
    if scheme is not None and scheme not in LINK_SCHEMES:
        named = re.fullmatch(r"[a-z][a-z0-9+-]{0,30}", scheme)  # not a dotted host ("www.example.com:8080/x")
        return LinkProblem.UNCHECKED_SCHEME, f"{scheme}:" if named else None
    if scheme == "mailto" and any(mail_link_attaches_a_file(form) for form in forms):
        return LinkProblem.MAIL_ATTACHMENT, None
    relative = [form for form, scheme in zip(forms, schemes, strict=True) if scheme is None]
    if relative_ok or all(form == "" or form.startswith("#") for form in relative):
        return None
    return LinkProblem.RELATIVE, None


def opens_a_file(scheme: str | None) -> bool:
    """ "" is a path to another host (\\\\host, //host), one letter a drive."""
    if scheme is None:
        return False
    return scheme in _FILE_SCHEMES or scheme.startswith(_FILE_SCHEME_PREFIXES) or len(scheme) <= 1


def mail_link_attaches_a_file(form: str) -> bool:
    """Whether a mailto: link asks the mail program to attach a file (?attach=..., &attachment=...): some do."""
    _, question, query = form.partition("?")
    if not question:
        return False
    names = (parameter.partition("=")[0].strip().lower() for parameter in re.split("[&;?]", query))
    return any(name in _MAIL_ATTACHMENT_PARAMETERS for name in names)


def link_forms(target: str) -> list[str]:
    """``target`` and its percent-decoded forms (up to three decodings: %2566ile decodes twice), each without the
    characters a reader may drop. Browsers drop tabs and newlines anywhere and spaces and control characters
    around a URL. Those, and other spaces and invisible characters, are dropped anywhere: "java\x00script:" is
    read as a viewer that skips the NUL would read it; a viewer that keeps the character reads no scheme at all."""
    forms = [target]
    while len(forms) < 4 and unquote(forms[-1]) != forms[-1]:
        forms.append(unquote(forms[-1]))
    return ["".join(c for c in form if unicodedata.category(c) not in _INVISIBLE and not c.isspace()) for form in forms]


def link_scheme(form: str) -> str | None:
    """The scheme that one form of a link names, lower case, as a URL parser or a Windows path would read it: None
    for a relative link or a fragment; "" for a path to another host (``\\\\host``, ``//host``); what comes before
    the first colon, whatever it holds, when no slash, ? or # comes before it (a drive letter, ``%66ile``, or a
    scheme broken by a character a reader may drop)."""
    if form.replace("\\", "/").startswith("//"):
        return ""
    before, colon, _ = form.partition(":")
    if colon and not any(delimiter in before for delimiter in "/?#"):
        return before.lower() if before.isascii() else before
    return None
