"""The portal's "Stay signed in" button: the session time-out warning (session_timeout.html) posts here."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from portal_pages.access import professional_required


@professional_required
@require_POST
def keep_alive(request):
    """ "Stay signed in": PortalSessionMiddleware has already counted this request as activity."""
    return JsonResponse({"idle_seconds": settings.PORTAL_SESSION_IDLE_SECONDS})
