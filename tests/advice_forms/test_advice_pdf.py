from io import BytesIO, StringIO

from django.core.management import call_command
from pypdf import PdfReader

from advice_forms.form_builder import FormBuilder
from advice_forms.models import FormDefinitionVersion, FormKind
from advice_forms.pdf import advice_pdf


def _text(data):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_preview_of_the_demo_ersa_names_missing_sections_and_says_preview(db, home_page):
    call_command("load_demo_content", stdout=StringIO())
    version = FormDefinitionVersion.objects.filter(kind=FormKind.ERSA).latest("published_at")
    builder = FormBuilder(version)
    first = builder.visible_sections({})[0]

    data = advice_pdf(version=version, answers={}, preview=True, child_name="A B", account_name="Oak SENCO")

    text = _text(data)
    assert "PREVIEW" in text
    assert "These answers are missing or need correcting" in text
    assert first.title in text
    assert builder.missing_required({})[0].field_label.split()[0] in text
