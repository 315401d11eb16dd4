from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import bench_views, wagtail_2fa_compat  # noqa: F401 - bench_views registers its deploy check

        wagtail_2fa_compat.apply()
