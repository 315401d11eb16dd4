"""`make serve-prod` moves off ports 8001 and 8002 when told to, as `make run` moves off 8000 (read from the command
make would run, `make --dry-run`, so nothing starts)."""

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
