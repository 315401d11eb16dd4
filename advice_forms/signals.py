"""Every publish of a form definition, from the admin or a service, freezes a numbered version and is audited."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import published

from advice_forms.models import FormDefinition
from advice_forms.services.definitions import version_freeze


@receiver(published, sender=FormDefinition)
def freeze_published_version(sender, instance, revision, **kwargs):
    # Wagtail sends `published` for a first publish scheduled for later too, with nothing live yet: the version is
    # frozen when the schedule publishes it.
    if not instance.live:
        return
    with transaction.atomic():
        version_freeze(definition=instance, revision=revision)
