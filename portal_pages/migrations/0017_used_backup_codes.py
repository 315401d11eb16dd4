"""Backup codes that have signed an account in, as keyed hashes, so the sign-in can say that a code typed again
has been used rather than that it is wrong."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('otp_static', '0003_add_timestamps'),
        ('portal_pages', '0016_portal_settings_editors'),
    ]

    operations = [
        migrations.CreateModel(
            name='UsedBackupCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code_hash', models.CharField(max_length=64)),
                ('used_at', models.DateTimeField(auto_now_add=True)),
                ('device', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='used_codes', to='otp_static.staticdevice')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('device', 'code_hash'), name='used_backup_code_once')],
            },
        ),
    ]
