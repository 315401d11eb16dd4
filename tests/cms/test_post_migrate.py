"""The apps' post_migrate hooks (role groups, the guidance workflow, django-q2 schedules) on a partial migrate: an
administrator who migrates one app of a new database first (`manage.py migrate django_q`) got a LookupError for
'auth' from the hooks; they now wait for the migrate that brings their apps."""

import subprocess
import sys

from tests.terminal import ROOT, shell_env


def _manage(database, *argv):
    env = shell_env(DJANGO_SETTINGS_MODULE="settings.dev", DATABASE_URL=f"sqlite:///{database}")
    return subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_migrating_one_app_of_a_new_database_first_succeeds(tmp_path):
    done = _manage(tmp_path / "db.sqlite3", "migrate", "django_q", "--no-input")

    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert "Applying django_q.0001_initial... OK" in done.stdout
