"""System checks of the site core that only a deployment needs (``check --deploy``): what an administrator chose
to switch off, said again where a release is checked."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_virus_scanning_on(app_configs, **kwargs):
    if settings.CLAMD_ADDRESS:
        return []
    return [
        Warning(
            "Uploads are not scanned for viruses: CLAMD_ADDRESS is off.",
            hint="Set CLAMD_ADDRESS to clamd's host:port or socket path (docs/operations.md, Virus scanning).",
            id="cms.W001",
        )
    ]
