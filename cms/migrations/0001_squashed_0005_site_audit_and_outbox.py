"""Help and home pages, the portal settings, the audit log, the email outbox, and a schedule every minute that
queues again emails a stopped worker left pending: 0001 to 0005 squashed."""

import cms.blocks
import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

SCHEDULE_NAME = "Queue again emails that a stopped worker left pending"


def add_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": "cms.tasks.email_notifications_requeue", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()

class Migration(migrations.Migration):

    replaces = [('cms', '0001_initial'), ('cms', '0002_audit_entry'), ('cms', '0003_email_notification'), ('cms', '0004_email_requeue_schedule'), ('cms', '0003_help_page_blocks'), ('cms', '0005_merge_20261122_1235')]

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_q', '0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HelpPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.page')),
                ('intro', models.TextField(blank=True, help_text='One or two sentences shown under the title.')),
                ('body', wagtail.fields.StreamField([('heading', 0), ('text', 1), ('inset_text', 2), ('warning_text', 3), ('details', 6), ('call_to_action', 11), ('image', 15), ('document_link', 18)], blank=True, block_lookup={0: ('cms.blocks.HeadingBlock', (), {'form_classname': 'title'}), 1: ('cms.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link']}), 2: ('cms.blocks.InsetTextBlock', (), {'features': ['bold', 'link', 'document-link']}), 3: ('cms.blocks.WarningTextBlock', (), {'max_length': 300}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': "The line a reader clicks, e.g. 'Help with passwords'.", 'max_length': 120}), 5: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul', 'document-link']}), 6: ('wagtail.blocks.StructBlock', [[('summary', 4), ('text', 5)]], {}), 7: ('wagtail.blocks.CharBlock', (), {'max_length': 60}), 8: ('wagtail.blocks.PageChooserBlock', (), {'required': False}), 9: ('wagtail.blocks.CharBlock', (), {'help_text': 'A path on this site, e.g. /portal/sign-in/, or a full address starting https://', 'label': 'Or an address', 'max_length': 300, 'required': False, 'validators': [cms.blocks.validate_link_address]}), 10: ('wagtail.blocks.BooleanBlock', (), {'label': 'Start button (with an arrow)', 'required': False}), 11: ('wagtail.blocks.StructBlock', [[('text', 7), ('page', 8), ('url', 9), ('start', 10)]], {}), 12: ('wagtail.images.blocks.ImageChooserBlock', (), {}), 13: ('wagtail.blocks.CharBlock', (), {'help_text': 'Describe what the image shows for someone who cannot see it.', 'max_length': 250}), 14: ('wagtail.blocks.CharBlock', (), {'max_length': 250, 'required': False}), 15: ('wagtail.blocks.StructBlock', [[('image', 12), ('alt_text', 13), ('caption', 14)]], {}), 16: ('wagtail.documents.blocks.DocumentChooserBlock', (), {}), 17: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave blank to use the document's own title.", 'required': False}), 18: ('wagtail.blocks.StructBlock', [[('document', 16), ('title', 17)]], {})})),
            ],
            options={
                'abstract': False,
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='HomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.page')),
                ('intro', wagtail.fields.RichTextField(blank=True)),
                ('audience_heading', models.CharField(default='Who can use the portal', max_length=120)),
                ('audiences', wagtail.fields.StreamField([('audience', 0)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'icon': 'group', 'label': 'Who'})}, help_text='The kinds of organisation and professional that may register.')),
                ('guidance_heading', models.CharField(default='Help and guidance', max_length=120)),
                ('guidance_links', wagtail.fields.StreamField([('page', 0)], blank=True, block_lookup={0: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Guidance page'})})),
            ],
            options={
                'abstract': False,
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='PortalSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('council_name', models.CharField(default='Your council', max_length=120)),
                ('service_name', models.CharField(default='SEND Professional Portal', max_length=120)),
                ('support_email', models.EmailField(blank=True, help_text='Where professionals ask the SEND service for help.', max_length=254)),
                ('ict_email', models.EmailField(blank=True, help_text='Where technical problems go.', max_length=254)),
                ('phone', models.CharField(blank=True, max_length=40)),
                ('phone_hours', models.CharField(blank=True, help_text='e.g. Monday to Friday, 9am to 5pm', max_length=120)),
                ('feedback_url', models.URLField(blank=True, help_text="Where the phase banner's feedback link goes.")),
                ('accessibility_page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.page')),
                ('contact_page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.page')),
                ('logo', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image')),
                ('privacy_page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.page')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'Portal settings',
            },
        ),
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('action', models.CharField(db_index=True, max_length=64)),
                ('target_id', models.CharField(blank=True, db_index=True, max_length=64)),
                ('from_state', models.CharField(blank=True, max_length=64)),
                ('to_state', models.CharField(blank=True, max_length=64)),
                ('reason', models.TextField(blank=True)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name_plural': 'audit entries',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['target_type', 'target_id', '-created_at'], name='cms_auditen_target__927354_idx')],
            },
        ),
        migrations.CreateModel(
            name='EmailNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=200, unique=True)),
                ('to', models.EmailField(max_length=254)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('state', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(
            code=add_schedule,
            reverse_code=remove_schedule,
        ),
    ]
