"""Included by the site's urls only when PORTAL_BENCH_VIEWS is on (`make bench` on loopback)."""

from django.urls import path

from bench import views

urlpatterns = [path("minimal", views.minimal_page, name="bench_minimal")]
