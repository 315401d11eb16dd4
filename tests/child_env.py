"""The environment of a process that a test starts with the project's settings (manage.py, python -c, make run,
pytest): what the test gives it, and never the project folder's .env.

settings/base.py reads a .env in the project folder into every process that loads the settings, unless PORTAL_DOTENV
is off. A developer's own .env (DATABASE_URL, SECRET_KEY, MEDIA_ROOT, an email transport) would put back what a test
leaves out on purpose, or change what it reads, so a test's result would depend on whose checkout runs it.
"""

import os


def child_env(env=None, **changes) -> dict:
    """``env`` (this process's environment when none is given) with ``changes``, reading no .env."""
    return {**(os.environ if env is None else env), **changes, "PORTAL_DOTENV": "off"}
