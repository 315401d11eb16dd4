"""The visual guides' captures against the portal as it is now: every capture of the demo guides is taken
in one Chromium, so a screen that changes under a guide fails here until the guide's capture is mended; a capture
that cannot find what it names fails with the guide, the step, the line and the text it looked for."""

from io import BytesIO, StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from cms.demo import demo_words
from faq import demo_content
from faq.captures import CaptureRunner, captures_run, guide_captures
from faq.management.commands.capture_guides import captures_take
from faq.models import VisualGuidePage
from faq.services import CAPTURED_TITLE_PREFIX, guide_captures_save
from tests.conftest import seed_migrated_rows
from tests.factories.cms import published
from tests.factories.faq import VisualGuidePageFactory, step
from tests.otp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = b"\x89PNG\r\n\x1a\n"


def _code_for(email):
    device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).order_by("pk").first()
    return current_code(device) if device else None


def _emails_to(address):
    return [message.body for message in mail.outbox if address.lower() in (to.lower() for to in message.to)]


def _server(live_server):
    return SimpleNamespace(base_url=live_server.url, code_for=_code_for, emails_to=_emails_to)


def test_every_capture_of_the_demo_guides_is_taken_and_put_on_its_step(browser, live_server):
    seed_migrated_rows()  # an earlier browser test's flush took the root page, groups and terms
    call_command("load_demo_content", stdout=StringIO())
    guides = list(VisualGuidePage.objects.order_by("path"))
    captures = guide_captures(guides)
    assert len(captures) == sum(len(steps) for *_, steps in demo_content.GUIDES)
    runner = CaptureRunner(browser, password=demo_words("demo_password"), **vars(_server(live_server)))

    pictures = captures_run(runner, captures)  # CaptureFailed names the guide, step, line and text if one fails
    saved = guide_captures_save(pictures=pictures)

    assert len(saved.guides) == len(guides)
    for capture, png in pictures:
        assert png.startswith(PNG)
        width, height = Image.open(BytesIO(png)).size
        assert width <= (390 if capture.width == "phone" else 1200) and height > 100
    alt_texts = {slug: [alt for _h, _t, alt, _c, _w in steps] for slug, _t, _i, steps in demo_content.GUIDES}
    for guide in guides:
        guide.refresh_from_db()
        assert not guide.has_unpublished_changes  # published again
        steps = [child.value for child in guide.steps]
        assert [value["alt_text"] for value in steps] == alt_texts[guide.slug]
        for position, value in enumerate(steps, start=1):
            png = {(c.guide.pk, c.position): p for c, p in pictures}[guide.pk, position]
            assert value["image"].title.startswith(CAPTURED_TITLE_PREFIX)
            with value["image"].file.open("rb") as stored:
                assert stored.read() == png


def test_a_capture_that_no_longer_finds_its_button_fails_naming_guide_step_line_and_text(
    browser, live_server, home_page
):
    guide = published(
        VisualGuidePageFactory(
            parent=home_page,
            title="Signing in",
            slug="signing-in",
            steps=[
                step("See the sign-in page", None, capture="go to /portal/sign-in/\nshow page"),
                step("Continue", None, capture="go to /portal/sign-in/\nclick Sign in now\nshow page"),
            ],
        )
    )
    with pytest.raises(CommandError) as failure:
        captures_take(browser, _server(live_server), guide_captures([guide]))

    message = str(failure.value)
    assert f"Guide “Signing in” (id {guide.pk}), step 2 “Continue”, line 2" in message
    assert "nothing on /portal/sign-in/ matches “Sign in now”" in message
