"""The admin form of guidance pages: imported by cms.models (as their ``base_form_class``), so it imports no model of
cms."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import BlockField, StreamBlockValidationError
from wagtail.coreutils import find_available_slug
from wagtail.permissions import page_permission_policy

from cms.choices import ChangeKind
from cms.form_fields import date_ahead_example, empty_choice_words, typed_date

# Who may own a guidance page: those who may add, edit or publish pages, so a review reminder (cms.services) reaches
# someone who can act on it.
PAGE_EDITING_ACTIONS = ("add", "change", "publish")


def page_editing_teams():
    """The groups given any page permission: Content editor and Guidance approvers, unless an administrator adds one."""
    codenames = [f"{action}_page" for action in PAGE_EDITING_ACTIONS]
    return Group.objects.filter(page_permissions__permission__codename__in=codenames).values("pk")


def page_editing_people():
    """Active staff who may edit pages: members of those groups, and superusers."""
    return page_permission_policy.users_with_any_permission(PAGE_EDITING_ACTIONS).filter(is_staff=True).values("pk")


def slug_from_title(title: str, *, parent, page_id=None, max_length: int = 255) -> str:
    """The page's web address made from its title as Wagtail's editor makes it, at most ``max_length`` characters
    (with the number added when a sibling has it already, "-2"): "" when the title has no letter or number."""
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    base = slugify(title, allow_unicode=allow_unicode)[:max_length].strip("-")
    if not base or parent is None:
        return base
    slug = find_available_slug(parent, base, ignore_page_id=page_id)
    if len(slug) > max_length:  # room for the number
        base = base[: max_length - (len(slug) - len(base))].rstrip("-")
        slug = find_available_slug(parent, base, ignore_page_id=page_id)
    return slug


class GuidancePageForm(WagtailAdminPageForm):
    """The editor of every guidance page: it asks whether this change is major (with a public change note) or
    minor, and makes the editor the owner of a page without one. A new change starts as minor with no note: the
    editor opens the live page, which publishing left minor (cms.services.guidance_page_published)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._title_and_slug()
        self.fields["change_kind"].required = False
        self._owner_choices("owner_team", page_editing_teams(), "The {} team")
        self._owner_choices("owner_person", page_editing_people(), "{}")
        empty_choice_words(self.fields["owner_team"], "Select a team")
        empty_choice_words(self.fields["owner_person"], "Select a member of staff")
        if "review_by" in self.fields:
            typed_date(self.fields["review_by"], example=date_ahead_example(), thing="review")

    def _title_and_slug(self):
        """A title over the limit is kept as pasted and refused beside it ("Title must be 255 characters or fewer"):
        the box's maxlength cut it off unsaid. A web address left empty is made from the title when saving, as
        Wagtail's editor makes it while the title is typed: a long title left it empty, and the error "This field is
        required." sat on the Promote tab, where nobody looked."""
        # Imported here: cms.forms imports Wagtail's document forms, which read permissions, and this module is
        # imported as the models load.
        from cms.forms import too_long_and_hidden_characters

        title = self.fields.get("title")
        if title is not None:
            title.widget.attrs.pop("maxlength", None)
            title.error_messages.update(too_long_and_hidden_characters(title, "Title"))
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def _slug_made_from_title(self):
        title = self.cleaned_data.get("title")
        if "slug" not in self.fields or self.cleaned_data.get("slug") or "slug" in self._errors or not title:
            return  # a title in error is told beside it
        page_id = self.instance.pk
        parent = self.parent_page or (self.instance.get_parent() if page_id else None)
        max_length = self.instance._meta.get_field("slug").max_length
        slug = slug_from_title(title, parent=parent, page_id=page_id, max_length=max_length)
        if slug:
            self.cleaned_data["slug"] = slug
        else:
            self.add_error("slug", "Enter the page's web address: the title has no letters or numbers to make it from")

    def _owner_choices(self, name, editors, words):
        """Offer only those who may edit pages; a current owner who no longer may stays chosen (the page still opens
        and saves), marked, with a message saying to choose another."""
        field = self.fields.get(name)
        if field is None:
            return
        current = getattr(self.instance, f"{name}_id", None)
        offered = field.queryset.filter(pk__in=editors)
        if current is None or offered.filter(pk=current).exists():
            field.queryset = offered
            return
        # The current owner, even one no longer active or staff, so that saving the page unchanged is valid.
        field.queryset = field.queryset.model._default_manager.filter(Q(pk__in=offered.values("pk")) | Q(pk=current))
        label_from_instance = field.label_from_instance

        def marked(owner):
            label = label_from_instance(owner)
            return f"{label} (cannot edit pages)" if owner.pk == current else label

        field.label_from_instance = marked
        owner = field.queryset.get(pk=current)
        field.help_text = (
            f"{words.format(label_from_instance(owner))} cannot edit pages now, so review reminders reach no one "
            "who can act on them: choose a team or a person who edits guidance."
        )

    def clean(self):
        self._deleted_files_named()
        self._slug_made_from_title()
        cleaned = super().clean()
        cleaned["change_kind"] = cleaned.get("change_kind") or ChangeKind.MINOR
        first_publication = self.instance.last_major_update_at is None
        note_missing = not cleaned.get("change_note", "").strip()
        if cleaned["change_kind"] == ChangeKind.MAJOR and not first_publication and note_missing:
            self.add_error("change_note", "Enter a change note: what changed, in a sentence readers understand")
        if cleaned.get("owner_team") and cleaned.get("owner_person"):
            self.add_error("owner_person", "Choose a team or a person as the owner, not both")
        elif not cleaned.get("owner_team") and not cleaned.get("owner_person"):
            cleaned["owner_person"] = self.for_user
        return cleaned

    def _deleted_files_named(self):
        """A block whose document or image was deleted from the library comes to the editor with its chooser empty:
        on saving, its error says the file was deleted (the block's ``deleted_message``, cms.blocks.ChosenFileMixin)
        rather than only asking to choose one. Found by the block's id: the one stored in the page (its latest
        revision, which the editor opened) held a file that no longer exists."""
        for name, field in self.fields.items():
            errors = self._errors.get(name)
            if not isinstance(field, BlockField) or not errors:
                continue
            error = errors.as_data()[0]
            if not isinstance(error, StreamBlockValidationError):
                continue
            posted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            stored = {child.get("id"): child for child in getattr(self.instance, name).raw_data}
            for position, child_error in error.block_errors.items():
                child = posted[position]
                file_block = getattr(child.block, "file_block", "")
                chosen_error = getattr(child_error, "block_errors", {}).get(file_block)
                if chosen_error is None or chosen_error.code != "required":
                    continue
                was = stored.get(child.id) or {}
                had = was.get("value", {}).get(file_block) if was.get("type") == child.block_type else None
                model = child.block.child_blocks[file_block].model_class
                if had and not model.objects.filter(pk=had).exists():
                    child_error.block_errors[file_block] = ValidationError(child.block.deleted_message, code="deleted")
