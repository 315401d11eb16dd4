"""The loopback production shape's processes get an environment of their own, not their caller's."""

from bench.topology import LOCAL_SECRET_KEY, Topology

CALLERS_PRODUCTION = {
    "MEDIA_ROOT": "/srv/portal/media",
    "PORTAL_PAGE_CACHE_URL": "redis://redis.council.example.org:6379/1",
    "PORTAL_MAX_UPLOAD_MB": "1",
    "EMAIL_TRANSPORT": "notify",
    "NOTIFY_API_KEY": "live-" + "1" * 36 + "-" + "2" * 36,
    "EMAIL_HOST": "smtp.council.example.org",
    "AWS_STORAGE_BUCKET_NAME": "council-portal-media",
    "SENTRY_DSN": "https://key@sentry.example.org/1",
    "SECRET_KEY": "the-production-secret",
    "DATABASE_URL": "postgres://portal@db.council.example.org:5432/portal",
}


def test_the_shape_takes_none_of_its_callers_settings(monkeypatch):
    for name, value in {**CALLERS_PRODUCTION, "PATH": "/usr/bin:/bin", "LANG": "en_GB.UTF-8", "LC_ALL": "C"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CLAMD_ADDRESS", raising=False)
    shape = Topology(
        database_url="postgres://postgres@127.0.0.1:5432/portal_bench",
        redis_url="redis://127.0.0.1:6379/2",
        extra_env={"PORTAL_BENCH_VIEWS": "true"},
    )

    env = shape.env()

    assert sorted(name for name, value in CALLERS_PRODUCTION.items() if env.get(name) == value) == []
    assert (env["SECRET_KEY"], env["DATABASE_URL"]) == (LOCAL_SECRET_KEY, shape.database_url)
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert env["CLAMD_ADDRESS"] == "off"
    # What a process needs to run, and what the caller gives on purpose, still arrive.
    assert (env["PATH"], env["LANG"], env["LC_ALL"]) == ("/usr/bin:/bin", "en_GB.UTF-8", "C")
    assert env["PORTAL_BENCH_VIEWS"] == "true"
