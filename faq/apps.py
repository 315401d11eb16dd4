from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"
    verbose_name = "FAQ and visual guides"
    default_auto_field = "django.db.models.BigAutoField"
