from django.db import migrations, models


class Migration(migrations.Migration):
    """Printables stored so far were rendered with relative links ("/help/..."): version 1, stale against the
    renderer's 2, so the next visit's task (or printable_render_stale) renders each again."""

    dependencies = [
        ("faq", "0006_guide_step_captures"),
    ]

    operations = [
        migrations.AddField(
            model_name="guidanceprintable",
            name="render_version",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
    ]
