"""The whole advice loop through the real views of both sides, as a co-ordinator and a team account walk it:
share → inbox + email → fill every step (one invalid, kept) → preview PDF → submit → PDF filed → return with a
reason → resubmit → version 2 → accept."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from advice_forms.models import AdviceRequest, RequestState, Submission
from portal_pages.models import InboxMessage
from tests.advice_forms.admin.test_sharing import share_data, share_url
from tests.advice_forms.portal.test_wizard import fill_all_steps, pdf_text, step_url, submit, url
from tests.factories.accounts import staff_in_group, verified_login
from tests.factories.advice_forms import ChildRecordFactory, request_page, step_data


def test_the_whole_advice_loop(verified_client, professional, small_form, django_capture_on_commit_callbacks):
    caseworker = staff_in_group("SEND caseworker", first_name="Casey", last_name="Worker")
    staff = verified_login(Client(), caseworker)
    child = ChildRecordFactory(first_name="Isolde", last_name="Brackenridge", coordinator=caseworker)

    # Share: an inbox message that may name the child, and one email that says only that a message waits.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(share_url(child), share_data(small_form, professional))
    assert response.status_code == 302
    advice_request = AdviceRequest.objects.get(child=child)
    assert advice_request.state == RequestState.TO_DO
    assert InboxMessage.objects.filter(account=professional, link=request_page(advice_request)).exists()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [professional.email]
    for word in ("Isolde", "Brackenridge"):
        assert word not in email.subject and word not in email.body

    # Fill: an invalid step is saved anyway and shown back; then every step.
    client = verified_client
    typed = {**step_data()["about"], "last_seen-day": "31", "last_seen-month": "2", "action": "continue"}
    html = client.post(step_url(advice_request, "about"), typed).content.decode()
    assert "There is a problem" in html and "weekly for speech therapy" in html

    # Preview before finishing: marked PREVIEW, naming the section that is still missing.
    preview = client.get(url("request_preview_pdf", advice_request))
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert (
        "PREVIEW" in text
        and "These answers are missing or need correcting" in text
        and "About your involvement" in text
    )

    fill_all_steps(client, advice_request)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, advice_request)
    first = Submission.objects.get(request=advice_request)
    assert first.number == 1 and first.pdf is not None
    assert "Oakfield Primary SENCO" in pdf_text(first.pdf.file.read())
    first_pdf = first.pdf.file.open("rb").read()

    # Return with a reason: the form reopens, the reason shows at the top of the request page.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("review_queue:return", args=[advice_request.pk]), {"reason": "Add the date.", "submission": 1}
        )
    assert response.status_code == 302
    page = client.get(url("request_detail", advice_request)).content.decode()
    assert "Add the date." in page

    # Resubmit: version 2, and version 1 with its PDF kept as it was.
    client.post(step_url(advice_request, "other"), {"anything_else": "The report is attached.", "action": "continue"})
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, advice_request)
    second = Submission.objects.get(request=advice_request, number=2)
    assert second.answers["other"]["anything_else"] == "The report is attached."
    first.refresh_from_db()
    assert first.pdf.file.open("rb").read() == first_pdf

    # Accept: the request is locked.
    response = staff.post(
        reverse("review_queue:accept", args=[advice_request.pk]), {"submission": 2, "confirmed": "yes"}
    )
    assert response.status_code == 302
    advice_request.refresh_from_db()
    assert advice_request.state == RequestState.ACCEPTED
    refused = client.post(step_url(advice_request, "other"), {"anything_else": "changed", "action": "continue"})
    # Refused, nothing written; the step comes back holding what was typed (a colleague may have accepted it meanwhile).
    assert refused.status_code == 403 and "changed" in refused.content.decode()
    advice_request.refresh_from_db()
    assert advice_request.answers["other"]["anything_else"] == "The report is attached."
