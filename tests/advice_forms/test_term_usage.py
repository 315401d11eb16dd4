"""How much a Team or Type is used decides whether it may be deleted: rows that point at it and answers, submitted
or draft, that name it in an outcome or contact row, each counted once; the same code elsewhere counts nothing."""

import pytest

from advice_forms.models import NeedType, Outcome, Team
from advice_forms.selectors import taxonomy_term_usage
from tests.factories.accounts import ProfessionalFactory
from tests.factories.advice_forms import advice_request, small_form_version, submission_make

pytestmark = pytest.mark.django_db


def _row(team, need_type):
    return {"team": team, "type": need_type, "outcome": "Asks for help", "provision": "", "timescale": ""}


def test_rows_and_answers_are_counted_once_each():
    version = small_form_version()
    slt, ep = Team.objects.get(code="SLT"), Team.objects.get(code="EP")
    comms = NeedType.objects.get(code="Comms")
    account = ProfessionalFactory()
    written = advice_request(account, version=version)
    Outcome.objects.create(
        child=written.child, advice_request=written, author=account, team=slt, need_type=comms, outcome="Talks more"
    )
    assert (taxonomy_term_usage(slt), taxonomy_term_usage(comms)) == (1, 1)

    # A submission freezes the answers and leaves them on its request too: two things that name EP.
    submitted = advice_request(account, version=version)
    submission_make(submitted, {"outcomes": {"outcomes": [_row("EP", "Comms"), _row("EP", "Comms")]}})
    assert taxonomy_term_usage(ep) == 2
    assert taxonomy_term_usage(comms) == 3

    # A code as a Team is not the same code as a Type, nor free text, nor a value that is not a section's answers.
    draft = advice_request(account, version=version)
    draft.answers = {
        "outcomes": {"outcomes": [_row("OT", "SEMH")]},
        "about": {"notes": "VI", "rows": ["VI"]},
        "imported": "VI",
    }
    draft.save()
    assert taxonomy_term_usage(Team.objects.get(code="OT")) == 1
    assert taxonomy_term_usage(NeedType.objects.get(code="SEMH")) == 1
    assert taxonomy_term_usage(Team.objects.get(code="VI")) == 0
