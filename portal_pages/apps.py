from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class PortalPagesConfig(AppConfig):
    name = "portal_pages"
    default = True  # the app's config; StaffUsersAppConfig below is wagtail.users'
    verbose_name = "Professionals' portal"
    default_auto_field = "django.db.models.BigAutoField"
    # The demo accounts' password, for the guides' captures that sign in as them (faq's capture_guides).
    demo_words = {"demo_password": "portal_pages.demo.demo_password"}

    def ready(self):
        from django_q.signals import post_execute_in_worker

        from portal_pages import signals  # noqa: F401
        from portal_pages.roles import ensure_after_migrate
        from portal_pages.tasks import arguments_forget

        # What a person typed into a "we have emailed you if..." page is not kept with the task that handled it.
        post_execute_in_worker.connect(arguments_forget, dispatch_uid="portal_pages.tasks.arguments_forget")

        # After every migrate and flush (the last app's signal, so all permissions exist by then).
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="portal_pages.roles")


class StaffUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user and group screens, for superusers only (see portal_pages.admin_views): they grant roles."""

    user_viewset = "portal_pages.admin_views.StaffUserViewSet"
    group_viewset = "portal_pages.admin_views.StaffGroupViewSet"
