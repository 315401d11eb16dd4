"""Form helpers of the site core shared by the apps' admin screens."""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cms.pdf_checks import pdf_bytes_problem
from cms.virus_scan import upload_virus_problem


class GuidanceDocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a PDF that staff upload for the public passes
    the same content checks as a professional's, so no guidance download carries a script, a launch action or
    an embedded file, and none is too large to open; every file is scanned for viruses (cms.virus_scan)."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or uploaded == self.original_file:
            return uploaded
        uploaded.seek(0)
        data = uploaded.read()
        uploaded.seek(0)
        if uploaded.name.lower().endswith(".pdf") or data.startswith(b"%PDF-"):
            problem = pdf_bytes_problem(data)
            if problem:
                raise ValidationError(problem)
        problem = upload_virus_problem(data)
        if problem:
            raise ValidationError(problem)
        return uploaded


class GuidanceImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): every image staff upload is scanned for viruses."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is None or uploaded == self.original_file:
            return uploaded
        uploaded.seek(0)
        problem = upload_virus_problem(uploaded.read())
        uploaded.seek(0)
        if problem:
            raise ValidationError(problem)
        return uploaded
