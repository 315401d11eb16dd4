import pytest
from django.db import DatabaseError

from faq.models import PageFeedback


@pytest.fixture
def comment_save_fails(monkeypatch):
    """A comment's write that fails (the database refuses it), simulated: the vote's own write still works."""
    save = PageFeedback.save

    def failing_save(feedback, *args, **kwargs):
        if "comment" in (kwargs.get("update_fields") or ()):
            raise DatabaseError("the comment could not be written")
        return save(feedback, *args, **kwargs)

    monkeypatch.setattr(PageFeedback, "save", failing_save)
    return monkeypatch
