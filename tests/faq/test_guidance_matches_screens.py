"""The demo guidance describes the portal as built: every button, link, page or message name it quotes (in bold, or
in quotes after "choose", "select" or "press") is on one of the portal's screens, so renaming a button without
changing the guidance fails here. Each step of a visual guide is also read against the very page it shows, rendered
from the demo (a name found only on another screen is not enough), and names what that page asks of a person."""

import html
import re
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from advice_forms.models import AdviceRequest
from cms.demo import demo_words
from faq.demo_content import GUIDES, HELP_PAGES, OAKFIELD, SLT, faq_groups
from portal_pages.models import User
from tests.otp import sign_in

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


# The pages each visual guide step shows or sends a person through, rendered for the account its capture signs in
# as: a path, or (the portal URL name, the first name of the child whose request it is, and its step) for one of
# that account's requests; "post" submits that request, as the step's button does. Steps whose pages need a fresh
# registration or a new authenticator are left to the check above.
STEP_PAGES = {
    ("signing-in-for-the-first-time", 1): (None, "/portal/register/"),
    ("adding-a-new-phone", 2): (SLT, "/portal/two-factor/"),
    ("adding-a-new-phone", 3): (SLT, "/portal/two-factor/add/"),
    ("adding-a-new-phone", 4): (SLT, "/portal/two-factor/"),
    ("completing-and-submitting-a-form", 1): (OAKFIELD, "/portal/"),
    ("completing-and-submitting-a-form", 2): (OAKFIELD, ("request_detail", "Poppy")),
    ("completing-and-submitting-a-form", 3): (OAKFIELD, ("request_step", "Poppy", "about_child")),
    ("completing-and-submitting-a-form", 4): (OAKFIELD, ("request_step", "Poppy", "about_child")),
    ("completing-and-submitting-a-form", 5): (OAKFIELD, ("request_detail", "Maisie")),
    ("completing-and-submitting-a-form", 6): (
        OAKFIELD,
        ("request_detail", "Maisie"),
        ("request_check_answers", "Maisie"),
    ),
    ("completing-and-submitting-a-form", 7): (OAKFIELD, ("request_check_answers", "Maisie"), ("post", "Maisie")),
    ("uploading-a-document", 1): (OAKFIELD, ("request_detail", "Poppy")),
    ("uploading-a-document", 2): (OAKFIELD, ("request_documents", "Poppy")),
    ("uploading-a-document", 3): (OAKFIELD, ("request_documents", "Poppy")),
    ("adding-an-outcome", 1): (OAKFIELD, ("request_detail", "Poppy"), ("request_outcomes", "Poppy")),
    ("adding-an-outcome", 2): (OAKFIELD, ("request_outcome_add", "Poppy")),
}
# What a step must tell a person, in the words of the page it shows: the button that does the step, a box the page
# asks for first, the notice a returned form carries.
STEP_MUST_NAME = {
    ("adding-a-new-phone", 3): ["Your account's password", "Add the device"],
    ("adding-an-outcome", 2): ["Add the outcome"],
    ("completing-and-submitting-a-form", 4): ["Save and continue", "Save and come back later", "Save and go back"],
    ("completing-and-submitting-a-form", 5): ["Returned for more information"],
    ("completing-and-submitting-a-form", 6): ["Check answers", "Preview as PDF", "Report a change"],
    ("completing-and-submitting-a-form", 7): ["Accept and submit", "This is a new reference", "Use the new reference"],
}
# 'Quoted' in an alt text (a quote mark inside a word, as in "child's", neither opens nor closes one).
ALT_QUOTED = re.compile(r"(?<!\w)'(.+?)'(?!\w)")


def _step_page(clients, account, page):
    client = clients.setdefault(account, Client())
    if account and not client.session.get("_auth_user_id"):
        sign_in(client, User.objects.get(email=account), password=demo_words("demo_password"))
    if isinstance(page, str):
        return client.get(page)
    name, child, *step = page
    advice_request = AdviceRequest.objects.get(account__email=account, child__first_name=child)
    if name == "post":
        url = reverse("portal:request_submit", args=[advice_request.pk])
        return client.post(url, {"idempotency_key": str(uuid.uuid4())}, follow=True)
    return client.get(reverse(f"portal:{name}", args=[advice_request.pk, *step]))


def guide_step_names():
    """(guide slug, step, words of the step's text, [names the step quotes in its text and alt text])."""
    for slug, _title, _intro, steps in GUIDES:
        for position, (_heading, text, alt_text, *_capture) in enumerate(steps, start=1):
            names = quoted_names(text) + [_words(name) for name in ALT_QUOTED.findall(alt_text)]
            yield slug, position, _words(text), names


def test_every_guide_step_names_what_the_page_it_shows_shows():
    call_command("load_demo_content", stdout=StringIO())
    clients, problems = {}, []
    for slug, position, text, names in guide_step_names():
        if (slug, position) not in STEP_PAGES:
            continue
        account, *pages = STEP_PAGES[slug, position]
        page = ""
        for spec in pages:
            response = _step_page(clients, account, spec)
            assert response.status_code == 200, (slug, position, spec, response)
            page += "\n" + _words(response.content.decode())
        problems += [f"{slug} step {position}: the page does not show “{name}”" for name in names if name not in page]
        for name in STEP_MUST_NAME.get((slug, position), []):
            if _words(name) not in page:
                problems.append(f"{slug} step {position}: the page no longer shows “{name}” (mend STEP_MUST_NAME)")
            elif _words(name) not in text:
                problems.append(f"{slug} step {position}: the step does not tell a person “{name}”")
    assert not problems, "Guide steps that do not match their pages:\n" + "\n".join(problems)


def test_every_step_the_table_names_is_a_guide_step():
    steps = {(slug, position) for slug, position, *_ in guide_step_names()}
    assert set(STEP_PAGES) <= steps and set(STEP_MUST_NAME) <= set(STEP_PAGES)


def test_the_picture_of_removing_the_old_phone_is_described_as_it_shows():
    """The last step of "Adding a new phone" shows the demo team's list of devices, which holds one: its alt text
    spoke of "the old device", which a screen reader's user then looked for in a list the picture does not show."""
    call_command("load_demo_content", stdout=StringIO())
    steps = next(steps for slug, _title, _intro, steps in GUIDES if slug == "adding-a-new-phone")
    _heading, _text, alt_text, *_capture = steps[3]

    devices = list(TOTPDevice.objects.filter(user__email=SLT).values_list("name", flat=True))
    assert devices == ["Demo authenticator"]
    assert f"one device, '{devices[0]}'" in alt_text and "old device" not in alt_text
