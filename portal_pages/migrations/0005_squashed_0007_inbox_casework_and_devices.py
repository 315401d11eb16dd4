"""Inbox messages; a child's documents, outcomes, professional involvement, contributions and reported changes
(advice_forms 0006 takes them over, keeping these tables); and a daily django-q2 schedule that removes
authenticator devices never confirmed (portal_pages.tasks.devices_remove_unconfirmed): 0005 to 0007 squashed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cms.schedules import schedule_remove
from portal_pages.roles import UNCONFIRMED_DEVICES_SCHEDULE_NAME, unconfirmed_devices_schedule_ensure


def create_schedule(apps, schema_editor):
    unconfirmed_devices_schedule_ensure(apps)


def remove_schedule(apps, schema_editor):
    schedule_remove(apps, UNCONFIRMED_DEVICES_SCHEDULE_NAME)


class Migration(migrations.Migration):

    replaces = [('portal_pages', '0005_inbox_message'), ('portal_pages', '0006_documents_outcomes_involvement'), ('portal_pages', '0007_unconfirmed_devices_schedule')]

    dependencies = [
        ('advice_forms', '0001_squashed_0005_forms_and_casework'),
        ('django_q', '0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more'),
        ('filer', '0018_alter_file_options'),
        ('portal_pages', '0003_squashed_0004_roles_and_dormancy'),
    ]

    operations = [
        migrations.CreateModel(
            name='InboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('event_key', models.CharField(help_text='The event this message tells of.', max_length=200, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inbox_messages', to=settings.AUTH_USER_MODEL)),
                ('advice_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='inbox_messages', to='advice_forms.advicerequest')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['account', 'read_at'], name='portal_page_account_4e783e_idx')],
            },
        ),
        migrations.CreateModel(
            name='Contribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contribution_methods', models.JSONField(blank=True, default=list)),
                ('communication_methods', models.JSONField(blank=True, default=list)),
                ('interpreter_needed', models.BooleanField(default=False)),
                ('interpreter_language', models.CharField(blank=True, max_length=100)),
                ('parent_views', models.TextField(blank=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('advice_request', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contribution', to='advice_forms.advicerequest')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='DetailsChangeReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('details', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('advice_request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='advice_forms.advicerequest')),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='change_reports', to='advice_forms.childrecord')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('document_type', models.CharField(blank=True, help_text='The value of an option of the “Document types” dropdown list.', max_length=100)),
                ('original_filename', models.CharField(blank=True, help_text='Sanitised; kept as metadata only.', max_length=255)),
                ('size', models.PositiveIntegerField(default=0)),
                ('uploaded_by_name', models.CharField(blank=True, max_length=200)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                ('state', models.CharField(choices=[('current', 'Current'), ('withdrawn', 'Withdrawn by the uploader'), ('deleted', 'Deleted by a caseworker')], default='current', max_length=20)),
                ('state_changed_at', models.DateTimeField(blank=True, null=True)),
                ('state_reason', models.TextField(blank=True)),
                ('advice_request', models.ForeignKey(blank=True, help_text='The request it was uploaded through; empty for documents the SEND service added.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='advice_forms.advicerequest')),
                ('available_to', models.ManyToManyField(blank=True, help_text='Team accounts, besides the uploader, that may download it.', related_name='available_documents', to=settings.AUTH_USER_MODEL)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='advice_forms.childrecord')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='filer.file')),
                ('state_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='uploaded_documents', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-uploaded_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='AccessRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('advice_request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='advice_forms.advicerequest')),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_requests', to='portal_pages.document')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.TextField()),
                ('provision', models.TextField(blank=True)),
                ('timescale', models.CharField(blank=True, max_length=200)),
                ('version', models.PositiveIntegerField(default=1, help_text='Goes up by one at every save.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('state', models.CharField(choices=[('current', 'Current'), ('deleted', 'Deleted')], default='current', max_length=20)),
                ('deleted_at', models.DateTimeField(blank=True, null=True)),
                ('deleted_reason', models.TextField(blank=True)),
                ('advice_request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to='advice_forms.advicerequest')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to=settings.AUTH_USER_MODEL)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to='advice_forms.childrecord')),
                ('deleted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('need_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to='advice_forms.needtype', verbose_name='Type')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='outcomes', to='advice_forms.team')),
            ],
            options={
                'ordering': ['need_type__sort_order', 'need_type__code', 'team__sort_order', 'team__code', 'created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProfessionalContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('role', models.CharField(max_length=200)),
                ('organisation', models.CharField(blank=True, max_length=200)),
                ('email', models.EmailField(blank=True, max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('state', models.CharField(choices=[('current', 'Current'), ('removed', 'Removed')], default='current', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('advice_request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='professional_contacts', to='advice_forms.advicerequest')),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='professional_contacts', to='advice_forms.childrecord')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='professional_contacts', to='advice_forms.team')),
            ],
            options={
                'ordering': ['team__sort_order', 'team__code', 'name', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['child', 'state'], name='portal_page_child_i_19eb45_idx'),
        ),
        migrations.AddConstraint(
            model_name='accessrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('resolved_at__isnull', True)), fields=('document', 'account'), name='one_open_access_request_per_document_account'),
        ),
        migrations.AddIndex(
            model_name='outcome',
            index=models.Index(fields=['child', 'state'], name='portal_page_child_i_761c3e_idx'),
        ),
        migrations.RunPython(
            code=create_schedule,
            reverse_code=remove_schedule,
        ),
    ]
