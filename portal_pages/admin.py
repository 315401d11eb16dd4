"""django-filer's admin classes refer to the user model's admin, so one must be registered.

The Django admin site itself is not routed (staff use the Wagtail admin), so nothing here is served.
"""

from django.contrib import admin

from portal_pages.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    search_fields = ["email", "display_name", "first_name", "last_name"]
