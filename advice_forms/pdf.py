"""The advice form as a PDF: which template, which context. Rendering (WeasyPrint, the restricted URL fetcher) is
cms.pdf's, which the casework PDFs that extend advice_forms/pdf/base.html call directly.
"""

import datetime
import hashlib
import json
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from advice_forms.form_builder import SHARED_WITH_TEAM, FormBuilder, seen_as_words
from advice_forms.selectors import outcomes_for_pdf, request_records
from cms.pdf import file_data_url, render_pdf


def _frozen_outcome_groups(rows):
    """The outcomes written on the request, from a submission's frozen records, grouped as outcomes_for_pdf groups
    them (by Type, then Team: the rows are already in that order) for advice_forms/includes/outcomes_pdf.html."""
    written_here = [
        {**row, "created_at": datetime.date.fromisoformat(row["written_on"])}
        for row in rows or []
        if row.get("this_request")
    ]
    return [
        (
            {"display_name": need_type},
            [({"display_name": team}, list(items)) for team, items in groupby(by_type, key=lambda r: r["team"])],
        )
        for need_type, by_type in groupby(written_here, key=lambda r: r["type"])
    ]


def advice_pdf(
    *,
    version,
    answers: dict,
    preview: bool,
    raw_steps: dict | None = None,
    child_name: str = "",
    child_seen_as: str = "",
    account_name: str = "",
    submission=None,
    advice_request=None,
    records=None,
    standing: str = "",
):
    """The PDF of one advice form's answers against its pinned version: a PREVIEW naming what is missing, or the
    final copy of a submission. The only place that lays out an advice PDF; preview and submit both call it.

    ``records`` are the rows the record-backed questions show (selectors.request_records): a submission's frozen
    copy, so its PDF never changes; for a draft, read now from ``advice_request``. A preview passes the draft's
    ``raw_steps``, so what was typed in a step saved with errors shows, marked. With ``advice_request`` and a form
    with no outcomes question of its own, the outcomes written on that request follow the answers, grouped by Type
    then Team (frozen too, for a submission that froze its records). ``child_seen_as``: the initials a team account saw
    the child by, when the copy is the SEND service's, which names the child in full (``child_name``). ``standing``:
    what became of a submitted version since ("Replaced by version 2, …"), for a copy made on demand."""
    builder = FormBuilder(version)
    if records is None and advice_request is not None and submission is None:
        records = request_records(advice_request)
    summary = builder.summary(
        answers, with_guidance=True, records=records, raw_steps=raw_steps, with_kept_hidden=preview
    )
    _embed_guidance_pictures(summary)
    context = {
        "version": version,
        "summary": summary,
        "missing": builder.missing_required(answers, raw_steps, records=records) if preview else [],
        "preview": preview,
        "child_name": child_name,
        "child_shared": f"{SHARED_WITH_TEAM}: {seen_as_words(child_seen_as)}" if child_seen_as else "",
        "account_name": account_name,
        "submission": submission,
        "standing": standing,
        "now": timezone.localtime(),
        "outcome_groups": None,
    }
    if advice_request is not None and not builder.asks("record_outcomes"):
        if submission is not None and records is not None:
            context["outcome_groups"] = _frozen_outcome_groups(records.get("outcomes"))
        else:
            context["outcome_groups"] = outcomes_for_pdf(advice_request.child, advice_request=advice_request)
    return render_pdf("advice_forms/pdf/advice.html", context)


def advice_preview_pdf(*, advice_request, account) -> bytes:
    """The PREVIEW PDF of `advice_request`'s draft as `account` sees it: the caller has checked that the request is
    this account's. Kept in the cache for PORTAL_PREVIEW_PDF_CACHE_SECONDS (0: never kept), so a second click on an
    unchanged draft sends the same bytes instead of laying out every page again (3.8 s for 18 pages).

    The key is the request's and the account's ids and a digest of everything the PDF shows: the pinned version, the
    answers and the typing kept from a step with errors, the child record's rows the form shows (details, outcomes,
    contacts, contribution), the child's name as this request gives it and the account's name. Any change to one of
    them, wherever it was made, is a new key, so a changed draft is drawn afresh; only its "Preview made" time is the
    first click's. Nothing of the child is in the key itself."""
    records = request_records(advice_request)
    shown = {
        "version": advice_request.form_version_id,
        "answers": advice_request.answers,
        "raw_steps": advice_request.raw_steps,
        "records": records,
        "child_name": advice_request.child_display_name,
        "account_name": account.display_name or str(account),
    }
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()
    key = f"advice-preview-pdf:{advice_request.pk}:{account.pk}:{digest}"
    seconds = settings.PORTAL_PREVIEW_PDF_CACHE_SECONDS
    data = cache.get(key) if seconds else None
    if data is None:
        data = advice_pdf(
            version=advice_request.form_version,
            answers=advice_request.answers,
            raw_steps=advice_request.raw_steps,
            preview=True,
            child_name=shown["child_name"],
            account_name=shown["account_name"],
            advice_request=advice_request,
            records=records,
        )
        if seconds:
            cache.set(key, data, timeout=seconds)
    return data


def _embed_guidance_pictures(summary):
    """Each guidance picture as a data: URL on its row (`picture_src`): the PDF fetcher never reads media."""
    for part in summary:
        for row in part.rows:
            picture = row.field.options.get("image") if not row.field.asks else None
            image = picture.get("image") if picture else None
            if image is not None:
                row.picture_src = file_data_url(image.get_rendition("max-800x600").file)
