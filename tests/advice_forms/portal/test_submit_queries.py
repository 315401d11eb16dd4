"""Submit's cost: the child record's rows the form shows are read once, for what is missing and for what the
submission freezes alike."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advice_forms.models import Submission
from tests.advice_forms.portal.test_wizard import fill_all_steps, url
from tests.factories.advice_forms import AdviceRequestFactory, ChildRecordFactory

pytestmark = pytest.mark.django_db

RECORD_TABLES = ("portal_pages_outcome", "portal_pages_professionalcontact", "portal_pages_contribution")


def test_submitting_reads_the_child_records_rows_once(verified_client, professional, small_form):
    advice_request = AdviceRequestFactory(account=professional, form_version=small_form, child=ChildRecordFactory())
    fill_all_steps(verified_client, advice_request)
    page = verified_client.get(url("request_check_answers", advice_request)).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)

    with CaptureQueriesContext(connection) as queries:
        response = verified_client.post(url("request_submit", advice_request), {"idempotency_key": key})

    assert response.status_code == 302 and Submission.objects.filter(request=advice_request).exists()
    reads = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    read_from = {table: sum(f'FROM "{table}"' in sql for sql in reads) for table in RECORD_TABLES}
    assert read_from == dict.fromkeys(RECORD_TABLES, 1), read_from
