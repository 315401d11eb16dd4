"""A child's documents, outcomes, professional involvement, contributions and reported changes now belong to
advice_forms (its migration 0006 takes them into its state and relabels their content types): they leave this
app's migration state only; their tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal_pages", "0005_squashed_0007_inbox_casework_and_devices"),
        ("advice_forms", "0006_move_casework_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AccessRequest"),
                migrations.DeleteModel(name="Document"),
                migrations.DeleteModel(name="Outcome"),
                migrations.DeleteModel(name="ProfessionalContact"),
                migrations.DeleteModel(name="Contribution"),
                migrations.DeleteModel(name="DetailsChangeReport"),
            ],
        ),
    ]
