"""The professional's home page in the portal; later work adds the requests shared with the account."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from portal_pages import otp
from portal_pages.access import professional_required


@professional_required
def dashboard(request):
    return render(
        request,
        "portal_pages/dashboard.html",
        {
            "backup_codes_left": otp.backup_codes_left(request.user),
            "device_count": otp.totp_devices(request.user).count(),
        },
    )


@professional_required
@require_POST
def keep_alive(request):
    """ "Stay signed in": PortalSessionMiddleware has already counted this request as activity."""
    return JsonResponse({"idle_seconds": settings.PORTAL_SESSION_IDLE_SECONDS})
