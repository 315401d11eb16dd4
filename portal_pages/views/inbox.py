"""The account's inbox: messages from the SEND service (shared requests, receipts, returns, reminders)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal_pages.access import professional_required
from portal_pages.models import InboxMessage

MESSAGES_PER_PAGE = 20


def messages_for_account(account):
    return InboxMessage.objects.filter(account=account)


@professional_required
@require_GET
def inbox(request):
    page = Paginator(messages_for_account(request.user), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    unread = messages_for_account(request.user).filter(read_at__isnull=True).count()
    return render(request, "portal_pages/inbox.html", {"page": page, "unread_count": unread})


@professional_required
@require_GET
def inbox_message(request, pk):
    """Reading a message marks it read."""
    message = get_object_or_404(messages_for_account(request.user).select_related("advice_request"), pk=pk)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return render(request, "portal_pages/inbox_message.html", {"message": message})
