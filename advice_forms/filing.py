"""Files about a child kept privately with django-filer: one folder per child record, never a public URL.

Submitted PDFs and professionals' uploads are filed here, and are served only through our own views that
check the requester's right to each file.
"""

import uuid

from django.core.files.base import ContentFile
from filer.models import File, Folder

ROOT_FOLDER_NAME = "Child records"


def child_record_folder(child):
    root, _ = Folder.objects.get_or_create(name=ROOT_FOLDER_NAME, parent=None)
    folder, _ = Folder.objects.get_or_create(name=f"Child record {child.pk}", parent=root)
    return folder


def file_private_pdf(*, child, data: bytes, title: str, original_filename: str = "", owner=None) -> File:
    """Store PDF bytes privately in the child's folder under a generated name; returns the filer File."""
    stored_name = f"{uuid.uuid4().hex}.pdf"
    filer_file = File(
        folder=child_record_folder(child),
        name=title[:255],
        original_filename=(original_filename or stored_name)[:255],
        owner=owner,
        is_public=False,
    )
    filer_file.file.save(stored_name, ContentFile(data), save=False)
    filer_file.save()
    return filer_file
