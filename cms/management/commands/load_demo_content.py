"""`manage.py load_demo_content`: every installed app's demo, asked of the app itself, so cms names no other app.

An app offers its demo through its AppConfig: ``demo_modules``, the dotted names of modules that each have
``load(out)`` (idempotent) and may have ``sign_ins()``, the lines to sign in with those of its demo accounts that
exist; an app that declares none and has a ``demo`` module offers that one. Apps run in the order of INSTALLED_APPS,
except that an app runs after every app its ``demo_after`` names.

``--if-empty`` (what `make run` and `make serve-prod` do) loads nothing once there is a home page, but still moves the
demo's own Site to WAGTAILADMIN_BASE_URL's host and port (cms.demo.site_address_follow), so the demo's emails link to
the port served. It says which it found: the demo (its accounts exist), or content of the database's own, where no
demo account exists and no sign-ins are printed.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from cms.demo import demo_tools_allowed, site_address_follow
from cms.models import HomePage


def _app_demo_modules(config):
    declared = getattr(config, "demo_modules", None)
    if declared is not None:
        return list(declared)
    return [f"{config.name}.demo"] if module_has_submodule(config.module, "demo") else []


def demo_loaders():
    """The demo modules of every installed app, each app after the apps its ``demo_after`` names."""
    ordered, placed = [], set()

    def place(config):
        if config.label in placed:
            return
        placed.add(config.label)
        for label in getattr(config, "demo_after", ()):
            place(apps.get_app_config(label))
        ordered.append(config)

    for config in apps.get_app_configs():
        place(config)
    return [import_module(name) for config in ordered for name in _app_demo_modules(config)]


def _sign_ins(loaders):
    return [line for loader in loaders for line in getattr(loader, "sign_ins", list)()]


class Command(BaseCommand):
    help = "Create or refresh the fictional council's demo content. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the site has no home page yet (what `make run` does, to keep your changes).",
        )

    def handle(self, *args, if_empty=False, **options):
        demo_tools_allowed("load_demo_content")
        loaders = demo_loaders()
        if if_empty and HomePage.objects.exists():
            if _sign_ins(loaders):
                self.stdout.write("Demo content is already loaded; `make demo` reloads it.")
            else:
                self.stdout.write(
                    "This database already has content of its own (a home page and no demo accounts), so the demo "
                    "content was not loaded and there are no demo sign-ins."
                )
            site_address_follow(self.stdout)
        else:
            for loader in loaders:
                loader.load(self.stdout)
        lines = _sign_ins(loaders)
        if lines:
            self.stdout.write("")
            self.stdout.write("Demo sign-ins:")
            for line in lines:
                self.stdout.write(f"  {line}")
