from django.core.management.base import BaseCommand

from cms.document_accessibility import document_accessibility_check_all


class Command(BaseCommand):
    help = (
        "Read each guidance PDF with nothing kept about what it lacks that screen readers need (uploaded before the "
        "portal kept it), and keep it, so its edit page shows the warning. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="every", help="Read every guidance PDF again.")

    def handle(self, *args, every=False, **options):
        self.stdout.write(str(document_accessibility_check_all(every=every)))
