from django.core.management.base import BaseCommand

from faq.services import printable_render_stale


class Command(BaseCommand):
    help = (
        "Make again, now, the printable PDF of every live FAQ page and visual guide whose printable is missing, older "
        "than its page or made by an older renderer (after a release that changes printables). Safe to repeat."
    )

    def handle(self, *args, **options):
        made = printable_render_stale()
        self.stdout.write(f"Made {made} printable{'' if made == 1 else 's'}.")
