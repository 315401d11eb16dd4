from django.urls import path

from faq import views

app_name = "faq"

urlpatterns = [
    path("feedback/<int:page_id>/", views.feedback, name="feedback"),
    path("feedback/<int:page_id>/vote/", views.feedback_vote_sent, name="feedback_vote"),
]
