from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ and visual guides"
    default_auto_field = "django.db.models.BigAutoField"
    # The demo's pages are owned by the demo content editor, whom portal_pages' demo creates.
    demo_after = ("portal_pages",)

    def ready(self):
        from faq import signals  # noqa: F401 - connects the printables' publish, unpublish and delete receivers
