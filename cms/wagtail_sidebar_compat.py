"""The one place where the admin sidebar's account menu says "Sign out", as the portal, the admin's sign-in pages
("You have been signed out.") and the idle-timeout dialog do, never Wagtail's "Log out".

Wagtail 7.4 builds that menu inside the ``sidebar_props`` template tag (``wagtailadmin_tags``): an "Account" link
and an action named ``logout`` labelled "Log out", with no hook to change them (``construct_main_menu`` sees only
the main menu, ``register_account_menu_item`` only the account settings page). Both reach the page through
``MainMenuModule``, whose ``js_args`` are packed into the sidebar's JSON props; ``apply`` relabels the ``logout``
item there, so nothing else of the menu or the tag is copied.

tests/cms/test_admin_sign_in_words.py fails when Wagtail builds the account menu another way.
"""

from django.utils.translation import gettext_lazy as _

SIGN_OUT = _("Sign out")


def apply():
    from wagtail.admin.ui import sidebar

    original_js_args = sidebar.MainMenuModule.js_args

    def js_args(self):
        for item in self.account_menu_items:
            if item.name == "logout":
                item.label = SIGN_OUT
        return original_js_args(self)

    sidebar.MainMenuModule.js_args = js_args
