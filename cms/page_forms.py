"""The admin form of guidance pages: imported by cms.models (as their ``base_form_class``), so it imports no model."""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.choices import ChangeKind
from cms.form_fields import empty_choice_words


class GuidancePageForm(WagtailAdminPageForm):
    """The editor of every guidance page: it asks whether this change is major (with a public change note) or
    minor, and makes the editor the owner of a page without one. A new change starts as minor with no note: the
    editor opens the live page, which publishing left minor (cms.services.guidance_page_published)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_kind"].required = False
        empty_choice_words(self.fields["owner_team"], "Select a team")
        empty_choice_words(self.fields["owner_person"], "Select a member of staff")

    def clean(self):
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
