"""django-q2 entry points of the site core: each takes ids and calls a service, and is safe to run twice."""

from cms import retention, services


def email_notification_send(notification_id):
    return services.email_notification_send(notification_id=notification_id)


def email_notifications_requeue(older_than_seconds=120):
    return services.email_notifications_requeue(older_than_seconds=older_than_seconds)


def sent_email_bodies_clear():
    return retention.sent_email_bodies_clear()


def review_reminders_send():
    return services.review_reminders_send()


def pages_publish_scheduled():
    return services.pages_publish_scheduled()
