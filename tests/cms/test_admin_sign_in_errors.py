"""The admin's sign-in and code pages as a keyboard or screen reader user meets them: an accessibility walk found
the code page's buttons first in the tab order (tabindex 3 and 4, before the skip link and the code box), a refused
sign-in or code with no "Error: " in the title, focus back on the box rather than on the error, the refusal only in
a list of messages on the page from the start (role="status", which may not be announced), and no autocomplete on
the email address and password. Both pages now do as the portal's sign-in and the admin's other forms do
(cms/admin/includes/error_summary.html)."""

import re

import pytest
from bs4 import BeautifulSoup

from cms.forms import EMAIL_REQUIRED, SIGN_IN_PASSWORD_REQUIRED, WRONG_CODE, WRONG_SIGN_IN
from tests.factories.accounts import verified_login
from tests.otp import current_code

pytestmark = pytest.mark.django_db

TITLE_END = " - SEND Professional Portal staff admin"


def _page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _title(page):
    return page.title.get_text()


def _said(element):
    return " ".join(element.get_text().split())


def _summary(page):
    """The error summary's element, or None."""
    return page.select_one('[role="alert"]')


def _to_code_step(client, user, password):
    response = client.post("/admin/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    assert client.get("/admin/").url.startswith("/admin/2fa/auth")


def _wrong(device):
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def test_no_element_of_either_page_has_a_positive_tabindex(client, superuser, password):
    sign_in = _page(client.get("/admin/login/"))
    _to_code_step(client, superuser, password)
    code = _page(client.get("/admin/2fa/auth?next=/admin/"))

    for page in (sign_in, code):
        positive = [str(e)[:80] for e in page.find_all(tabindex=True) if int(e["tabindex"]) > 0]
        assert positive == []
    assert [b.get_text(strip=True) for b in code.select("#main form button")] == ["Sign in", "Sign out"]


def test_the_pages_as_first_shown_have_no_error_and_focus_their_first_box(client, superuser, password):
    sign_in = _page(client.get("/admin/login/"))
    _to_code_step(client, superuser, password)
    code = _page(client.get("/admin/2fa/auth?next=/admin/"))

    assert _title(sign_in) == "Sign in" + TITLE_END and _title(code) == "Sign in" + TITLE_END
    assert _summary(sign_in) is None and _summary(code) is None
    assert [e["id"] for e in sign_in.select("[autofocus]")] == ["id_username"]
    assert [e["id"] for e in code.select("[autofocus]")] == ["id_otp_token"]


def _assert_the_error_is_summarised_and_takes_focus(page, field_id, words):
    assert _title(page) == "Error: Sign in" + TITLE_END
    summary = _summary(page)
    assert summary is not None and summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    assert _said(summary.h2) == "There is a problem"
    assert [(a["href"], _said(a)) for a in summary.select("a")] == [(f"#{field_id}", words)]
    # The summary comes before the form, and is the one element that asks for focus.
    assert page.select("[autofocus]") == [summary]
    assert summary.find_next("form") is not None
    # Beside the field, in the same words after a visually hidden "Error: " (GOV.UK), and not in a list of messages.
    field = page.select_one(f"#{field_id}").find_parent(attrs={"data-field-wrapper": True})
    assert [_said(e) for e in field.select(".error-message")] == [f"Error: {words}"]
    assert page.select_one('[role="status"]') is None  # not in a list of messages either
    assert _said(page).count(words) == 2


def test_a_wrong_password_comes_back_with_an_error_title_and_a_summary_that_takes_focus(client, superuser):
    response = client.post("/admin/login/", {"username": superuser.email, "password": "not-the-password"})

    page = _page(response)
    _assert_the_error_is_summarised_and_takes_focus(page, "id_password", WRONG_SIGN_IN)
    assert page.select_one("#id_username")["value"] == superuser.email  # nothing typed lost


def test_an_unknown_address_is_told_in_the_same_words(client, db):
    response = client.post("/admin/login/", {"username": "nobody@council.example.org", "password": "whatever"})

    _assert_the_error_is_summarised_and_takes_focus(_page(response), "id_password", WRONG_SIGN_IN)


def test_an_empty_sign_in_links_each_error_to_its_box(client, db):
    page = _page(client.post("/admin/login/", {"username": "", "password": ""}))

    assert _title(page) == "Error: Sign in" + TITLE_END
    assert [a["href"] for a in _summary(page).select("a")] == ["#id_username", "#id_password"]
    assert page.select("[autofocus]") == [_summary(page)]


def test_a_wrong_code_comes_back_with_an_error_title_and_a_summary_that_takes_focus(client, superuser, password):
    _to_code_step(client, superuser, password)

    response = client.post("/admin/2fa/auth", {"otp_token": _wrong(superuser.totpdevice_set.get())})

    _assert_the_error_is_summarised_and_takes_focus(_page(response), "id_otp_token", WRONG_CODE)


def test_the_admin_and_the_portal_refuse_a_sign_in_in_the_same_words(client, db):
    admin = _page(client.post("/admin/login/", {"username": "nobody@council.example.org", "password": "x"}))
    portal = _page(client.post("/portal/sign-in/", {"username": "nobody@council.example.org", "password": "x"}))

    assert WRONG_SIGN_IN in _said(_summary(admin))
    assert WRONG_SIGN_IN in _said(portal.select_one(".govuk-error-summary"))


def test_an_empty_sign_in_says_what_to_enter_in_each_box_in_the_portals_words(client, db):
    """Wagtail said "This field is required." for both boxes: two links of the same words, naming neither box."""
    admin = _page(client.post("/admin/login/", {"username": "", "password": ""}))
    portal = _page(client.post("/portal/sign-in/", {"username": "", "password": ""}))

    said = [(a["href"], _said(a)) for a in _summary(admin).select("a")]
    assert said == [("#id_username", EMAIL_REQUIRED), ("#id_password", SIGN_IN_PASSWORD_REQUIRED)]
    assert [_said(a) for a in portal.select(".govuk-error-summary a")] == [EMAIL_REQUIRED, SIGN_IN_PASSWORD_REQUIRED]
    for field_id, words in said:
        field = admin.select_one(field_id).find_parent(attrs={"data-field-wrapper": True})
        assert [_said(e) for e in field.select(".error-message")] == [f"Error: {words}"]


def test_the_sign_in_boxes_name_their_purpose(client, superuser, password):
    """WCAG 1.3.5: browsers and password managers fill the boxes; the code box offers the code a phone received."""
    sign_in = _page(client.get("/admin/login/"))
    _to_code_step(client, superuser, password)
    code = _page(client.get("/admin/2fa/auth?next=/admin/"))

    assert sign_in.select_one("#id_username")["autocomplete"] == "username"
    assert sign_in.select_one("#id_password")["autocomplete"] == "current-password"
    assert code.select_one("#id_otp_token")["autocomplete"] == "one-time-code"
    assert code.select_one("#id_otp_token")["inputmode"] == "numeric"
    assert re.fullmatch(r"text|password", sign_in.select_one("#id_password")["type"])


def described_by_ids_missing(page):
    """Each id an aria-describedby names that no element of the page has."""
    ids = {element["id"] for element in page.find_all(id=True)}
    return [
        f"{element.get('id') or element.name}: {name}"
        for element in page.find_all(attrs={"aria-describedby": True})
        for name in element["aria-describedby"].split()
        if name not in ids
    ]


def test_every_box_names_in_aria_describedby_only_what_is_on_the_page(client, superuser, password):
    """With Django 5.2 a refused password box named "id_password_error", which Wagtail's markup does not carry: a
    screen reader read no error with the box. Each page as first shown and as sent back with errors."""
    pages = {
        "sign-in": client.get("/admin/login/"),
        "wrong password": client.post("/admin/login/", {"username": superuser.email, "password": "not-it"}),
        "empty sign-in": client.post("/admin/login/", {"username": "", "password": ""}),
    }
    _to_code_step(client, superuser, password)
    pages["code"] = client.get("/admin/2fa/auth?next=/admin/")
    pages["wrong code"] = client.post("/admin/2fa/auth", {"otp_token": _wrong(superuser.totpdevice_set.get())})
    pages["empty code"] = client.post("/admin/2fa/auth", {"otp_token": ""})

    missing = {name: described_by_ids_missing(_page(response)) for name, response in pages.items()}

    assert missing == dict.fromkeys(pages, [])
    # A box with an error names the element that shows it (after its hint, if it has one), in the summary's words.
    for name, box in (
        ("wrong password", "id_password"),
        ("empty sign-in", "id_username"),
        ("wrong code", "id_otp_token"),
    ):
        page = _page(pages[name])
        (linked,) = _summary(page).select(f'a[href="#{box}"]')
        error = page.find(id=page.select_one(f"#{box}")["aria-describedby"].split()[-1])
        assert _said(error) == f"Error: {_said(linked)}"


def test_no_empty_list_of_messages_is_on_either_page(client, superuser, password):
    """Upstream's sign-in and code pages kept an empty role="status" list for scripts to add to, and none does."""
    sign_in = _page(client.get("/admin/login/"))
    refused = _page(client.post("/admin/login/", {"username": superuser.email, "password": "not-it"}))
    _to_code_step(client, superuser, password)
    code = _page(client.get("/admin/2fa/auth?next=/admin/"))

    assert [page.select('[role="status"], .messages') for page in (sign_in, refused, code)] == [[], [], []]


def test_a_message_for_the_sign_in_page_is_still_shown_in_the_list(client, superuser):
    verified_login(client, superuser)

    response = client.post("/admin/logout/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    page = _page(response)
    assert [_said(li) for li in page.select('[role="status"] li')] == ["You have been signed out."]


def test_our_sign_in_page_is_upstreams_with_the_error_pattern():
    """cms/templates/wagtailadmin/login.html is a copy of Wagtail's with the changes below: when upstream changes its
    page, this fails: copy it again and make the same changes."""
    import difflib
    from pathlib import Path

    import wagtail
    from django.conf import settings

    upstream = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/login.html"
    ours = Path(settings.BASE_DIR) / "cms/templates/wagtailadmin/login.html"
    changed = [
        line[0] + line[1:].strip()
        for line in difflib.unified_diff(upstream.read_text().splitlines(), ours.read_text().splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and not line.startswith("+{% comment %}")
    ]
    removed = [line for line in changed if line.startswith("-")]
    assert removed == [
        "-{% load i18n wagtailadmin_tags %}",
        '-{% block titletag %}{% trans "Sign in" %}{% endblock %}',
        '-<h1>{% block branding_login %}{% trans "Sign in to Wagtail" %}{% endblock %}</h1>',
        '-<div class="messages" role="status">',
        "-{# Always show messages div so it can be appended to by JS #}",
        "-{% if messages or form.errors %}",
        "-<ul>",
        "-{% if form.errors %}",
        "-{% for error in form.non_field_errors %}",
        '-<li class="error">{{ error }}</li>',
        "-{% endfor %}",
        "-{% endif %}",
        "-{% for message in messages %}",
        '-<li class="{{ message.tags }}">{{ message }}</li>',
        "-{% endfor %}",
        "-</ul>",
        "-{% endif %}",
        "-</div>",
        "-{% block above_login %}{% endblock %}",
        "-{% formattedfield form.username %}",
        "-{% formattedfield form.password %}",
        "-{% formattedfield field %}",
    ]
