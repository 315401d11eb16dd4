"""The "Was this page useful?" endpoint, a page the page cache never keeps.

Guidance pages are kept in the page cache for browsers without a session, so they carry no CSRF token (making one
for every visitor was a quarter of a cache hit's cost): their "Was this page useful?" buttons send a GET here. Without
JavaScript that shows this page's own form, with a token, for the visitor to send; with it, feedback.js asks here
for a token (JSON) and posts the vote without leaving the page. Every POST is still checked for its CSRF token.
"""

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from faq.forms import FeedbackCommentForm, FeedbackVoteForm
from faq.services import feedback_comment_add, feedback_vote

THANKS = "Thank you for your feedback."
COMMENT_THANKS = "Thank you. Your comment has been sent to the team that looks after this page."


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _vote_page(request, page, form, status=200):
    return render(request, "faq/feedback_vote.html", {"feedback_page": page, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request, page_id):
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    if not getattr(page, "show_feedback", False):
        raise Http404("This page takes no feedback")
    page_url = f"{page.get_url(request)}#feedback"

    if request.method == "GET":
        if _wants_json(request):
            return JsonResponse({"csrf_token": get_token(request)})
        chosen = FeedbackVoteForm(request.GET)
        initial = {"rating": chosen.cleaned_data["rating"]} if chosen.is_valid() else {}
        return _vote_page(request, page, FeedbackVoteForm(initial=initial))

    if request.POST.get("action") == "comment":
        form = FeedbackCommentForm(request.POST)
        if not form.is_valid():
            if _wants_json(request):
                return JsonResponse({"status": "invalid", "errors": _errors(form)}, status=400)
            return render(request, "faq/feedback_comment.html", {"feedback_page": page, "form": form}, status=400)
        stored = feedback_comment_add(page=page, comment=form.cleaned_data["comment"], session=request.session)
        if _wants_json(request):
            return JsonResponse({"status": "commented" if stored else "no-vote", "message": COMMENT_THANKS})
        return redirect(page_url)

    form = FeedbackVoteForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"status": "invalid", "errors": _errors(form)}, status=400)
        return _vote_page(request, page, form, status=400)
    _feedback, created = feedback_vote(page=page, rating=form.cleaned_data["rating"], session=request.session)
    if _wants_json(request):
        return JsonResponse({"status": "voted" if created else "already-voted", "message": THANKS})
    return redirect(page_url)
