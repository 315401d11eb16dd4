"""An inbox message that named a request keeps leading to it when the inbox stops holding a key to advice_forms'
request (portal_pages 0013), and going back restores the key."""

import pytest

from advice_forms.models import FormKind
from portal_pages.models import InboxMessage
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import advice_request, one_section_form, request_page
from tests.migrations import leaf_nodes, migrate

BEFORE = [("portal_pages", "0012_requests_to_join")]
AFTER = [("portal_pages", "0013_inbox_links_not_requests")]


@pytest.mark.django_db(transaction=True)
def test_a_message_about_a_request_leads_to_its_page_after_the_inbox_drops_its_key():
    account = ProfessionalFactory()
    shared = advice_request(account, version=one_section_form(FormKind.ERSA))
    try:
        old = migrate(BEFORE).get_model("portal_pages", "InboxMessage")
        about = old.objects.create(
            account_id=account.pk, subject="S", body="B", event_key="m:1", advice_request_id=shared.pk
        )
        plain = old.objects.create(account_id=account.pk, subject="S", body="B", event_key="m:2")

        migrate(AFTER)

        assert InboxMessage.objects.get(pk=about.pk).link == request_page(shared)
        assert InboxMessage.objects.get(pk=about.pk).link_text == "Go to the request"
        assert (InboxMessage.objects.get(pk=plain.pk).link, InboxMessage.objects.get(pk=plain.pk).link_text) == ("", "")

        back = migrate(BEFORE).get_model("portal_pages", "InboxMessage")
        assert back.objects.get(pk=about.pk).advice_request_id == shared.pk
        assert back.objects.get(pk=plain.pk).advice_request_id is None
    finally:
        migrate(leaf_nodes())
