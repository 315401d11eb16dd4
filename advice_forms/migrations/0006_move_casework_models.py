"""A child's documents, outcomes, professional involvement, contributions and reported changes join the rest of
its casework in advice_forms, keeping their tables (db_table) and rows.

The models are created here in the migration state only (the tables exist already, made by
portal_pages 0006), and portal_pages 0008 drops them from its state without touching the database.
Their content types are relabelled here, in the same migration, so Django never makes new ones: the
permissions that hang on them (and the role groups holding those) and the audit entries that point at
them through their content type follow the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import migrations, models

MOVED_MODELS = ["accessrequest", "contribution", "detailschangereport", "document", "outcome", "professionalcontact"]


def _relabel(from_label, to_label):
    def relabel(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
        for model in MOVED_MODELS:
            if not content_types.filter(app_label=to_label, model=model).exists():
                content_types.filter(app_label=from_label, model=model).update(app_label=to_label)
        # The process's cache of content types may still hold the old labels.
        ContentType.objects.clear_cache()

    return relabel


class Migration(migrations.Migration):

    dependencies = [
        ('advice_forms', '0001_squashed_0005_forms_and_casework'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('filer', '0018_alter_file_options'),
        ('portal_pages', '0005_squashed_0007_inbox_casework_and_devices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
                    options={
                        'db_table': 'portal_pages_contribution',
                    },
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
                        'db_table': 'portal_pages_detailschangereport',
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
                        'db_table': 'portal_pages_document',
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
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_requests', to='advice_forms.document')),
                    ],
                    options={
                        'db_table': 'portal_pages_accessrequest',
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
                        'db_table': 'portal_pages_outcome',
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
                        'db_table': 'portal_pages_professionalcontact',
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
            ],
        ),
        migrations.RunPython(_relabel('portal_pages', 'advice_forms'), _relabel('advice_forms', 'portal_pages')),
    ]
