from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import wagtail_2fa_compat

        wagtail_2fa_compat.apply()
        self._connect_page_cache_invalidation()

    def _connect_page_cache_invalidation(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

        from cms.cache import page_cache_clear
        from cms.models import PortalSettings

        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(page_cache_clear, dispatch_uid=f"page_cache_clear_{id(signal)}")
        post_save.connect(page_cache_clear, sender=PortalSettings, dispatch_uid="page_cache_clear_settings")
        post_delete.connect(page_cache_clear, sender="wagtailcore.Page", dispatch_uid="page_cache_clear_delete")
        # A kept 404 is served before the redirects middleware runs: a new or changed redirect must empty the cache.
        for signal in (post_save, post_delete):
            signal.connect(
                page_cache_clear,
                sender="wagtailredirects.Redirect",
                dispatch_uid=f"page_cache_clear_redirect_{id(signal)}",
            )
