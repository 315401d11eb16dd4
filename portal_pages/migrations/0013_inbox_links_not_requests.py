"""An inbox message leads to a portal page by its path, instead of holding a key to advice_forms' request: the inbox
(portal_pages) no longer depends on the app above it. Every message that named a request gets that request's page."""

import re

from django.db import migrations, models

# The request page's path when this migration was written (portal:request_detail).
REQUEST_PATH = "/portal/requests/{}/"
REQUEST_LINK_TEXT = "Go to the request"


def links_from_requests(apps, schema_editor):
    InboxMessage = apps.get_model("portal_pages", "InboxMessage")
    for message in InboxMessage.objects.filter(advice_request__isnull=False).only("pk", "advice_request_id"):
        message.link = REQUEST_PATH.format(message.advice_request_id)
        message.link_text = REQUEST_LINK_TEXT
        message.save(update_fields=["link", "link_text"])


def requests_from_links(apps, schema_editor):
    InboxMessage = apps.get_model("portal_pages", "InboxMessage")
    pattern = re.compile(r"^/portal/requests/(\d+)/$")
    for message in InboxMessage.objects.exclude(link=""):
        matched = pattern.match(message.link)
        if matched:
            message.advice_request_id = int(matched.group(1))
            message.save(update_fields=["advice_request"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0012_requests_to_join"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboxmessage",
            name="link",
            field=models.CharField(
                blank=True, help_text="The portal page the message leads to (a path), e.g. the request's.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="inboxmessage",
            name="link_text",
            field=models.CharField(blank=True, help_text="The words of that link.", max_length=100),
        ),
        migrations.RunPython(links_from_requests, requests_from_links),
        migrations.RemoveField(
            model_name="inboxmessage",
            name="advice_request",
        ),
    ]
