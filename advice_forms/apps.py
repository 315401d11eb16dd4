from django.apps import AppConfig


class AdviceFormsConfig(AppConfig):
    name = "advice_forms"
    verbose_name = "Advice forms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice_forms import signals  # noqa: F401 - connects the publish receiver
