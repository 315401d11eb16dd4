from io import StringIO

from django.core.management import call_command

from portal_pages.demo import DEMO_PASSWORD, STAFF, TEAM_ACCOUNTS
from portal_pages.models import Organisation, User


def test_demo_accounts_sign_in_with_the_printed_password_and_demo_totp_code(client, db):
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    call_command("load_demo_content", stdout=StringIO())  # idempotent
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    assert all(email in printed for email, _, _ in TEAM_ACCOUNTS)
    assert User.objects.filter(email__in=[e for e, *_ in TEAM_ACCOUNTS]).count() == len(TEAM_ACCOUNTS)
    for email, _, _, group in STAFF:
        assert User.objects.get(email=email).groups.filter(name=group).exists()

    email = TEAM_ACCOUNTS[0][0]
    response = client.post("/portal/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    assert response.url == "/portal/sign-in/code/"
    code = StringIO()
    call_command("demo_totp", email, stdout=code)
    response = client.post("/portal/sign-in/code/", {"code": code.getvalue().strip()})
    assert response.url == "/portal/"
    assert "Oakfield Primary SENCO" in client.get("/portal/").content.decode()
    for address in [e for e, *_ in TEAM_ACCOUNTS] + [e for e, *_ in STAFF]:
        assert address.endswith(".example.org")


def test_the_demo_lists_each_school_or_setting_once(demo_content, db):
    """The hand-made organisations GIAS lists too were second rows beside GIAS's: "Kestrelford Sixth Form College"
    and "Kestrelford Sixth Form College (Kestrelford)", "Little Wrens Nursery" and "Little Wrens Nursery School"."""
    call_command("load_demo_content", stdout=StringIO())  # a second load (the first is the module's)

    names = sorted(Organisation.objects.values_list("name", flat=True))
    assert [(a, b) for a in names for b in names if a != b and b.startswith(a)] == []
    assert "Little Wrens Nursery" in names and "Kestrelford Sixth Form College" in names
    college = Organisation.objects.get(name="Kestrelford Sixth Form College")
    assert college.urn == 990004 and college.email_domains == "kestrelford-sixthform.example.org"
