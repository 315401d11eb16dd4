"""The PDF checks load pypdf with the first PDF they read, not when the site starts (cms/pdf_checks.py)."""

import os
import subprocess
import sys
from pathlib import Path

from tests.child_env import child_env

ROOT = Path(__file__).resolve().parent.parent.parent


def test_starting_the_site_leaves_pypdf_unloaded_until_a_pdf_is_checked():
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); print('pypdf' in sys.modules); "
        "from cms.pdf_checks import pdf_bytes_problem; from tests.factories.advice_forms import pdf_bytes; "
        "print(pdf_bytes_problem(pdf_bytes()), 'pypdf' in sys.modules)"
    )
    env = child_env(DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "settings.test"))

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["False", "None", "True"]
