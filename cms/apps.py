from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import wagtail_2fa_compat

        wagtail_2fa_compat.apply()
