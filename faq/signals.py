"""Printables follow their page. Every publish of an FAQ page or a visual guide (from the admin, a schedule or a
management command: Wagtail sends page_published for each) queues the rendering of its printable; an unpublish
removes the printable; a deleted printable's file goes with it (a page's deletion deletes its printable). Deleting a
document or image withdraws the printables that show or link to it, and queues their rendering again."""

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model_string
from wagtail.images import get_image_model_string
from wagtail.signals import page_published, page_unpublished

from faq.models import FAQPage, GuidancePrintable, VisualGuidePage
from faq.printable_withdrawals import printables_withdraw_using
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


# Before the file goes (in its transaction, so a deletion rolled back withdraws nothing), whether the admin, a bulk
# action or code deletes it.
@receiver(pre_delete, sender=get_document_model_string(), dispatch_uid="faq_printables_withdraw_document")
def printables_withdraw_on_document_delete(sender, instance, **kwargs):
    printables_withdraw_using(kind="document", file=instance)


@receiver(pre_delete, sender=get_image_model_string(), dispatch_uid="faq_printables_withdraw_image")
def printables_withdraw_on_image_delete(sender, instance, **kwargs):
    printables_withdraw_using(kind="image", file=instance)
