"""Write a form definition as a form definition file (docs/form-definition-format.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advice_forms.selectors import definitions_by_slug
from advice_forms.services.definition_files import form_definition_export


class Command(BaseCommand):
    help = (
        "Write a form definition (as the editor holds it) as JSON, to standard output or a file. Name it by the "
        "slug of its title, e.g. request-for-an-ehc-needs-assessment-ersa, or by its id."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The slug of the definition's title, or its id.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, *args, slug, output=None, **options):
        found = definitions_by_slug(slug)
        if not found:
            raise CommandError(f"No form definition has the slug or id '{slug}'.")
        if len(found) > 1:
            ids = ", ".join(str(definition.pk) for definition in found)
            raise CommandError(f"Several form definitions have the slug '{slug}' (ids {ids}): name one by its id.")
        text = form_definition_export(definition=found[0])
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote “{found[0].title}” to {output}.")
        else:
            self.stdout.write(text, ending="")
