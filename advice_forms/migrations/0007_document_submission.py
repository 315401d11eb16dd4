"""A Document may be a submission's final PDF: it names the submission it was filed for (one Document per
submission), and is dated when that was submitted rather than when the task filed it. 0008 files the PDFs
submitted before this."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("advice_forms", "0006_move_casework_models"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="submission",
            field=models.OneToOneField(
                blank=True,
                help_text="The submitted version (its reference and form version) whose final PDF this is; empty for uploads.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document",
                to="advice_forms.submission",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="uploaded_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
