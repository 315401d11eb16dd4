"""The three banners autosave.js shows when a Save is pressed with no connection (held), when the typing is then
saved (ready) and when the server answers without saving (refused) are rendered on every step as templates, each with
exactly this markup: the page's script copies them as they are, so a change to one shows as a change here."""

import pytest
from django.urls import reverse

from tests.factories.advice_forms import AdviceRequestFactory

pytestmark = pytest.mark.django_db

HELD = (
    "      <template data-autosave-held>\n"
    '        <div class="govuk-notification-banner" role="alert" aria-labelledby="advice-offline-title" '
    'tabindex="-1" id="advice-offline">\n'
    '          <div class="govuk-notification-banner__header"><h2 '
    'class="govuk-notification-banner__title" id="advice-offline-title">Important</h2></div>\n'
    '          <div class="govuk-notification-banner__content">\n'
    '            <p class="govuk-notification-banner__heading" data-unavailable-words="The portal is not '
    'working at the moment, so this page was not saved">There is no internet connection, so this page '
    "was not saved</p>\n"
    '            <p class="govuk-body" data-unavailable-words="What you typed is kept on this page. Keep '
    'this page open: your answers will be saved as soon as the portal is working again.">What you typed '
    "is kept on this page. Keep this page open: your answers will be saved as soon as the connection is "
    "back.</p>\n"
    '            <p class="govuk-body" data-autosave-file-words hidden>The file you chose is sent when '
    "you press the button again once the connection is back.</p>\n"
    "          </div>\n"
    "        </div>\n"
    "      </template>\n"
)

READY = (
    "      <template data-autosave-ready>\n"
    '        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" '
    'aria-labelledby="advice-offline-title" tabindex="-1" id="advice-offline">\n'
    '          <div class="govuk-notification-banner__header"><h2 '
    'class="govuk-notification-banner__title" id="advice-offline-title">Success</h2></div>\n'
    '          <div class="govuk-notification-banner__content">\n'
    '            <p class="govuk-notification-banner__heading">The connection is back and your answers '
    "are saved</p>\n"
    '            <p class="govuk-body">Press “<span data-autosave-button-name></span>” again to go '
    "on.</p>\n"
    '            <p class="govuk-body" data-autosave-file-words hidden>The file you chose is sent when '
    "you do.</p>\n"
    "          </div>\n"
    "        </div>\n"
    "      </template>\n"
)

REFUSED = (
    "      <template data-autosave-refused>\n"
    '        <div class="govuk-notification-banner" role="alert" aria-labelledby="advice-offline-title" '
    'tabindex="-1" id="advice-offline">\n'
    '          <div class="govuk-notification-banner__header"><h2 '
    'class="govuk-notification-banner__title" id="advice-offline-title">Important</h2></div>\n'
    '          <div class="govuk-notification-banner__content">\n'
    '            <p class="govuk-notification-banner__heading">The connection is back, but this page was '
    "not saved</p>\n"
    '            <p class="govuk-body">The portal could not save your answers, so “<span '
    "data-autosave-button-name></span>” was not done. What you typed is still on this page.</p>\n"
    '            <p class="govuk-body" data-autosave-refused-advice>Press “<span '
    "data-autosave-button-name></span>” again. If the page is still not saved, copy what you typed into "
    "another document before you leave this page.</p>\n"
    "          </div>\n"
    "        </div>\n"
    "      </template>\n"
)


@pytest.mark.parametrize(
    ("marker", "expected"),
    [("data-autosave-held", HELD), ("data-autosave-ready", READY), ("data-autosave-refused", REFUSED)],
    ids=["held", "ready", "refused"],
)
def test_each_offline_banner_is_rendered_with_its_markup(verified_client, professional, small_form, marker, expected):
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form)
    url = reverse("portal:request_step", kwargs={"pk": advice_request.pk, "step": "about"})

    page = verified_client.get(url).content.decode()

    start = page.index(f"      <template {marker}>")
    end = page.index("</template>\n", start) + len("</template>\n")
    assert page[start:end] == expected
    assert page.count(f"<template {marker}>") == 1
