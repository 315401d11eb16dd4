"""The every-minute run that publishes pages and snippets whose scheduled time has come: made by a migration, and
again after a database flush (post_migrate, as transactional tests do), never changed once it exists. The weekly
review reminders are made the same way (cms.services.review_schedule_ensure)."""

PUBLISH_SCHEDULE_NAME = "Publish scheduled pages and snippets"


def publish_schedule_ensure(apps) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name=PUBLISH_SCHEDULE_NAME,
        defaults={"func": "cms.tasks.pages_publish_scheduled", "schedule_type": "I", "minutes": 1, "repeats": -1},
    )
