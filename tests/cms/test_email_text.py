"""Plain-text emails read as written: Django's HTML autoescaping made "Children's" read "Children&#x27;s" and
"<b>" read "&lt;b&gt;". Every .txt email is rendered by cms.emails.email_text_render, one rule for all of them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from advice_forms.services.coordinators import coordinator_notify
from cms.models import PortalSettings
from portal_pages.services.inbox import inbox_message_send
from tests.factories.accounts import UserFactory
from tests.factories.advice_forms import ChildRecordFactory

WORDS = "Children's & <b>"


@pytest.fixture
def named(home_page):
    """The council's and the service's names hold an apostrophe, an ampersand and a tag."""
    PortalSettings.objects.filter(site__is_default_site=True).update(
        council_name=f"{WORDS} Council", service_name=f"{WORDS} Portal"
    )


def test_a_portal_email_reads_the_names_as_written(client, professional, named, requests_commit):
    client.post("/portal/password-reset/", {"email": professional.email})

    [email] = mail.outbox
    assert f"your account on the {WORDS} Portal." in email.body
    assert email.body.rstrip().endswith(f"{WORDS} Council SEND service")
    assert "&#x27;" not in email.body and "&amp;" not in email.body and "&lt;" not in email.body


def test_the_inbox_email_reads_the_names_as_written(db, named, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inbox_message_send(account=UserFactory(), subject="New request", body="About a child", event_key="test:1")

    [email] = mail.outbox
    assert f"You have a new message in the {WORDS} Portal." in email.body
    assert email.body.rstrip().endswith(f"{WORDS} Council SEND service")


def test_a_coordinators_email_reads_the_names_as_written(db, named, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_notify(
            child=ChildRecordFactory(),
            key="test:1",
            news="asked for access to a document",
            template="document_access_requested",
            admin_url_name="review_queue:index",
        )

    [email] = mail.outbox
    assert f"in the {WORDS} Portal." in email.body and email.body.rstrip().endswith(f"{WORDS} Council SEND service")


def test_the_admins_reset_email_reads_the_site_name_as_written(client, superuser, settings, requests_commit):
    settings.WAGTAIL_SITE_NAME = WORDS
    client.post("/admin/password_reset/", {"email": superuser.email})

    [email] = mail.outbox
    assert email.subject == f"Reset your password for the {WORDS} staff admin"
    assert f"your account on the {WORDS} staff admin." in email.body


def test_no_code_renders_a_text_template_but_the_one_function():
    """A .txt template rendered with render_to_string is escaped for HTML: every one goes through
    cms.emails.email_text_render instead, so a new email cannot miss the rule."""
    base = Path(settings.BASE_DIR)
    text_render = re.compile(
        r"render_to_string\(\s*(f?[\"'][^\"']*\.txt[\"']|subject_template_name|email_template_name)"
    )
    offenders = [
        str(path.relative_to(base))
        for app in ("cms", "faq", "advice_forms", "portal_pages")
        for path in (base / app).rglob("*.py")
        if text_render.search(path.read_text())
    ]
    assert offenders == []
