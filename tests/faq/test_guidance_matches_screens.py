"""The demo guidance describes the portal as built: every button, link, page or message name it quotes (in bold, or
in quotes after "choose", "select" or "press") is on one of the portal's screens, so renaming a button without
changing the guidance fails here."""

import html
import re
from pathlib import Path

import pytest

from faq.demo_content import GUIDES, HELP_PAGES, faq_groups

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Where the portal's screens get their words: templates, and the forms' and views' messages.
SCREEN_SOURCES = ("portal_pages", "advice_forms", "cms")
BOLD = re.compile(r"<(?:b|strong)>(.*?)</(?:b|strong)>", re.S)
QUOTED_AFTER_VERB = re.compile(r"\b(?:choose|select|press|click)\s+(?:the\s+)?[“\"‘']([^”\"’']+)[”\"’']", re.I)


def _words(text: str) -> str:
    text = re.sub(r"{%.*?%}|{{.*?}}|<[^>]+>", " ", text, flags=re.S)
    return " ".join(html.unescape(text).replace("’", "'").split()).lower()


def screen_words() -> str:
    files = []
    for app in SCREEN_SOURCES:
        files += list((ROOT / app).rglob("*.html"))
        files += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts and "demo" not in p.name]
    return "\n".join(_words(p.read_text(encoding="utf-8")) for p in files)


def guidance_html() -> list[tuple[str, str]]:
    """(where, html) of every piece of the demo guidance: FAQ answers, visual guide steps, help page blocks."""
    pieces = [(question, answer) for _group, items in faq_groups() for question, answer in items]
    pieces += [(f"{title}: {heading}", text) for _slug, title, _intro, steps in GUIDES for heading, text, *_ in steps]
    for _slug, title, _intro, blocks in HELP_PAGES:
        for kind, value in blocks:
            if isinstance(value, str):
                pieces.append((f"{title} ({kind})", value))
            elif isinstance(value, dict):
                pieces.append((f"{title} ({kind})", " ".join(str(v) for v in value.values() if isinstance(v, str))))
    return pieces


def quoted_names(text: str) -> list[str]:
    return [_words(name) for name in BOLD.findall(text) + QUOTED_AFTER_VERB.findall(text)]


def test_every_name_the_guidance_quotes_is_on_a_portal_screen():
    screens = screen_words()
    missing = [
        f"{where}: “{name}”" for where, text in guidance_html() for name in quoted_names(text) if name not in screens
    ]
    assert not missing, "The guidance names what no screen shows:\n" + "\n".join(missing)


def test_the_check_fails_for_a_renamed_button():
    """The check itself can fail: a name no screen shows is reported."""
    assert quoted_names("<p>Choose <b>Send it now</b>, then choose “Finish”.</p>") == ["send it now", "finish"]
    assert "send it now" not in screen_words()


def test_the_guidance_describes_sign_up_as_built():
    """Registration asks for the password; the emailed link only confirms the address."""
    text = " ".join(_words(t) for _w, t in guidance_html())
    assert "to choose a password" not in text and "choose a password of at least 12 characters. the link" not in text
    assert "confirm" in text and "create a password" in text
