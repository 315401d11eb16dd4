from django.apps import AppConfig


class AdviceFormsConfig(AppConfig):
    name = "advice_forms"
    verbose_name = "Advice forms"
    default_auto_field = "django.db.models.BigAutoField"
