"""The "Was this page useful?" endpoints, pages the page cache never keeps.

Guidance pages are kept in the page cache for browsers without a session, so they carry no CSRF token (making one
for every visitor was a quarter of a cache hit's cost). Their Yes / Neutral / No buttons post the vote to
``feedback_vote_sent``, which takes it without a token but refuses a post a browser says came from another site; the
vote is stored on that first click with or without JavaScript, and the page comes back with the optional comment
form, now with a token (the voter has a session, so the page is drawn for them). With JavaScript, feedback.js asks
``feedback`` for a token (JSON) for the comment form and posts both without leaving the page. The comment, and the
vote of ``feedback``'s own page (shown again when a vote came without an answer), are checked for their CSRF token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import is_same_domain
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from cms.ratelimit import client_network
from faq.forms import FeedbackCommentForm, FeedbackVoteForm
from faq.selectors import feedback_for_session
from faq.services import FeedbackVoteRefused, feedback_comment_add, feedback_vote, feedback_vote_with_comment

THANKS = "Thank you for your feedback."
COMMENT_THANKS = "Thank you. Your comment has been sent to the team that looks after this page."
NO_VOTE = "Your comment has not been sent yet. Tell us whether this page was useful, then send it."
NOT_SENT = (
    "Your comment has not been sent because your browser is not accepting cookies from this site. Your words are "
    "still in the box below. Allow cookies for this site, then select Send comment again. If you cannot, copy your "
    "words so that you keep them."
)
# Said the same on the page without JavaScript and in place of the thanks with it (feedback.js shows the message).
TOO_MANY = (
    "You have sent a lot of feedback in the last hour, so we have not recorded this answer. People who share your "
    "internet connection, at work, at school or in a library, count towards the same limit. Try again later."
)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _vote_page(request, page, form, status=200):
    return render(request, "faq/feedback_vote.html", {"feedback_page": page, "form": form}, status=status)


def _feedback_page(page_id):
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    if not getattr(page, "show_feedback", False):
        raise Http404("This page takes no feedback")
    return page


def _from_another_site(request) -> bool:
    """Whether the browser says this request was sent by another site's page: by Fetch Metadata (Sec-Fetch-Site,
    sent by every current browser), else by the Origin header. "same-site" (another host of the site's domain, e.g.
    a council's guidance.example.org) is judged by its Origin as Django's CSRF check would judge it (a wildcard of
    CSRF_TRUSTED_ORIGINS takes it); "cross-site" is refused whatever its Origin. A request with neither header is
    not a browser's cross-site form, and could have sent the vote itself."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site in ("same-origin", "none"):
        return False
    if site == "same-site":
        return not (origin and _origin_trusted(request, origin))
    if site:
        return True
    if not origin:
        return False
    return not _origin_trusted(request, origin)


def _origin_trusted(request, origin: str) -> bool:
    """Whether Django's CsrfViewMiddleware would take a post from ``origin`` (its ``_origin_verified``, which is not
    public): this site's own origin (https when SECURE_PROXY_SSL_HEADER says so behind a proxy), an entry of
    CSRF_TRUSTED_ORIGINS, or the domain of an entry "https://*.example.org" or any of its subdomains, same scheme."""
    try:
        if origin == f"{'https' if request.is_secure() else 'http'}://{request.get_host()}":
            return True
    except DisallowedHost:
        pass
    trusted = settings.CSRF_TRUSTED_ORIGINS
    if origin in {entry for entry in trusted if "*" not in entry}:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    wildcards = (urlsplit(entry) for entry in trusted if "*" in entry)
    return any(
        is_same_domain(parsed.netloc, entry.netloc.lstrip("*")) for entry in wildcards if entry.scheme == parsed.scheme
    )


def _too_many(request, page):
    """A refused vote: said plainly, nothing stored and no session begun."""
    if _wants_json(request):
        return JsonResponse({"status": "too-many", "message": TOO_MANY}, status=429)
    return render(request, "faq/feedback_too_many.html", {"feedback_page": page, "message": TOO_MANY}, status=429)


def _voter(request) -> dict:
    """Who is voting, as faq.services' vote functions take it: this browser's session (its votes, one per page) and
    the address its hourly limits count. Every vote, on its own or sent with a comment, is counted by this."""
    return {"session": request.session, "client": client_network(request) or ""}


def _vote(request, page):
    form = FeedbackVoteForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "errors": _errors(form)}, status=400)
        return _vote_page(request, page, form, status=400)
    try:
        _feedback, created = feedback_vote(page=page, rating=form.cleaned_data["rating"], **_voter(request))
    except FeedbackVoteRefused:
        return _too_many(request, page)
    if _wants_json(request):
        return JsonResponse({"status": "voted" if created else "already-voted", "message": THANKS})
    return redirect(f"{page.get_url(request)}#feedback")


# No CSRF token: the guide page may come from the page cache, which keeps none. A forged vote could do no more than
# a visitor can (one anonymous vote per browser session, and from one address no more an hour than
# faq.services.feedback_vote takes), and one a browser says came from another site is refused.
@csrf_exempt
@never_cache
@require_POST
def feedback_vote_sent(request, page_id):
    page = _feedback_page(page_id)
    if _from_another_site(request):
        raise PermissionDenied("A vote from another site")
    return _vote(request, page)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, page_id):
    page = _feedback_page(page_id)

    if request.method == "GET":
        if _wants_json(request):
            return JsonResponse({"csrf_token": get_token(request)})
        chosen = FeedbackVoteForm(request.GET)
        initial = {"rating": chosen.cleaned_data["rating"]} if chosen.is_valid() else {}
        return _vote_page(request, page, FeedbackVoteForm(initial=initial))

    if request.POST.get("action") == "comment":
        return _comment(request, page)
    return _vote(request, page)


def _comment_not_sent(request, page_id):
    """The page for a comment refused by the CSRF check (cms.views.csrf_failure), as from a browser that refuses
    cookies: the words come back in the box with what to do, never lost. feedback.js, whose post fails the same way,
    sends the form plainly and so lands here too. A vote refused so gets the site's page (None)."""
    if request.method != "POST" or request.POST.get("action") != "comment":
        return None
    try:
        page = _feedback_page(page_id)
    except Http404:
        return None
    form = FeedbackCommentForm(initial={"comment": request.POST.get("comment", "")})
    context = {"feedback_page": page, "form": form, "errors": [], "not_sent": NOT_SENT}
    return render(request, "faq/feedback_comment.html", context, status=403)


feedback.csrf_failure = _comment_not_sent


def _comment(request, page):
    """A comment is kept with this browser's vote on the page. A browser with none (its session ended since it voted)
    is asked the question on the comment's own page, its words kept, and sends both together: never thanked for a
    comment that was not kept."""
    form = FeedbackCommentForm(request.POST)
    vote = feedback_for_session(page=page, session=request.session)
    vote_form = None if vote else FeedbackVoteForm(request.POST)
    if not all([form.is_valid(), vote or vote_form.is_valid()]):
        if _wants_json(request):
            errors = (_errors(vote_form) if vote_form else {}) | _errors(form)
            if vote:
                return JsonResponse({"status": "invalid", "errors": errors}, status=400)
            return JsonResponse({"status": "no-vote", "errors": errors, "message": NO_VOTE}, status=400)
        return _comment_page(request, page, form, vote_form)
    comment = form.cleaned_data["comment"]
    if vote:
        feedback_comment_add(feedback=vote, comment=comment)
    else:
        try:
            feedback_vote_with_comment(
                page=page, rating=vote_form.cleaned_data["rating"], comment=comment, **_voter(request)
            )
        except FeedbackVoteRefused:
            return _too_many(request, page)
    if _wants_json(request):
        return JsonResponse({"status": "commented", "message": COMMENT_THANKS})
    return redirect(f"{page.get_url(request)}#feedback")


def _comment_page(request, page, form, vote_form):
    """The comment's page with its errors beside the fields and in the summary, the question first."""
    summary = []
    if vote_form is not None and vote_form.errors:
        summary.append((f"#{vote_form['rating'][0].id_for_label}", vote_form.errors["rating"][0]))
    if form.errors:
        summary.append(("#feedback-comment", form.errors["comment"][0]))
    context = {"feedback_page": page, "form": form, "vote_form": vote_form, "errors": summary, "no_vote": NO_VOTE}
    return render(request, "faq/feedback_comment.html", context, status=400)
