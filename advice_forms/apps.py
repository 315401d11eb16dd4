from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AdviceFormsConfig(AppConfig):
    name = "advice_forms"
    verbose_name = "Advice forms"
    default_auto_field = "django.db.models.BigAutoField"
    # The demo (manage.py load_demo_content) runs after portal_pages' demo, whose team accounts its requests are
    # shared with. demo_records (a document, an outcome and a contact on those requests) runs last, on the requests
    # casework_demo made.
    demo_modules = ("advice_forms.demo", "advice_forms.casework_demo", "advice_forms.demo_records")
    demo_after = ("portal_pages",)
    # Words other apps' demos show and this app keeps: the demo FAQ lists the Team and Type terms.
    demo_words = {"outcome_terms": "advice_forms.demo.outcome_terms_html"}

    def ready(self):
        from advice_forms import signals  # noqa: F401 - connects the publish receiver
        from advice_forms.casework_setup import ensure_after_migrate

        # After every migrate and flush: the caseworker group's permissions and the reminders schedule.
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="advice_forms.casework_setup")
