import pytest
from django.core.cache import caches
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


@pytest.fixture
def empty_default_cache():
    """The once-a-minute guard on queuing a printable again lives in the default cache: start a test without it."""
    caches["default"].clear()
