"""The professional's home page in the portal: the requests shared with the account, grouped by what they
need, and the inbox. Its query count does not grow with the number of requests (one page is read)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from advice_forms.models import RequestState
from advice_forms.selectors import DASHBOARD_GROUPS, dashboard_request_ids, dashboard_rows, request_counts_by_state
from portal_pages import otp
from portal_pages.access import professional_required
from portal_pages.selectors import inbox_messages_for_account, inbox_unread_count

REQUESTS_PER_PAGE = 20
LATEST_MESSAGES = 3


@professional_required
def dashboard(request):
    account = request.user
    counts = request_counts_by_state(account)
    paginator = Paginator(dashboard_request_ids(account), REQUESTS_PER_PAGE)
    # The total is known from the counts: the paginator need not count again.
    paginator.__dict__["count"] = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    # The page's ids stay a subquery: one query sorts the narrow rows and joins only this page's.
    page_rows = dashboard_rows(account, page.object_list)
    labels = dict(RequestState.choices)
    groups = []
    for state in DASHBOARD_GROUPS:
        rows = [r for r in page_rows if r.state == state]
        if rows:
            groups.append({"state": state, "label": labels[state], "total": counts.get(state, 0), "rows": rows})
    return render(
        request,
        "advice_forms/portal/dashboard.html",
        {
            "backup_codes_left": otp.backup_codes_left(account),
            "device_count": otp.totp_devices(account).count(),
            "page": page,
            "groups": groups,
            "counts": [(labels[s], counts[s]) for s in DASHBOARD_GROUPS if counts.get(s)],
            "request_total": paginator.count,
            "unread_count": inbox_unread_count(account),
            "latest_messages": list(inbox_messages_for_account(account)[:LATEST_MESSAGES]),
        },
    )
