"""The account's inbox: messages from the SEND service (shared requests, receipts, returns, reminders)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from portal_pages.access import professional_required
from portal_pages.selectors import inbox_messages_about, inbox_messages_for_account, inbox_unread_count
from portal_pages.services.inbox import inbox_message_read

MESSAGES_PER_PAGE = 20


@professional_required
@require_GET
def inbox(request):
    page = Paginator(inbox_messages_for_account(request.user), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    # Messages alike ("New request: …") tell apart by what each is about (a request's child, named as it may be).
    page.object_list = inbox_messages_about(request.user, page.object_list)
    return render(request, "portal_pages/inbox.html", {"page": page, "unread_count": inbox_unread_count(request.user)})


@professional_required
@require_GET
def inbox_message(request, pk):
    """Reading a message marks it read. It says what it is about as the inbox does."""
    message = get_object_or_404(inbox_messages_for_account(request.user), pk=pk)
    inbox_message_read(message=message)
    [message] = inbox_messages_about(request.user, [message])
    return render(request, "portal_pages/inbox_message.html", {"message": message})
