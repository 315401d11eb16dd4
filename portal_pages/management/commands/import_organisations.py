"""manage.py import_organisations edubasealldata.csv --la 999 [--la "Another council"]: the council's schools and
settings from GIAS, created or updated by URN; closed establishments made inactive. Safe to run every night."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal_pages.services.organisations import organisations_import


class Command(BaseCommand):
    help = "Create or update organisations from a GIAS 'all establishment data' CSV, by URN."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="The GIAS CSV (edubasealldataYYYYMMDD.csv)")
        parser.add_argument(
            "--la",
            action="append",
            default=[],
            dest="local_authorities",
            help="A local authority's code or name to import (repeat for more); none: every row",
        )

    def handle(self, *args, **options):
        path = Path(options["csv"])
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            counts = organisations_import(data=path.read_bytes(), local_authorities=options["local_authorities"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        for problem in counts.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"{counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
            f"{counts.closed} closed, {counts.skipped} outside the chosen local authorities."
        )
