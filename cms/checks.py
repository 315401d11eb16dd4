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


@register(Tags.security, deploy=True)
def check_demo_tools_off(app_configs, **kwargs):
    if not settings.PORTAL_DEMO_TOOLS:
        return []
    return [
        Warning(
            "PORTAL_DEMO_TOOLS is on: load_demo_content makes accounts with the README's passwords, demo_totp "
            "prints any account's authenticator code, bench_seed and bench_advice write benchmark accounts and "
            "requests, and capture_guides starts a browser and a second server.",
            hint="Leave it on only for a training site with no real accounts; unset it anywhere else.",
            id="cms.W002",
        )
    ]
