"""Production settings: refuse to start without secrets, and pass Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from tests.child_env import child_env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-check.sqlite3",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.org",
    "DEFAULT_FROM_EMAIL": "no-reply@portal.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "CLAMD_ADDRESS": "127.0.0.1:3310",
}


def _manage(args, **env_changes):
    dropped = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env = child_env(env, DJANGO_SETTINGS_MODULE="settings.production", **env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "variable",
    list(PRODUCTION_ENV),
)
def test_production_refuses_to_start_without(variable):
    env = dict(PRODUCTION_ENV)
    env.pop(variable)

    result = _manage(["check"], **env)

    assert result.returncode != 0
    # One line an administrator reads, not a traceback.
    assert result.stderr.splitlines() == [
        f"manage.py: Set the {variable} environment variable: production settings refuse to start without it "
        "(.env.example lists every variable)."
    ]


@pytest.mark.parametrize("variable", ["CLAMD_ADDRESS", "SECRET_KEY"])
def test_production_refuses_to_start_with_only_spaces_in(variable):
    """A value of spaces is no value: CLAMD_ADDRESS="   " would otherwise store every upload unscanned, without the
    "off" that says so out loud."""
    result = _manage(["check"], **{**PRODUCTION_ENV, variable: "   "})

    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"manage.py: Set the {variable} environment variable: production settings refuse to start without it "
        "(.env.example lists every variable)."
    ]


@pytest.mark.parametrize(
    ("key", "refused"),
    [
        ("change-me-to-a-long-random-string", "the placeholder of .env.example"),
        ("change-me-to-a-long-random-string" + "-and-then-some-more-to-pass-fifty", "the placeholder of .env.example"),
        ("k" * 49, "a shorter one"),
    ],
    ids=["placeholder", "placeholder-made-long", "49-characters"],
)
def test_production_refuses_to_start_with_a_guessable_secret_key(key, refused):
    """Only check --deploy warned: gunicorn and the workers started with the key .env.example gives, which signs
    sessions, emailed links and the queued tasks the workers unpickle."""
    result = _manage(["check"], **{**PRODUCTION_ENV, "SECRET_KEY": key})

    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        "manage.py: Set SECRET_KEY to a random value of 50 characters or more: production settings refuse to start "
        f"with {refused} (python3 -c 'import secrets; print(secrets.token_urlsafe(50))' makes one)."
    ]


def test_production_starts_with_the_dummy_keys_of_the_release_check_and_the_local_production_shape():
    from bench.topology import LOCAL_SECRET_KEY

    makefile = (ROOT / "Makefile").read_text()
    deploy_check_key = "deploy-check-" + "0" * 64 + "-not-a-real-secret"
    assert "SECRET_KEY=deploy-check-$(shell printf '%064d' 0)-not-a-real-secret" in makefile

    for key in (deploy_check_key, LOCAL_SECRET_KEY, "k" * 50):
        result = _manage(["check"], **{**PRODUCTION_ENV, "SECRET_KEY": key})
        assert result.returncode == 0, result.stderr


def test_production_names_every_missing_variable_at_once():
    """An administrator who forgot three variables learns all three from one start, not one a restart."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"SECRET_KEY", "DATABASE_URL", "EMAIL_HOST"}}

    result = _manage(["migrate", "--check"], **env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Set the SECRET_KEY, DATABASE_URL and EMAIL_HOST environment variables:" in result.stderr


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"NOTIFY_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a"}, "the NOTIFY_API_KEY environment variable"),
        ({"NOTIFY_API_KEY": "   "}, "the NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID environment variables"),
    ],
)
def test_notify_without_its_key_or_template_refuses_to_start_in_one_line(given, named):
    """.env.example counts Notify's key and template among what production requires with EMAIL_TRANSPORT=notify: a
    missing one is named in one line like the others, not at the foot of a traceback."""
    result = _manage(["check"], **PRODUCTION_ENV, EMAIL_TRANSPORT="notify", **given)

    assert result.returncode == 1
    them = "them" if " and " in named else "it"
    assert result.stderr.splitlines() == [
        f"manage.py: Set {named}: EMAIL_TRANSPORT=notify does not start without {them} "
        "(.env.example lists every variable)."
    ]


def test_a_deployment_without_a_dot_env_file_logs_nothing_about_it():
    """Production is configured by its environment (README): a missing .env is not news at every start. gunicorn sets
    up logging before it loads the settings, so each of its workers logged ".env not found" at INFO."""
    env = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE"}}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="settings.production")
    starts_like_gunicorn = "import logging; logging.basicConfig(level=logging.INFO); import django; django.setup()"

    result = subprocess.run(
        [sys.executable, "-c", starts_like_gunicorn], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert ".env not found" not in result.stdout + result.stderr


def test_env_example_lists_as_required_what_production_refuses_to_start_without():
    """An administrator copies .env.example: its "Required in production" block is what production asks for."""
    lines = (ROOT / ".env.example").read_text().split("# --- Required in production\n", 1)[1].split("\n\n", 1)[0]
    required = {line.split("=", 1)[0] for line in lines.splitlines() if line and not line.startswith("#")}

    assert required == set(PRODUCTION_ENV)


def _env_example_as_settings_read_it():
    """.env.example's variables as settings read a .env (django-environ's read_env)."""
    read = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(environ.Env, "ENVIRON", read)
        environ.Env.read_env(ROOT / ".env.example")
    return read


@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_env_example_loads_into_a_shell_with_the_values_settings_read(shell):
    """An administrator loading the production variables for a command run by hand (`set -a; . ./.env`) met a syntax
    error at DEFAULT_FROM_EMAIL=SEND portal <no-reply@example.org>, and SEND portal as a command to run."""
    loaded = subprocess.run(
        [shell, "-c", 'set -a; . "$1"; set +a; env -0', shell, str(ROOT / ".env.example")],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (loaded.returncode, loaded.stderr) == (0, "")
    in_shell = dict(item.split("=", 1) for item in loaded.stdout.split("\0") if item)
    by_settings = _env_example_as_settings_read_it()

    assert by_settings["DEFAULT_FROM_EMAIL"] == "SEND portal <no-reply@example.org>"
    assert by_settings["WAGTAIL_2FA_OTP_TOTP_NAME"] == "SEND portal"
    assert len(by_settings) > 100
    assert {name: in_shell.get(name) for name in by_settings} == by_settings


# Read by the code, and not an administrator's: what the tests and capture_guides set for processes of their own.
# Test runs' own, and Django's DJANGO_SETTINGS_MODULE: chosen before settings (and .env) are read, so README names it.
NOT_AN_ADMINISTRATORS = {
    "PORTAL_TEST_DB_SUFFIX",
    "PYTEST_XDIST_WORKER",
    "PORTAL_CAPTURE_EMAIL_DIR",
    "DJANGO_SETTINGS_MODULE",
}
READ_FROM_ENVIRONMENT = re.compile(r"""(?:\benv(?:\.\w+)?|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def test_env_example_lists_every_variable_the_portal_reads():
    """.env.example promises every variable: one read by settings (env.int("PORTAL_..."), gunicorn's) or a command
    and missing from it is a setting an administrator cannot find."""
    apps = ("settings", "cms", "faq", "advice_forms", "portal_pages")
    sources = [path for app in apps for path in (ROOT / app).rglob("*.py")]
    read = {name for path in sources for name in READ_FROM_ENVIRONMENT.findall(path.read_text())}
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))

    assert "PORTAL_DOTENV" in read and "GUNICORN_WORKERS" in read  # the search finds both ways of reading
    assert sorted(read - NOT_AN_ADMINISTRATORS - listed) == []


def test_the_readmes_table_of_variables_names_every_variable_of_env_example():
    """README's table is where an administrator reads what a variable does: WAGTAIL_2FA_OTP_TOTP_NAME, the keepalives
    and the field limits were in .env.example and missing from it."""
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    rows = [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| `")]
    in_table = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split(" | ", 1)[0])}

    assert "WAGTAIL_2FA_OTP_TOTP_NAME" in listed
    assert sorted(listed - in_table) == []


def test_hsts_sends_include_subdomains_and_preload_unless_told_not_to():
    probe = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)",
    ]

    assert _manage(probe, **PRODUCTION_ENV).stdout.split() == ["True", "True"]
    turned_off = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "false", "SECURE_HSTS_PRELOAD": "false"}
    assert _manage(probe, **PRODUCTION_ENV, **turned_off).stdout.split() == ["False", "False"]


# docs/operations.md's set-up: nginx on the same server, named as the proxy whose X-Forwarded-For is believed.
BEHIND_LOCAL_NGINX = {**PRODUCTION_ENV, "PORTAL_TRUSTED_PROXIES": "127.0.0.1"}


def test_check_deploy_gives_no_warnings():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **BEHIND_LOCAL_NGINX)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_while_metrics_admits_loopback_and_no_proxy_is_trusted():
    """Behind nginx on the same server every request comes from 127.0.0.1, which /metrics admits by default: with
    PORTAL_TRUSTED_PROXIES empty (its default), anyone on the internet read it."""
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)

    assert result.returncode != 0
    warning = " ".join(result.stderr.split())
    assert (
        "(cms.W003) PORTAL_TRUSTED_PROXIES is empty while PORTAL_METRICS_ALLOWED_IPS admits 127.0.0.1, ::1: behind a"
        in warning
    )
    assert "Set PORTAL_TRUSTED_PROXIES to the reverse proxy's address (127.0.0.1 for nginx on this server)" in warning


@pytest.mark.parametrize(
    ("trusted", "allowed", "warned"),
    [
        ([], ["127.0.0.1", "::1"], True),
        ([], ["127.0.0.53"], True),
        ([], ["0.0.0.0/0"], True),
        ([], ["::/0"], True),
        ([], ["10.0.0.5", "2001:db8::/64"], False),
        ([], [], False),
        (["127.0.0.1"], ["127.0.0.1", "::1"], False),
        (["10.0.0.0/24"], ["127.0.0.1"], False),
    ],
)
def test_the_metrics_check_warns_for_any_loopback_address_while_no_proxy_is_trusted(settings, trusted, allowed, warned):
    from cms.checks import check_metrics_not_open_through_a_local_proxy

    settings.PORTAL_TRUSTED_PROXIES = trusted
    settings.PORTAL_METRICS_ALLOWED_IPS = allowed

    assert [warning.id for warning in check_metrics_not_open_through_a_local_proxy(None)] == (
        ["cms.W003"] if warned else []
    )


def test_production_runs_without_virus_scanning_only_when_told_so_and_check_deploy_says_so():
    """CLAMD_ADDRESS=off is the one way to run without antivirus: uploads then go unscanned, and the release check
    says so every time it runs."""
    probe = ["shell", "--no-imports", "-c", "from django.conf import settings; print(repr(settings.CLAMD_ADDRESS))"]
    assert _manage(probe, **PRODUCTION_ENV).stdout.strip() == "'127.0.0.1:3310'"
    assert _manage(probe, **{**PRODUCTION_ENV, "CLAMD_ADDRESS": "off"}).stdout.strip() == "''"

    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **{**PRODUCTION_ENV, "CLAMD_ADDRESS": "OFF"})

    assert result.returncode != 0
    assert "(cms.W001) Uploads are not scanned for viruses: CLAMD_ADDRESS is off." in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["load_demo_content"],
        ["demo_totp", "admin@kestrelford.example.org"],
        ["capture_guides"],
        ["bench_advice", "--pdf-only"],
        ["bench_editor"],
        ["bench_seed", "prepare", "--run", "live"],
    ],
)
def test_demo_tools_refuse_to_run_under_production_settings(command, tmp_path):
    """The demo loader would make a superuser with the README's password; demo_totp would print a real account's
    code; capture_guides would start a browser and a second server and publish the guides again; the benchmark's
    commands would write their accounts, requests and signed-in sessions. None touches the database before refusing:
    the database here is not even migrated. bench_seed is refused even with the benchmark's own switch on."""
    database = tmp_path / "production.sqlite3"

    result = _manage(command, **{**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{database}", "PORTAL_BENCH_VIEWS": "on"})

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"CommandError: {command[0]} is a demo tool and does not run on this site: demo tools are off under "
        "production settings (PORTAL_DEMO_TOOLS=on allows them on a training site)."
    ]


def test_a_training_site_may_turn_the_demo_tools_on_and_check_deploy_says_so():
    result = _manage(["check", "--deploy"], **{**PRODUCTION_ENV, "PORTAL_DEMO_TOOLS": "on"})

    assert "(cms.W002) PORTAL_DEMO_TOOLS is on: load_demo_content makes accounts" in result.stderr
    # It names every command the setting lets run.
    warning = " ".join(result.stderr.split())
    for command in ("demo_totp", "bench_seed", "bench_advice", "bench_editor", "capture_guides"):
        assert command in warning


def test_secret_key_fallbacks_are_read_from_a_comma_separated_list():
    probe = ["shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"]

    assert _manage(probe, **PRODUCTION_ENV).stdout.strip() == "[]"
    result = _manage(probe, **PRODUCTION_ENV, SECRET_KEY_FALLBACKS="older-key-1, older-key-2,")
    assert result.stdout.strip() == "['older-key-1', 'older-key-2']"


def test_check_deploy_refuses_a_page_cache_in_the_redis_database_of_the_sessions_and_tasks():
    """A publish empties the page cache's Redis database: shared, it would take the rate limits' counts, the sessions'
    cached copies and the queued tasks with it."""
    shared = {
        **PRODUCTION_ENV,
        "REDIS_URL": "redis://redis.internal:6379",
        "PORTAL_PAGE_CACHE_URL": "redis://redis.internal/0",
    }

    result = _manage(["check", "--deploy"], **shared)

    assert result.returncode != 0
    assert (
        "(cms.E001) PORTAL_PAGE_CACHE_URL is the same Redis database as the 'default' cache and the task queue"
        in result.stderr
    )
    apart = _manage(["check", "--deploy"], **{**shared, "PORTAL_PAGE_CACHE_URL": "redis://redis.internal:6379/1"})
    assert "cms.E001" not in apart.stderr


@pytest.mark.parametrize(
    ("page_cache", "shared"),
    [
        ("redis://localhost:6379/0", True),
        ("redis://127.0.0.1/?db=0", True),
        ("redis://:secret@127.0.0.1:6379", True),
        ("redis://127.0.0.1:6379/2", False),
        ("redis://127.0.0.1:6380/0", False),
        ("redis://cache.internal:6379/0", False),
        ("unix:///run/redis.sock?db=0", False),
    ],
)
def test_the_page_cache_check_compares_redis_databases_as_redis_reads_them(settings, page_cache, shared):
    from cms.checks import check_page_cache_has_its_own_redis_database

    settings.CACHES = {
        "default": {"BACKEND": "cms.redis_cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:6379"},
        "pagecache": {"BACKEND": "cms.redis_cache.PageCacheRedis", "LOCATION": page_cache},
    }
    settings.Q_CLUSTER = {"name": "portal", "orm": "default"}

    errors = check_page_cache_has_its_own_redis_database(None)

    assert [error.id for error in errors] == (["cms.E001"] if shared else [])


@pytest.mark.parametrize("url", ["redis://redis.internal:port/0", "redis://redis.internal:99999/0"])
def test_check_deploy_reports_a_redis_address_it_cannot_read(url):
    result = _manage(["check", "--deploy"], **{**PRODUCTION_ENV, "REDIS_URL": url})

    assert "Traceback" not in result.stderr
    assert "(cms.E002) A Redis address cannot be read" in result.stderr


def test_check_deploy_refuses_a_release_whose_front_end_was_never_built(settings, tmp_path):
    """cms/static/cms/dist/ is git-ignored and made by `npm run build`: a release from a fresh checkout has no
    portal.css, collectstatic copies what there is without a word, and every page on the base template is then a 500
    ("Missing staticfiles manifest entry") while /healthz answers 200. The release check says so first."""
    from cms.checks import check_front_end_built

    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATICFILES_DIRS = [tmp_path]

    errors = check_front_end_built(None)

    assert [error.id for error in errors] == ["cms.E003"]
    assert "cms/dist/portal.css and cms/dist/govuk-frontend.min.js are missing" in errors[0].msg
    assert "npm ci && npm run build" in errors[0].hint
    (tmp_path / "cms" / "dist").mkdir(parents=True)
    for name in ("portal.css", "govuk-frontend.min.js"):
        (tmp_path / "cms" / "dist" / name).write_text("/* built */")
    assert check_front_end_built(None) == []


def test_the_built_front_end_is_found_where_make_install_puts_it():
    from cms.checks import check_front_end_built

    assert check_front_end_built(None) == []


def test_the_largest_guidance_image_is_a_setting_in_whole_mb():
    probe = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)",
    ]
    assert _manage(probe, **PRODUCTION_ENV).stdout.strip() == str(10 * 1024 * 1024)
    assert _manage(probe, **PRODUCTION_ENV, PORTAL_MAX_GUIDANCE_IMAGE_MB="4").stdout.strip() == str(4 * 1024 * 1024)


@pytest.mark.parametrize("ceiling", [0, -5])
def test_check_deploy_refuses_an_audit_download_ceiling_below_one(settings, ceiling):
    """A ceiling of 0 or less would refuse every audit log download, however few entries the list holds."""
    from cms.checks import check_audit_download_ceiling

    settings.PORTAL_AUDIT_CSV_MAX_ROWS = ceiling
    errors = check_audit_download_ceiling(None)

    assert [error.id for error in errors] == ["cms.E004"]
    assert f"PORTAL_AUDIT_CSV_MAX_ROWS is {ceiling}" in errors[0].msg
    settings.PORTAL_AUDIT_CSV_MAX_ROWS = 1
    assert check_audit_download_ceiling(None) == []


def test_a_mail_server_that_speaks_tls_from_the_start_is_reached_with_email_use_ssl():
    """A server that offers only port 465 (TLS from the first byte) was out of reach: EMAIL_USE_SSL was not read."""
    probe = ["shell", "-c", "from django.conf import settings; print(settings.EMAIL_USE_SSL, settings.EMAIL_USE_TLS)"]

    assert _manage(probe, **PRODUCTION_ENV).stdout.splitlines()[-1] == "False False"
    assert _manage(probe, **PRODUCTION_ENV, EMAIL_USE_SSL="true").stdout.splitlines()[-1] == "True False"


def test_check_deploy_refuses_both_ways_of_securing_email_at_once(settings):
    """Django's SMTP backend raises at the first send with both on; the release check says so instead."""
    from cms.checks import check_one_way_to_secure_email

    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = True
    errors = check_one_way_to_secure_email(None)

    assert [error.id for error in errors] == ["cms.E005"]
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL are both on" in errors[0].msg
    settings.EMAIL_USE_TLS = False
    assert check_one_way_to_secure_email(None) == []
