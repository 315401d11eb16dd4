"""The admin's own lists and pages write a time one way, GOV.UK style ("2 November 2026 at 2:05pm"): they wrote it
four ways (Django's "2 Nov 2026, 2:05 p.m.", Wagtail's "3 weeks ago", "2 Nov 2026 14:05", "2 November 2026 at
14:05")."""

import datetime

import time_machine
from bs4 import BeautifulSoup
from wagtail.log_actions import log

from cms.services import audit_record
from faq.models import PageFeedback
from portal_pages.events import AccountEvent
from portal_pages.models import AccountState, JoinRequest, User
from tests.factories.advice_forms import ChildRecordFactory
from tests.factories.faq import FAQPageFactory

WHEN = datetime.datetime(2026, 11, 2, 14, 5, tzinfo=datetime.UTC)  # GMT: the same hour in London
SHOWN = "2 November 2026 at 2:05pm"


def _text(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_every_admin_list_and_page_of_ours_writes_a_time_the_one_way(verified_admin_client, professional, home_page):
    with time_machine.travel(WHEN, tick=False):
        entry = audit_record(action=AccountEvent.SIGNED_IN, actor=professional, target=professional)
        User.objects.filter(pk=professional.pk).update(last_login=WHEN)
        log(instance=professional, action="wagtail.edit")
        log(instance=professional.organisation, action="wagtail.edit")
        child = ChildRecordFactory()
        log(instance=child, action="wagtail.edit")
        waiting = User.objects.create_user(
            "slt@unlisted-service.example.org", "a-long-test-password", account_state=AccountState.AWAITING_APPROVAL
        )
        JoinRequest.objects.create(
            account=waiting, organisation_name="Unlisted SLT", kind="speech_and_language", email_domain="unlisted.test"
        )
        faq = FAQPageFactory(parent=home_page, title="Signing in")
        PageFeedback.objects.create(page=faq, rating="no", comment="Too long.")

    pages = {
        "audit log": "/admin/audit_log/",
        "audit entry": f"/admin/audit_log/inspect/{entry.pk}/",
        "team accounts": "/admin/team_accounts/",
        "team account history": f"/admin/team_accounts/history/{professional.pk}/",
        "organisation history": f"/admin/organisation/history/{professional.organisation_id}/",
        "child record history": f"/admin/child_records/history/{child.pk}/",
        "requests to join": "/admin/accounts/requests-to-join/",
        "page feedback": "/admin/reports/page-feedback/",
        "one page's feedback": f"/admin/reports/page-feedback/{faq.pk}/",
    }
    wrong = {}
    for name, url in pages.items():
        text = _text(verified_admin_client.get(url))
        others = [other for other in ("2 Nov 2026", "2:05 p.m.", "14:05", " ago") if other in text]
        if SHOWN not in text or others:
            wrong[name] = others
    assert wrong == {}
