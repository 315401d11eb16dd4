"""`make serve-prod` moves off ports 8001 and 8002 when told to, as `make run` moves off 8000 (read from the command
make would run, `make --dry-run`, so nothing starts)."""

import subprocess
import sys

import pytest

from tests.terminal import MAKE, make_dry_run

pytestmark = pytest.mark.skipif(not MAKE, reason="`make serve-prod` needs make")


def _serve_prod_command(*arguments, **env):
    return make_dry_run("serve-prod", *arguments, **env)


def test_serve_prod_takes_its_ports_from_the_command_line():
    assert "--ports 9001,9002" in _serve_prod_command("PORT=9001")
    assert "--ports 8001,8002" in _serve_prod_command()
    assert "--ports 9001,9005" in _serve_prod_command("PROD_PORTS=9001,9005")


def test_a_port_set_in_the_shell_for_another_tool_does_not_move_serve_prod():
    assert "--ports 8001,8002" in _serve_prod_command(PORT="3000")


@pytest.mark.parametrize("ports", ["abc,1", "8001,", "0,8002", "70000"])
def test_ports_that_are_not_port_numbers_are_one_line_saying_what_to_give(ports):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"--ports takes port numbers \(1 to 65535\) separated by commas"):
        call_command("serve_prod", ports=ports)


def test_serve_prod_manage_runs_the_command_given_against_the_shapes_database_and_redis():
    command = make_dry_run("serve-prod-manage", "ARGS=demo_totp admin@kestrelford.example.org --uri")
    assert (
        "-m bench.topology manage --database-url postgres://postgres@127.0.0.1:5432/portal_prod "
        "--redis-url redis://127.0.0.1:6379/1 demo_totp admin@kestrelford.example.org --uri"
    ) in command


def test_a_command_run_through_the_topology_has_the_shapes_production_environment_and_its_exit_status(monkeypatch):
    """`.venv/bin/python manage.py demo_totp` ran development settings: against `make serve-prod` it failed, and left
    an empty db.sqlite3 behind."""
    from bench import topology

    ran = {}

    def run(argv, *, cwd, env, **kwargs):
        ran.update(argv=argv, cwd=cwd, env=env)
        return subprocess.CompletedProcess(argv, 3)

    monkeypatch.setattr(topology.subprocess, "run", run)
    monkeypatch.setenv("PORTAL_DEMO_TOOLS", "off")  # the caller's environment does not reach it

    status = topology.main(["manage", "--redis-url", "redis://127.0.0.1:6379/5", "demo_totp", "a@b.example", "--uri"])

    assert status == 3
    assert ran["argv"] == [sys.executable, "manage.py", "demo_totp", "a@b.example", "--uri"]
    assert ran["cwd"] == topology.ROOT
    env = ran["env"]
    assert env["DJANGO_SETTINGS_MODULE"] == "settings.production"
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/portal_prod"
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/5"
    assert env["SECRET_KEY"] == topology.LOCAL_SECRET_KEY and env["PORTAL_DEMO_TOOLS"] == "on"


def test_the_topology_asks_for_a_command_to_run(capsys):
    from bench import topology

    with pytest.raises(SystemExit):
        topology.main(["manage"])
    assert "name a management command" in capsys.readouterr().err
