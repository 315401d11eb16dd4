"""Printables follow their page. Every publish of an FAQ page or a visual guide (from the admin, a schedule or a
management command: Wagtail sends page_published for each) queues the rendering of its printable; an unpublish
removes the printable; a deleted printable's file goes with it (a page's deletion deletes its printable)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from faq.models import FAQPage, GuidancePrintable, VisualGuidePage
from faq.printables import printable_queue
from faq.services import printable_remove


@receiver(page_published, sender=FAQPage, dispatch_uid="faq_printable_queue_faq")
@receiver(page_published, sender=VisualGuidePage, dispatch_uid="faq_printable_queue_guide")
def printable_queue_on_publish(sender, instance, revision=None, alias=False, **kwargs):
    if alias:
        return  # an alias serves its original's printable, which the original's publish queued
    printable_queue(page_id=instance.pk, revision_id=revision.pk if revision else instance.live_revision_id)


@receiver(page_unpublished, sender=FAQPage, dispatch_uid="faq_printable_remove_faq")
@receiver(page_unpublished, sender=VisualGuidePage, dispatch_uid="faq_printable_remove_guide")
def printable_remove_on_unpublish(sender, instance, **kwargs):
    printable_remove(page_id=instance.pk)


@receiver(post_delete, sender=GuidancePrintable, dispatch_uid="faq_printable_file_delete")
def printable_file_delete(sender, instance, **kwargs):
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
