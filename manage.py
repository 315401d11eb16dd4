#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from settings.errors import EnvironmentRefused

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings, which check the environment)
    except EnvironmentRefused as error:
        sys.exit(f"manage.py: {error}")  # one line for the administrator, not a traceback
    execute_from_command_line(sys.argv)
