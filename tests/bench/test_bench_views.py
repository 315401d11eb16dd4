"""The benchmark's minimal view and Server-Timing header exist only when PORTAL_BENCH_VIEWS is on."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

from bench import views as bench_views


def test_the_minimal_page_is_a_fixed_2_kb_of_html():
    response = bench_views.minimal_page(RequestFactory().get("/bench/minimal"))

    assert response.status_code == 200
    assert len(response.content) == 2048
    assert response.content.startswith(b"<!DOCTYPE html>")


@pytest.mark.django_db
def test_the_timing_header_gives_cpu_time_and_the_number_of_queries(django_user_model):
    def view(request):
        list(django_user_model.objects.all())
        list(django_user_model.objects.all())
        return HttpResponse("ok")

    response = bench_views.ServerTimingMiddleware(view)(RequestFactory().get("/"))

    match = re.fullmatch(
        r'cpu;dur=([0-9.]+), db;desc="(\d+) queries";dur=(\d+), app;dur=([0-9.]+)', response["Server-Timing"]
    )
    assert match is not None
    assert match.group(2) == "2"
    assert float(match.group(4)) >= float(match.group(1)) * 0.5


@pytest.mark.django_db
def test_normal_settings_serve_no_bench_view_and_no_timing_header(client, home_page):
    with pytest.raises(NoReverseMatch):
        reverse("bench_minimal")
    assert client.get("/bench/minimal", follow=True).status_code == 404
    assert "Server-Timing" not in client.get("/")


def test_check_deploy_warns_when_bench_views_are_on():
    with override_settings(PORTAL_BENCH_VIEWS=True):
        assert [w.id for w in bench_views.check_bench_views_off(None)] == ["portal.W001"]
    with override_settings(PORTAL_BENCH_VIEWS=False):
        assert bench_views.check_bench_views_off(None) == []
