"""`make guides` on a fresh clone: the database it photographs the guides of gets the demo first when it has no
content (read from the commands make would run, `make --dry-run`, so nothing starts)."""

import pytest

from tests.terminal import MAKE, make_dry_run

pytestmark = pytest.mark.skipif(not MAKE, reason="`make guides` needs make")


def test_make_guides_loads_the_demo_into_an_empty_database_before_it_photographs_the_guides():
    commands = make_dry_run("guides").splitlines()

    steps = [
        next(i for i, line in enumerate(commands) if step in line)
        for step in (
            "manage.py migrate",
            "manage.py load_demo_content --if-empty",
            "manage.py capture_guides",
        )
    ]
    assert steps == sorted(steps)
