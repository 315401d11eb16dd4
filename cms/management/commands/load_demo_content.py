from importlib import import_module

from django.core.management.base import BaseCommand

from cms.models import HomePage

# Each app adds its loader here; they run in this order, and each is safe to run again.
DEMO_LOADERS = [
    "cms.demo",
    "faq.demo",
    "portal_pages.demo",
    "advice_forms.demo",
    "advice_forms.casework_demo",
    "portal_pages.demo_records",
]


class Command(BaseCommand):
    help = "Create or refresh the fictional council's demo content. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the site has no home page yet (what `make run` does, to keep your changes).",
        )

    def handle(self, *args, if_empty=False, **options):
        loaders = [import_module(name) for name in DEMO_LOADERS]
        if if_empty and HomePage.objects.exists():
            self.stdout.write("Demo content is already loaded; `make demo` reloads it.")
        else:
            for loader in loaders:
                loader.load(self.stdout)
        self.stdout.write("")
        self.stdout.write("Demo sign-ins:")
        for loader in loaders:
            for line in getattr(loader, "sign_ins", list)():
                self.stdout.write(f"  {line}")
