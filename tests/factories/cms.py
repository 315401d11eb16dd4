import factory
import wagtail_factories
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from cms.models import HelpPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Professional portal for SEND advice"
    slug = "home"
    intro = "<p>Send your advice to the SEND service.</p>"

    class Meta:
        model = HomePage


class HelpPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Help page {n}")
    intro = "Help for professionals."

    class Meta:
        model = HelpPage


def published(page):
    """Publish ``page`` as an editor would (a revision, then publish) and return it as stored."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def published_with_tasks(page, capture):
    """``published``, letting the transaction commit (``capture``: pytest-django's django_capture_on_commit_callbacks)
    so that what a worker then does (the tasks queued on commit) runs. Returns the callbacks run."""
    with capture(execute=True) as callbacks:
        published(page)
    return callbacks


def reference_index_row(source, field: str, target):
    """A row of Wagtail's reference index saying that ``source``'s ``field`` refers to ``target``, as Wagtail writes
    one for a model it indexes: for the migrations that take the rows of a model it no longer indexes out."""
    source_type = ContentType.objects.get_for_model(source)
    return ReferenceIndex.objects.create(
        content_type=source_type,
        base_content_type=source_type,
        object_id=str(source.pk),
        to_content_type=ContentType.objects.get_for_model(target),
        to_object_id=str(target.pk),
        model_path=field,
        content_path=field,
        content_path_hash=ReferenceIndex._get_content_path_hash(field),
    )
