"""What the tests of staff's guidance uploads share: a picture to upload, and the errors Wagtail shows beside a file
field."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.models import Collection


def png(size=None, name="step.png"):
    """A small picture, padded after its end to ``size`` bytes as a phone's photograph is large."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (10, 120, 60)).save(buffer, format="PNG")
    data = buffer.getvalue()
    if size is not None:
        data += b"\0" * (size - len(data))
    return SimpleUploadedFile(name, data, content_type="image/png")


def root_collection():
    return Collection.get_first_root_node().pk


def beside_the_file_field(page):
    """The errors Wagtail shows above the file input of an admin form."""
    return page.split('data-contentpath="file"', 1)[1].split("data-field-input", 1)[0]
