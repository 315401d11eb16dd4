"""cms.admin_search copies Wagtail's dashboard content block (cms/templates/wagtailadmin/home.html): an upgrade of
Wagtail that changes the template it was copied from fails here, to be read and copied again."""

import hashlib
from pathlib import Path

import wagtail.admin

from cms.admin_search import UPSTREAM_HOME_SHA256


def test_wagtails_dashboard_template_is_the_one_the_copy_was_made_from():
    upstream = Path(wagtail.admin.__file__).parent / "templates" / "wagtailadmin" / "home.html"
    assert hashlib.sha256(upstream.read_bytes()).hexdigest() == UPSTREAM_HOME_SHA256, (
        "Wagtail's wagtailadmin/home.html changed: copy its content block into cms/templates/wagtailadmin/home.html "
        "again, keeping the search form's change, and update UPSTREAM_HOME_SHA256"
    )
