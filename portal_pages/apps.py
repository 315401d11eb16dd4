from django.apps import AppConfig


class PortalPagesConfig(AppConfig):
    name = "portal_pages"
    verbose_name = "Professionals' portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal_pages import signals  # noqa: F401
