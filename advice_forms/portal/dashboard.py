"""The professional's home page in the portal: the requests shared with the account, grouped by what they
need, found by a child's name or a reference and filtered by status, and the inbox. Its query count does not grow
with the number of requests (one page is read)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from advice_forms.models import RequestState
from advice_forms.selectors import (
    DASHBOARD_GROUPS,
    dashboard_matches,
    dashboard_request_ids,
    dashboard_rows,
    request_counts_by_state,
    requests_for_account,
)
from portal_pages import otp
from portal_pages.access import professional_required
from portal_pages.selectors import inbox_messages_about, inbox_messages_for_account, inbox_unread_count

REQUESTS_PER_PAGE = 20
LATEST_MESSAGES = 3
# A name and a reference are short: a longer search is cut to this, and the page says so.
SEARCH_MAX_CHARACTERS = 100


@professional_required
def dashboard(request):
    account = request.user
    typed = request.GET.get("q", "").replace("\x00", "").strip()
    search = typed[:SEARCH_MAX_CHARACTERS].strip()
    # An unknown status (an old link, a changed address) shows every status rather than an error.
    state = request.GET.get("status", "")
    state = state if state in DASHBOARD_GROUPS else ""
    counts = request_counts_by_state(requests_for_account(account))
    requests = dashboard_matches(account, search=search, state=state)
    # Without a search the matches' counts are the account's counts: one query fewer.
    matching = request_counts_by_state(requests) if search else counts
    if state:
        matching = {state: matching.get(state, 0)}
    paginator = Paginator(dashboard_request_ids(requests), REQUESTS_PER_PAGE)
    # The total is known from the counts: the paginator need not count again.
    paginator.__dict__["count"] = sum(matching.values())
    page = paginator.get_page(request.GET.get("page"))
    # The page's ids stay a subquery: one query sorts the narrow rows and joins only this page's.
    page_rows = dashboard_rows(requests, page.object_list)
    labels = dict(RequestState.choices)
    groups = []
    for group_state in DASHBOARD_GROUPS:
        rows = [r for r in page_rows if r.state == group_state]
        if rows:
            total = matching.get(group_state, 0)
            groups.append({"state": group_state, "label": labels[group_state], "total": total, "rows": rows})
    filters = {key: value for key, value in (("q", search), ("status", state)) if value}
    return render(
        request,
        "advice_forms/portal/dashboard.html",
        {
            "backup_codes_left": otp.backup_codes_left(account),
            "device_count": otp.totp_devices(account).count(),
            "page": page,
            "groups": groups,
            "counts": [(labels[s], counts[s]) for s in DASHBOARD_GROUPS if counts.get(s)],
            "request_total": sum(counts.values()),
            "statuses": [(s, labels[s]) for s in DASHBOARD_GROUPS],
            "search": search,
            "search_shortened": len(typed) > SEARCH_MAX_CHARACTERS,
            "search_max_characters": SEARCH_MAX_CHARACTERS,
            "state": state,
            "state_label": labels.get(state, ""),
            "filtered": bool(filters),
            "match_total": paginator.count,
            # The search and filter, kept by every page link: "q=…&status=…&" (or "").
            "filter_params": f"{urlencode(filters)}&" if filters else "",
            "unread_count": inbox_unread_count(account),
            "latest_messages": inbox_messages_about(account, inbox_messages_for_account(account)[:LATEST_MESSAGES]),
        },
    )
