"""Captures: the short scripted walks that take a visual guide's pictures from the portal itself.

An editor writes a capture on a guide step in the admin, one action a line (the vocabulary below). `parse_capture`
reads it and refuses an unknown verb with a message naming the line; `CaptureRunner` plays it in Chromium against
a running portal (the demo, in a throwaway database) and returns the picture as PNG bytes. A walk that cannot find
what it names fails with the guide, the step and the text or selector it looked for.
"""

import io
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from PIL import Image

# The Chromium that takes the captures, and how it is started: Debian's package, headless. The browser tests start
# the same browser the same way (tests/browser/conftest.py imports these), so a capture seen in CI is one `make
# guides` can take.
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# The vocabulary, as the admin's help text and the README show it.
VOCABULARY = (
    ("go to <path>", "open a page of the portal, e.g. go to /portal/"),
    ("sign in as <demo account>", "sign in with the account's password and authenticator code"),
    ("open the link emailed to <address>", "follow the newest link the portal emailed to that address"),
    ("click <text or label>", "press the button or link with that text, or the field with that label"),
    ("fill <label> with <text>", "type the text into the field with that label"),
    ("highlight <text, label or selector>", "draw a red frame around it"),
    ("show page", "take the picture of the whole window (last line)"),
    ("show <text, label or selector>", "take the picture of that part of the page only (last line)"),
)
WIDTHS = {"desktop": (1200, 800), "phone": (390, 780)}
HIGHLIGHT_JS = (
    "el => { el.style.outline = '4px solid #d4351c'; el.style.outlineOffset = '4px';"
    " el.scrollIntoView({block: 'center'}); }"
)
# How long to wait for something named in a capture to appear before the capture fails; and for a page to answer
# (submitting a form renders its PDF, slow on a busy machine).
FIND_TIMEOUT_MS = 8000
PAGE_TIMEOUT_MS = 60000
_URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Action:
    verb: str  # go, sign_in, email_link, click, fill, highlight, show
    target: str
    value: str = ""
    line: int = 0


class CaptureFailed(Exception):
    """A capture could not be taken: the message names the guide, the step and what was looked for."""


def _action(line_number, line):
    text = line.strip()
    lowered = text.lower()
    if lowered.startswith("go to "):
        path = text[6:].strip()
        if not path.startswith("/"):
            raise ValueError(f"Line {line_number}: “go to” needs a path starting with /, e.g. go to /portal/")
        return Action("go", path, line=line_number)
    if lowered.startswith("sign in as "):
        return Action("sign_in", text[11:].strip(), line=line_number)
    if lowered.startswith("open the link emailed to "):
        return Action("email_link", text[25:].strip(), line=line_number)
    if lowered.startswith("click "):
        return Action("click", text[6:].strip(), line=line_number)
    if lowered.startswith("fill "):
        label, sep, value = text[5:].partition(" with ")
        if not sep or not label.strip():
            raise ValueError(f"Line {line_number}: write “fill <label> with <text>”, e.g. fill Name with Jo")
        return Action("fill", label.strip(), value.strip(), line=line_number)
    if lowered.startswith("highlight "):
        return Action("highlight", text[10:].strip(), line=line_number)
    if lowered == "show page":
        return Action("show", "", line=line_number)
    if lowered.startswith("show "):
        return Action("show", text[5:].strip(), line=line_number)
    verb = text.split()[0]
    known = ", ".join(f"“{usage.split(' <')[0]}”" for usage, _ in VOCABULARY[:-1])
    raise ValueError(f"Line {line_number}: “{verb}” is not an action. Start each line with one of: {known}")


def parse_capture(text):
    """The actions of a capture script; a ValidationError naming each line that is not one."""
    actions, errors = [], []
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    for number, line in lines:
        try:
            actions.append(_action(number, line))
        except ValueError as error:
            errors.append(str(error))
    if not errors and actions:
        shows = [action for action in actions if action.verb == "show"]
        if not shows or actions[-1].verb != "show":
            errors.append("The last line must say what to show: “show page”, or “show” and the part of the page")
        elif len(shows) > 1:
            errors.append(f"Line {shows[0].line}: only the last line may be a “show”: a capture takes one picture")
    if errors:
        raise ValidationError(errors)
    return actions


def optimised_png(data):
    """A screenshot as a small PNG: 256 colours are plenty for the portal's flat pages."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


class CaptureRunner:
    """Plays captures in one Chromium against the portal at ``base_url``.

    ``code_for(email)`` gives the current authenticator code of a demo account (or None when it has no device);
    ``emails_to(address)`` gives the text of the emails sent to an address, oldest first. The password of every
    demo account is ``password``. Each capture gets a fresh browser window; a sign-in is kept per account, so an
    authenticator code is used once (the portal refuses a code twice).
    """

    def __init__(self, browser, *, base_url, password, code_for, emails_to):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.password = password
        self.code_for = code_for
        self.emails_to = emails_to
        self.signed_in = {}

    def take(self, actions, *, width="desktop", where=""):
        """The PNG that the actions end by showing; CaptureFailed (naming ``where``) when a step cannot be done."""
        viewport = dict(zip(("width", "height"), WIDTHS.get(width, WIDTHS["desktop"]), strict=True))
        context = self.browser.new_context(viewport=viewport, base_url=self.base_url, reduced_motion="reduce")
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        try:
            page = context.new_page()
            for action in actions:
                try:
                    result = self._do(page, context, action)
                except CaptureFailed as failure:
                    raise CaptureFailed(f"{where}, line {action.line}: {failure}") from None
                except Exception as error:  # Playwright's own errors: a timeout, a closed page
                    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                    raise CaptureFailed(f"{where}, line {action.line} ({_describe(action)}): {first}") from None
                if result is not None:
                    return result
        finally:
            context.close()
        raise CaptureFailed(f"{where}: the capture shows nothing")

    def _do(self, page, context, action):
        if action.verb == "go":
            self._go(page, action.target)
        elif action.verb == "sign_in":
            self._sign_in(page, context, action.target)
        elif action.verb == "email_link":
            self._email_link(page, action.target)
        elif action.verb == "click":
            self._find(page, action.target, clickable=True).click()
            page.wait_for_load_state()
        elif action.verb == "fill":
            field = self._find(page, action.target, field=True)
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(label=action.value)
            else:
                field.fill(action.value)
        elif action.verb == "highlight":
            self._find(page, action.target).evaluate(HIGHLIGHT_JS)
        elif action.verb == "show":
            page.wait_for_load_state()
            page.evaluate("document.fonts.ready.then(() => true)")
            if not action.target:
                return optimised_png(page.screenshot(type="png", animations="disabled", caret="hide"))
            element = self._find(page, action.target)
            return optimised_png(element.screenshot(type="png", animations="disabled", caret="hide"))
        return None

    def _go(self, page, path):
        response = page.goto(self.base_url + path)
        if response is not None and response.status >= 400:
            raise CaptureFailed(f"“go to {path}”: the portal answered {response.status}")

    def _find(self, page, target, *, clickable=False, field=False):
        """The first visible element that ``target`` names: a CSS selector (starting # . or [, or written css=…);
        else, in this order, a button, a link, a field with that label, that text (a field's label first when the
        action fills or highlights)."""
        if target[:1] in "#.[" or target.startswith("css="):
            candidates = [page.locator(target)]
        else:
            buttons = page.get_by_role("button", name=target, exact=True)
            links = page.get_by_role("link", name=target, exact=True)
            label = page.get_by_label(target, exact=True)
            text = page.get_by_text(target, exact=True)
            # A label's "(optional)" and a link's hidden words still match, when nothing matches exactly.
            loose = [page.get_by_label(target), page.get_by_role("link", name=target)]
            if field:
                candidates = [label, loose[0]]
            elif clickable:
                candidates = [buttons, links, label, text, *loose]
            else:
                candidates = [label, buttons, links, text, *loose]
        deadline = time.monotonic() + FIND_TIMEOUT_MS / 1000
        while True:
            for candidate in candidates:
                element = candidate.locator("visible=true").first
                if element.count():
                    return element
            if time.monotonic() > deadline:
                raise CaptureFailed(f"nothing on {urlsplit(page.url).path} matches “{target}”")
            time.sleep(0.1)

    def _sign_in(self, page, context, email):
        if email in self.signed_in:
            context.add_cookies(self.signed_in[email])
            return
        self._go(page, "/portal/sign-in/")
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(self.password)
        page.locator("form:has(input[name=password]) button[type=submit]").first.click()
        page.wait_for_load_state()
        if "/sign-in/code/" in page.url:
            code = self.code_for(email)
            if code is None:
                raise CaptureFailed(f"“sign in as {email}”: the account has no authenticator to take a code from")
            page.locator("input[name=code]").fill(code)
            page.locator("form:has(input[name=code]) button[type=submit]").first.click()
            page.wait_for_load_state()
        if "/sign-in/" in urlsplit(page.url).path:
            raise CaptureFailed(f"“sign in as {email}”: the portal did not sign the account in")
        self.signed_in[email] = context.cookies()

    def _email_link(self, page, address):
        # The email is sent by a task as the page answers: give it a moment on a busy machine.
        deadline = time.monotonic() + FIND_TIMEOUT_MS / 1000
        while True:
            # The newest email's first portal link: its main one (a confirmation email also links, under it, the
            # page that sends a new link).
            emails = [found for text in self.emails_to(address) if (found := _portal_links(text))]
            if emails or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if not emails:
            raise CaptureFailed(f"no email to {address} holds a link to the portal")
        parts = urlsplit(emails[-1][0])
        self._go(page, parts.path + (f"?{parts.query}" if parts.query else ""))


def _portal_links(text: str) -> list[str]:
    return [link for link in _URL.findall(text) if "/portal/" in link]


def _describe(action):
    return {
        "go": f"go to {action.target}",
        "sign_in": f"sign in as {action.target}",
        "email_link": f"open the link emailed to {action.target}",
        "fill": f"fill {action.target} with {action.value}",
        "show": f"show {action.target or 'page'}",
    }.get(action.verb, f"{action.verb} {action.target}")


@dataclass
class GuideCapture:
    """One step's capture, where it lives: the guide, the step's position (from 1) and its heading."""

    guide: object
    position: int
    heading: str
    actions: list
    width: str

    @property
    def where(self):
        return f"Guide “{self.guide.title}” (id {self.guide.pk}), step {self.position} “{self.heading}”"


def guide_captures(guides):
    """The captures of the guides' latest revisions, in page and step order."""
    captures = []
    for guide in guides:
        latest = guide.get_latest_revision_as_object()
        for position, child in enumerate(latest.steps, start=1):
            script = child.value.get("capture") or ""
            if script.strip():
                captures.append(
                    GuideCapture(
                        guide=guide,
                        position=position,
                        heading=child.value["heading"],
                        actions=parse_capture(script),
                        width=child.value.get("capture_width") or "desktop",
                    )
                )
    return captures


def captures_run(runner, captures, *, progress=None):
    """Each capture's PNG, in order; the first that fails stops the run with its CaptureFailed."""
    pictures = []
    for capture in captures:
        started = time.monotonic()
        pictures.append((capture, runner.take(capture.actions, width=capture.width, where=capture.where)))
        if progress:
            progress(f"{capture.where}: {time.monotonic() - started:.1f} s")
    return pictures
