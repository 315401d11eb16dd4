"""Create a form definition from a form definition file (docs/form-definition-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advice_forms.definition_format import MAX_FILE_BYTES, FileRefused
from advice_forms.services.definition_files import Lookups, form_definition_import


class Command(BaseCommand):
    help = (
        "Create a form definition (a draft, unless --publish) from a form definition file. Nothing is created "
        "when anything in the file is wrong: each problem is printed with its place."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file, as export_form_definition writes it.")
        parser.add_argument(
            "--lookups",
            choices=Lookups.values,
            default=Lookups.MATCH,
            help="match: use this portal's dropdown lists (by name) and Team and Type terms (by code), and refuse a "
            "file that names others; create: also create the missing ones from the file. Default: match. A new "
            "portal has no lists or terms yet: import its first forms with --lookups create.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the new definition's first version.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; create nothing.")

    def handle(self, *args, file, lookups, publish=False, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB; nothing was created.")
        try:
            summary = form_definition_import(raw=path.read_bytes(), lookups=lookups, publish=publish, dry_run=dry_run)
        except FileRefused as refused:
            if refused.whole_file:  # the file cannot be read at all: a line says why (one a limit it is over)
                raise CommandError(f"Nothing was created. {'. '.join(refused.messages)}.") from None
            problems = "\n".join(f"- {m}" for m in refused.messages)
            if refused.only_missing_lookups:
                problems += (
                    "\nThe file describes each of these dropdown lists and terms, and this portal does not have them "
                    "yet: run the command again with --lookups create to create them from the file."
                )
            if refused.at_publish:
                problems += "\nThese stop only publishing, not the import: fix them too.\n" + "\n".join(
                    f"- {m}" for m in refused.at_publish
                )
            raise CommandError(f"Nothing was created. The file has these problems:\n{problems}") from None
        done = "Would create" if dry_run else "Created"
        what = "published" if summary.published else "draft"
        self.stdout.write(
            f"{done} a {what} form definition with {len(summary.sections)} sections and "
            f"{summary.question_count} questions."
        )
        if summary.definition is not None:
            self.stdout.write(f"Its id is {summary.definition.pk}.")
        if summary.namesake_warning:
            self.stdout.write(self.style.WARNING(summary.namesake_warning))
        for label, names in (
            ("Dropdown lists matched", summary.lists_matched),
            ("Dropdown lists created", summary.lists_created),
            ("Matched lists whose options differ from the file's", summary.lists_differing),
            ("Terms matched", summary.terms_matched),
            ("Terms created", summary.terms_created),
        ):
            if names:
                self.stdout.write(f"{label}: {', '.join(names)}")
