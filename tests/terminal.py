"""Running a command as a terminal runs its foreground job: a process group of its own, SIGINT at its default, and
only what a developer's shell would hold in its environment (none of the test run's DATABASE_URL, REDIS_URL or
settings module), with no .env read from the project folder (tests/child_env.py). tests/test_make_run.py and
tests/cms/test_django_q_compat.py signal such groups."""

import os
import shutil
import signal
import subprocess
from pathlib import Path

from tests.child_env import child_env

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make")


def shell_env(**extra) -> dict:
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    return child_env(env, **extra)


def _terminal_default_sigint():
    # A process started in the background inherits SIGINT ignored, and a shell cannot trap a signal ignored on
    # entry; a terminal's foreground job has SIGINT at its default, as here.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_in_terminal(argv, *, env, out) -> subprocess.Popen:
    """Start ``argv`` in the checkout as a terminal's foreground job, its output (and errors) written to ``out``."""
    return subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_terminal_default_sigint,  # noqa: PLW1509 (no threads of ours start before it)
    )


def group_alive(process) -> bool:
    """Whether any process of ``process``'s group is left (a zombie counts until it is reaped)."""
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def make_dry_run(target, *arguments, **env) -> str:
    """The commands ``make <target>`` would run (``--dry-run``, so nothing starts), its installation step taken as
    done, with only PATH and ``env`` in its environment."""
    return subprocess.run(
        [MAKE, "--no-print-directory", "--dry-run", "-o", "install", target, *arguments],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
