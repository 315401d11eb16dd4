"""cms/templates/wagtailadmin/tables/column_header.html is a copy of Wagtail's, adding aria-sort to a sortable column
(tests/advice_forms/admin/test_review_queue.py tests what it shows). The copy holds only while Wagtail's own template
is the one it was made from: this test fails when upstream changes it, so the copy is made again (or dropped, once
upstream writes aria-sort itself)."""

import re
from pathlib import Path

import wagtail
from django.conf import settings

OURS = Path(settings.BASE_DIR) / "cms/templates/wagtailadmin/tables/column_header.html"
UPSTREAM = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/tables/column_header.html"


def test_our_column_header_is_wagtails_with_aria_sort_only():
    ours = OURS.read_text()
    ours = re.sub(r"\{% comment %\}.*?\{% endcomment %\}\n", "", ours, flags=re.S)
    ours = re.sub(r'\{% if is_orderable %\} aria-sort="[^"]*"\{% endif %\}', "", ours, count=1)
    assert ours == UPSTREAM.read_text()


def test_upstream_still_writes_no_aria_sort():
    assert "aria-sort" not in UPSTREAM.read_text()
