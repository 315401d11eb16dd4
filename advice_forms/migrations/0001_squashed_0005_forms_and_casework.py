"""The form builder's models (form definitions and their published versions, dropdown lists, Team and Type) with
the Team and Type terms every English SEND service uses and the "Form designer" group's permissions on them; the
casework models (child records, advice requests, submissions) with the "SEND caseworker" group's permissions and
the daily due/overdue reminders schedule: 0001 to 0005 squashed.

The role groups are made by portal_pages first; the functions below only add these permissions to them (or make
a group the roles have not made yet).
"""

import advice_forms.models.casework
import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import modelsearch.index
import wagtail.fields
import wagtail.models.preview
from django.conf import settings
from django.db import migrations, models

from advice_forms import casework_setup
from cms.schedules import schedule_remove


def seed(apps, schema_editor):
    casework_setup.terms_seed(apps)


def unseed(apps, schema_editor):
    casework_setup.terms_unseed(apps)


def grant(apps, schema_editor):
    casework_setup.form_designer_permissions_ensure(apps)


def revoke(apps, schema_editor):
    casework_setup.group_permissions_remove(apps, casework_setup.FORM_DESIGNER_GROUP)


def forwards(apps, schema_editor):
    casework_setup.caseworker_permissions_ensure(apps)
    casework_setup.reminder_schedule_ensure(apps)


def backwards(apps, schema_editor):
    schedule_remove(apps, casework_setup.REMINDER_SCHEDULE_NAME)
    casework_setup.group_permissions_remove(
        apps, casework_setup.CASEWORKER_GROUP, content_type__model__in=["childrecord", "advicerequest", "submission"]
    )

class Migration(migrations.Migration):

    replaces = [('advice_forms', '0001_initial'), ('advice_forms', '0002_team_and_type_terms'), ('advice_forms', '0003_form_designer_permissions'), ('advice_forms', '0004_casework'), ('advice_forms', '0005_casework_permissions_and_reminders')]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_q', '0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more'),
        ('filer', '0018_alter_file_options'),
        ('portal_pages', '0003_squashed_0004_roles_and_dormancy'),
        ('wagtailadmin', '0001_create_admin_access_permissions'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DropdownList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('description', models.TextField(blank=True, help_text='What the list is for; only form designers see this.')),
            ],
            options={
                'verbose_name': 'dropdown list',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='NeedType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='The short code stored with answers, e.g. SLT. It cannot change once saved.', max_length=20, unique=True)),
                ('name', models.CharField(help_text='The full name people see, e.g. Speech and Language Therapy.', max_length=120)),
                ('active', models.BooleanField(default=True, help_text='Untick to stop people picking this term. Answers that already use it keep showing it.')),
                ('sort_order', models.PositiveIntegerField(default=0, help_text='Lower numbers come first in lists.')),
            ],
            options={
                'verbose_name': 'Type',
                'verbose_name_plural': 'Types',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='The short code stored with answers, e.g. SLT. It cannot change once saved.', max_length=20, unique=True)),
                ('name', models.CharField(help_text='The full name people see, e.g. Speech and Language Therapy.', max_length=120)),
                ('active', models.BooleanField(default=True, help_text='Untick to stop people picking this term. Answers that already use it keep showing it.')),
                ('sort_order', models.PositiveIntegerField(default=0, help_text='Lower numbers come first in lists.')),
            ],
            options={
                'verbose_name': 'Team',
                'verbose_name_plural': 'Teams',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='FormDefinition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('live', models.BooleanField(default=True, editable=False, verbose_name='live')),
                ('has_unpublished_changes', models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes')),
                ('first_published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at')),
                ('last_published_at', models.DateTimeField(editable=False, null=True, verbose_name='last published at')),
                ('go_live_at', models.DateTimeField(blank=True, null=True, verbose_name='go live date/time')),
                ('expire_at', models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time')),
                ('expired', models.BooleanField(default=False, editable=False, verbose_name='expired')),
                ('locked', models.BooleanField(default=False, editable=False, verbose_name='locked')),
                ('locked_at', models.DateTimeField(editable=False, null=True, verbose_name='locked at')),
                ('title', models.CharField(help_text='e.g. "Request for an EHC needs assessment (ERSA)"', max_length=255)),
                ('kind', models.CharField(choices=[('ersa', 'ERSA (request for statutory assessment)'), ('appendix_b', 'Appendix B (educational advice)'), ('other_advice', 'Other advice')], default='other_advice', max_length=20)),
                ('version_label', models.CharField(help_text='The version name professionals see, e.g. "NOV26". Change it before publishing a new version.', max_length=40)),
                ('description', models.TextField(blank=True, help_text='What the form is for; shown at the top of the form.')),
                ('sections', wagtail.fields.StreamField([('section', 41)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'max_length': 255}), 1: ('wagtail.blocks.CharBlock', (), {'help_text': 'Filled in from the label when left blank. Answers are stored under it, so it is fixed once published.', 'max_length': 60, 'required': False}), 2: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'help_text': 'Shown above the questions.', 'required': False}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': 'The key of an earlier yes/no or choice question. Leave blank to always show.', 'label': 'Only show when the question with key', 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': "The answer's value: yes or no, or an option's value.", 'label': 'has the answer', 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('field_key', 3), ('value', 4)]], {'required': False}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': 'The question, as the professional reads it.', 'max_length': 255}), 7: ('wagtail.blocks.TextBlock', (), {'help_text': 'Shown under the label, in grey.', 'required': False, 'rows': 2}), 8: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'required': False}), 9: ('wagtail.blocks.CharBlock', (), {'help_text': 'e.g. "Enter the date of the last review". Leave blank for a standard message.', 'label': 'Message when not answered', 'max_length': 255, 'required': False}), 10: ('wagtail.blocks.IntegerBlock', (), {'default': 200, 'label': 'Most characters allowed', 'max_value': 2000, 'min_value': 1}), 11: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('max_length', 10)]], {}), 12: ('wagtail.blocks.IntegerBlock', (), {'default': 5000, 'label': 'Most characters allowed', 'max_value': 50000, 'min_value': 1}), 13: ('wagtail.blocks.IntegerBlock', (), {'help_text': 'Shown as guidance, e.g. about 300 words.', 'label': 'Suggested words', 'min_value': 1, 'required': False}), 14: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('max_length', 12), ('word_guidance', 13)]], {}), 15: ('wagtail.blocks.IntegerBlock', (), {'label': 'Smallest number allowed', 'required': False}), 16: ('wagtail.blocks.IntegerBlock', (), {'label': 'Largest number allowed', 'required': False}), 17: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Whole numbers only', 'required': False}), 18: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('min_value', 15), ('max_value', 16), ('whole_numbers', 17)]], {}), 19: ('wagtail.blocks.DateBlock', (), {'label': 'Earliest date allowed', 'required': False}), 20: ('wagtail.blocks.DateBlock', (), {'label': 'Latest date allowed', 'required': False}), 21: ('wagtail.blocks.BooleanBlock', (), {'default': False, 'label': 'Must be today or earlier', 'required': False}), 22: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('earliest', 19), ('latest', 20), ('not_in_future', 21)]], {}), 23: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5)]], {}), 24: ('wagtail.snippets.blocks.SnippetChooserBlock', ('advice_forms.DropdownList',), {'help_text': 'A shared list…', 'required': False}), 25: ('wagtail.blocks.CharBlock', (), {'help_text': 'Filled in from the label when left blank.', 'max_length': 100, 'required': False}), 26: ('wagtail.blocks.StructBlock', [[('label', 0), ('value', 25)]], {}), 27: ('wagtail.blocks.ListBlock', (26,), {'default': [], 'label': '…or its own options'}), 28: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('radios', 'Radio buttons (up to about 8 options)'), ('select', 'A dropdown (long lists)')]}), 29: ('wagtail.blocks.StructBlock', [[('dropdown_list', 24), ('options', 27), ('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('display', 28)]], {}), 30: ('wagtail.blocks.StructBlock', [[('dropdown_list', 24), ('options', 27), ('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5)]], {}), 31: ('wagtail.blocks.CharBlock', (), {'help_text': 'What the professional confirms by ticking the box.', 'max_length': 500}), 32: ('wagtail.blocks.TextBlock', (), {'required': False, 'rows': 2}), 33: ('wagtail.blocks.CharBlock', (), {'label': 'Message when not ticked', 'max_length': 255, 'required': False}), 34: ('wagtail.blocks.StructBlock', [[('label', 31), ('key', 1), ('hint', 32), ('error_message', 33), ('condition', 5)]], {}), 35: ('wagtail.blocks.CharBlock', (), {'max_length': 255, 'required': False}), 36: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul']}), 37: ('wagtail.blocks.StructBlock', [[('heading', 35), ('body', 36)]], {}), 38: ('wagtail.blocks.IntegerBlock', (), {'default': 20, 'label': 'Most rows allowed', 'max_value': 100, 'min_value': 1}), 39: ('wagtail.blocks.StructBlock', [[('label', 6), ('key', 1), ('hint', 7), ('required', 8), ('error_message', 9), ('condition', 5), ('max_rows', 38)]], {}), 40: ('wagtail.blocks.StreamBlock', [[('short_text', 11), ('long_text', 14), ('number', 18), ('date', 22), ('email', 23), ('phone', 23), ('yes_no', 23), ('single_choice', 29), ('multiple_choice', 30), ('declaration', 34), ('guidance', 37), ('outcomes', 39), ('professional_contacts', 39), ('views', 39)]], {'label': 'Questions'}), 41: ('wagtail.blocks.StructBlock', [[('title', 0), ('key', 1), ('guidance', 2), ('condition', 5), ('fields', 40)]], {})}, help_text='Each section is one step of the form.')),
                ('latest_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision')),
                ('live_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision')),
                ('locked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by')),
            ],
            options={
                'verbose_name': 'form definition',
                'ordering': ['title'],
            },
            bases=(wagtail.models.preview.PreviewableMixin, modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='DropdownOption',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('label', models.CharField(max_length=255)),
                ('value', models.CharField(blank=True, help_text='Stored with answers. Filled in from the label when left blank; do not change it once used.', max_length=100)),
                ('retired', models.BooleanField(default=False, help_text='Hide it from new answers; answers that already picked it keep showing it.')),
                ('dropdown_list', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='advice_forms.dropdownlist')),
            ],
            options={
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('dropdown_list', 'value'), name='unique_dropdown_option_value')],
            },
        ),
        migrations.CreateModel(
            name='FormDefinitionVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('title', models.CharField(max_length=255)),
                ('kind', models.CharField(choices=[('ersa', 'ERSA (request for statutory assessment)'), ('appendix_b', 'Appendix B (educational advice)'), ('other_advice', 'Other advice')], max_length=20)),
                ('version_label', models.CharField(max_length=40)),
                ('description', models.TextField(blank=True)),
                ('content', models.JSONField(help_text='The sections and fields exactly as published (StreamField JSON).')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('definition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='advice_forms.formdefinition')),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
            ],
            options={
                'verbose_name': 'published form version',
                'ordering': ['definition', '-number'],
                'constraints': [models.UniqueConstraint(fields=('definition', 'number'), name='unique_form_version_number')],
            },
        ),
        migrations.RunPython(
            code=seed,
            reverse_code=unseed,
        ),
        migrations.RunPython(
            code=grant,
            reverse_code=revoke,
        ),
        migrations.CreateModel(
            name='ChildRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_name', models.CharField(max_length=100)),
                ('last_name', models.CharField(max_length=100)),
                ('date_of_birth', models.DateField()),
                ('unique_pupil_number', models.CharField(blank=True, help_text='Optional. 13 characters, e.g. A123456789012.', max_length=13, verbose_name='unique pupil number')),
                ('address', models.TextField(blank=True)),
                ('parent_carer_name', models.CharField(blank=True, max_length=200, verbose_name="parent or carer's name")),
                ('parent_carer_contact', models.TextField(blank=True, help_text='Phone, email or address, as they prefer.', verbose_name="parent or carer's contact details")),
                ('status', models.CharField(choices=[('requested', 'Assessment requested'), ('assessing', 'Being assessed'), ('plan_issued', 'EHC plan issued'), ('not_assessed', 'Decided not to assess'), ('closed', 'Closed')], default='requested', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('coordinator', models.ForeignKey(blank=True, limit_choices_to={'is_staff': True}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='child_records', to=settings.AUTH_USER_MODEL, verbose_name='EHC co-ordinator')),
                ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='child_records', to='portal_pages.organisation', verbose_name='school or setting')),
            ],
            options={
                'ordering': ['last_name', 'first_name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='AdviceRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(blank=True, help_text='Shown to the team account with the request.')),
                ('shows_child_name', models.BooleanField(default=True, help_text="Show the child's full name to the account; otherwise only their initials.")),
                ('due_date', models.DateField(default=advice_forms.models.casework.default_due_date)),
                ('state', models.CharField(choices=[('to_do', 'To do'), ('in_progress', 'In progress'), ('submitted', 'Submitted'), ('returned', 'Returned for more information'), ('accepted', 'Accepted')], db_index=True, default='to_do', max_length=20)),
                ('return_reason', models.TextField(blank=True)),
                ('answers', models.JSONField(blank=True, default=dict, help_text='The draft: section key → field key → answer.')),
                ('raw_steps', models.JSONField(blank=True, default=dict, help_text='The last invalid POST of a step, kept so nothing typed is lost.')),
                ('started_sections', models.JSONField(blank=True, default=list)),
                ('completed_sections', models.JSONField(blank=True, default=list)),
                ('draft_saved_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('reminded_due_soon_at', models.DateTimeField(blank=True, null=True)),
                ('reminded_overdue_at', models.DateTimeField(blank=True, null=True)),
                ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='advice_requests', to=settings.AUTH_USER_MODEL, verbose_name='team account')),
                ('form_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='advice_requests', to='advice_forms.formdefinitionversion')),
                ('shared_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='advice_requests_shared', to=settings.AUTH_USER_MODEL)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='advice_requests', to='advice_forms.childrecord')),
            ],
            options={
                'ordering': ['due_date', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('answers', models.JSONField()),
                ('reference', models.CharField(max_length=40, unique=True)),
                ('submitted_by_name', models.CharField(help_text="The account's name at the time of submission.", max_length=200)),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('idempotency_key', models.CharField(help_text='From the submit form: one per click.', max_length=64, unique=True)),
                ('form_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='advice_forms.formdefinitionversion')),
                ('pdf', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='filer.file')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='advice_forms.advicerequest')),
                ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['request', '-number'],
            },
        ),
        migrations.AddConstraint(
            model_name='childrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('unique_pupil_number', ''), _negated=True), fields=('unique_pupil_number',), name='unique_child_upn_when_set'),
        ),
        migrations.AddIndex(
            model_name='advicerequest',
            index=models.Index(fields=['account', 'state', 'due_date'], name='advice_form_account_c0af44_idx'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.UniqueConstraint(fields=('request', 'number'), name='unique_submission_number'),
        ),
        migrations.RunPython(
            code=forwards,
            reverse_code=backwards,
        ),
    ]
