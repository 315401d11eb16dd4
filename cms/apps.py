import logging

from django.apps import AppConfig
from django.conf import settings


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import (
            checks,  # noqa: F401 - registers the deploy checks
            django_q_compat,
            error_reporting,
            wagtail_2fa_compat,
            wagtail_export_compat,
            wagtail_history_compat,
            wagtail_mail_compat,
            wagtail_sidebar_compat,
        )

        django_q_compat.apply()
        wagtail_2fa_compat.apply()
        wagtail_export_compat.apply()
        wagtail_history_compat.apply()
        wagtail_mail_compat.apply()
        wagtail_sidebar_compat.apply()
        error_reporting.sentry_init_from_settings()
        if settings.LOG_FORMAT == "json":
            # Python's warnings become log lines (logger py.warnings), so every line of the stream is JSON.
            logging.captureWarnings(True)
        self._connect_page_cache_invalidation()
        self._connect_search_vocabulary_invalidation()
        self._connect_guidance_publication()
        self._connect_task_signals()
        self._connect_log_entry_labels()
        self._connect_document_accessibility()

    def _connect_document_accessibility(self):
        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model_string

        from cms.document_accessibility import document_accessibility_keep

        post_save.connect(
            document_accessibility_keep, sender=get_document_model_string(), dispatch_uid="document_accessibility"
        )

    def _connect_log_entry_labels(self):
        from django.db.models.signals import pre_save

        from cms.models import log_entry_label_by_id

        pre_save.connect(log_entry_label_by_id, sender="wagtailcore.ModelLogEntry", dispatch_uid="log_entry_label")

    def _connect_task_signals(self):
        from django_q.signals import post_execute, post_execute_in_worker, pre_enqueue, pre_execute

        from cms import logs, tasks

        pre_enqueue.connect(logs.task_request_id_attach, dispatch_uid="task_request_id_attach")
        pre_execute.connect(logs.task_request_id_start, dispatch_uid="task_request_id_start")
        post_execute_in_worker.connect(logs.task_request_id_end, dispatch_uid="task_request_id_end")
        post_execute.connect(logs.task_request_id_result, dispatch_uid="task_request_id_result")
        # What django-q2 keeps of a failed task: its error without an address, and only the newest of the same work.
        post_execute_in_worker.connect(tasks.failure_error_mask, dispatch_uid="cms.tasks.failure_error_mask")
        post_execute.connect(tasks.failures_replace, dispatch_uid="cms.tasks.failures_replace")

    def _connect_page_cache_invalidation(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.documents import get_document_model_string
        from wagtail.images import get_image_model_string
        from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

        from cms.cache import page_cache_clear
        from cms.models import PortalSettings
        from cms.site_settings import site_settings_saved, site_settings_site_deleted, site_settings_site_saved

        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(page_cache_clear, dispatch_uid=f"page_cache_clear_{id(signal)}")
        post_save.connect(page_cache_clear, sender=PortalSettings, dispatch_uid="page_cache_clear_settings")
        post_save.connect(site_settings_saved, sender=PortalSettings, dispatch_uid="site_settings_saved")
        # The error pages find the request's site in a list of every site kept beside the contacts (cms.site_settings).
        post_save.connect(site_settings_site_saved, sender="wagtailcore.Site", dispatch_uid="site_settings_site_saved")
        post_delete.connect(
            site_settings_site_deleted, sender="wagtailcore.Site", dispatch_uid="site_settings_site_deleted"
        )
        post_delete.connect(page_cache_clear, sender="wagtailcore.Page", dispatch_uid="page_cache_clear_delete")
        # A kept page links to a document, or shows a picture, by its address: once the document or image is deleted
        # (its file with it) a kept copy would offer a link to nothing and an empty picture until it expired.
        for sender in (get_document_model_string(), get_image_model_string()):
            post_delete.connect(page_cache_clear, sender=sender, dispatch_uid=f"page_cache_clear_{sender}_delete")
        # A kept redirect is served before the redirects middleware runs: a changed redirect must empty the cache.
        # A kept page is served without Wagtail's privacy check: making it (or a page above it) private, or public
        # again, must empty the cache, or the copy kept while it was public goes on being served to anyone.
        # A site's new host name or root changes every kept page's links; a topic (tag) renamed or deleted changes
        # the related content kept for each page that had it (cms/navigation.py).
        for signal in (post_save, post_delete):
            for sender in (
                "wagtailredirects.Redirect",
                "wagtailcore.PageViewRestriction",
                "wagtailcore.Site",
                "taggit.Tag",
            ):
                signal.connect(page_cache_clear, sender=sender, dispatch_uid=f"page_cache_clear_{sender}_{id(signal)}")

    def _connect_search_vocabulary_invalidation(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.search_spelling import guidance_vocabulary_clear

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(guidance_vocabulary_clear, dispatch_uid=f"guidance_vocabulary_clear_{id(signal)}")
        post_delete.connect(
            guidance_vocabulary_clear, sender="wagtailcore.Page", dispatch_uid="guidance_vocabulary_page"
        )
        # The words of the searches editors promote pages for are words of the guidance too.
        for signal in (post_save, post_delete):
            for sender in ("wagtailsearchpromotions.Query", "wagtailsearchpromotions.SearchPromotion"):
                signal.connect(
                    guidance_vocabulary_clear, sender=sender, dispatch_uid=f"guidance_vocabulary_{sender}_{id(signal)}"
                )

    def _connect_guidance_publication(self):
        from django.db.models.signals import post_migrate
        from wagtail.signals import page_published

        page_published.connect(_guidance_page_published, dispatch_uid="guidance_page_published")
        post_migrate.connect(_schedules_after_migrate, sender=self, dispatch_uid="schedules_ensure")


def _guidance_page_published(sender, instance, revision=None, **kwargs):
    from cms.models import GuidancePage
    from cms.services import guidance_page_published

    if isinstance(instance, GuidancePage):
        guidance_page_published(page=instance, revision=revision)


def _schedules_after_migrate(sender, apps=None, **kwargs):
    """After every `migrate`, and after a flush (as transactional tests do), the scheduled publishing, the weekly
    review reminders, the nightly removal of expired sessions, the nightly clearing of old sent emails' bodies and
    the nightly removal of old failed tasks exist."""
    from django.apps import apps as global_apps

    from cms.schedules import (
        failed_tasks_schedule_ensure,
        migrated,
        publish_schedule_ensure,
        review_schedule_ensure,
        sent_email_bodies_schedule_ensure,
        sessions_schedule_ensure,
    )

    apps = apps or global_apps
    if not migrated(apps, "django_q", "cms"):
        return
    publish_schedule_ensure(apps)
    review_schedule_ensure(apps)
    sessions_schedule_ensure(apps)
    sent_email_bodies_schedule_ensure(apps)
    failed_tasks_schedule_ensure(apps)
