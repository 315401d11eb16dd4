from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AdviceFormsConfig(AppConfig):
    name = "advice_forms"
    verbose_name = "Advice forms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advice_forms import signals  # noqa: F401 - connects the publish receiver
        from advice_forms.casework_setup import ensure_after_migrate

        # After every migrate and flush: the caseworker group's permissions and the reminders schedule.
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="advice_forms.casework_setup")
