from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.admin_views import report_paths
from cms.selectors import TASK_WORDS_HOOK
from faq.admin_views import FeedbackRemoveView, FeedbackReportView, PageFeedbackReportView
from faq.events import GuidanceEvent
from faq.models import FAQPage


class FeedbackReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("faq.view_pagefeedback")


@hooks.register("register_admin_urls")
def register_feedback_report_urls():
    return [
        *report_paths("reports/page-feedback/", FeedbackReportView, "faq_feedback_report"),
        *report_paths("reports/page-feedback/<int:page_id>/", PageFeedbackReportView, "faq_feedback_page"),
        path(
            "reports/page-feedback/<int:page_id>/<int:feedback_id>/remove/",
            FeedbackRemoveView.as_view(),
            name="faq_feedback_remove",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_feedback_report_menu_item():
    return FeedbackReportMenuItem(
        "Page feedback", reverse("faq_feedback_report"), name="page-feedback", icon_name="help", order=900
    )


@hooks.register("register_permissions")
def register_feedback_permissions():
    # Lets an administrator give a group the report (Settings → Groups), and redacting or deleting answers.
    return Permission.objects.filter(
        content_type__app_label="faq", codename__in=["view_pagefeedback", "change_pagefeedback", "delete_pagefeedback"]
    )


@hooks.register("register_audit_events")
def guidance_events():
    """The audit log filters and labels by this list."""
    return "Guidance", GuidanceEvent


@hooks.register("insert_guidance_footer")
def page_feedback_form(context, page):
    """The "Was this page useful?" form under every guidance page that shows it (cms's guidance footer)."""
    if not getattr(page, "show_feedback", False):
        return ""
    template = context.template.engine.get_template("faq/includes/feedback.html")
    with context.push():
        return template.render(context)


@hooks.register("search_advice_page")
def faq_page_for_search_advice():
    """The live FAQ page that the search names when nothing matches."""
    return FAQPage.objects.live().public().first()


@hooks.register(TASK_WORDS_HOOK)
def guidance_task_words():
    return {"faq.tasks.printable_render": "Make a guidance page's printable PDF"}
