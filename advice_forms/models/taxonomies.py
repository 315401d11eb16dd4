"""Team and Type, the two taxonomies every outcome and contact is tagged with, and dropdown lists.

Answers store a term's code and an option's value, never a database id, so they stay readable in JSON
and survive a restore; the code and the value are therefore fixed once created.
"""

from django.db import models
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from cms.form_fields import MultiLineTextField, OneLineCharField


class TaxonomyTerm(index.Indexed, models.Model):
    """A term people pick by its full name; a term in use is deactivated, never deleted."""

    code = OneLineCharField(
        max_length=20,
        unique=True,
        help_text="The short code stored with answers, e.g. SLT. It cannot change once saved.",
    )
    name = OneLineCharField(max_length=120, help_text="The full name people see, e.g. Speech and Language Therapy.")
    active = models.BooleanField(
        default=True,
        help_text="Untick to stop people picking this term. Answers that already use it keep showing it.",
    )
    sort_order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first in lists.")

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("active"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("code"), index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """'Speech and Language Therapy', 'Cognition and Learning': parents and professionals read a Team or a Type
        in words, never its code (a parent reading an outcome meets neither "SLT" nor "C&L"). The code is for the
        form designers, whose lists of Teams and Types show it in a column of its own, and for stored answers and
        definition files."""
        return self.name or self.code

    @classmethod
    def name_taken(cls, name, *, exclude_pk=None) -> str:
        """Why ``name`` cannot name a term of this list, or "" when it can: people choose a Team or a Type by its name
        (neither shows its code), so no two terms of one list share one, whatever the letter case or spacing. The one
        rule for the admin's form and a definition file's import."""
        same = cls.objects.filter(name__iexact=" ".join(name.split())).exclude(pk=exclude_pk).first()
        if same is None:
            return ""
        return f"“{same.name}” is already the name of {same.code}: people choose by the name, so give this one another"

    @classmethod
    def choices(cls, *, include=()):
        """(code, display name) for the active terms, plus any inactive ones named in `include` (old answers)."""
        include = [code for code in include if code]
        terms = cls.objects.filter(models.Q(active=True) | models.Q(code__in=include))
        return [(term.code, term.display_name) for term in terms]

    @classmethod
    def display_for(cls, code):
        """The display name of a code, active or not; the bare code if the term no longer exists."""
        if not code:
            return ""
        term = cls.objects.filter(code=code).first()
        return term.display_name if term else code


class Team(TaxonomyTerm):
    """The professional team an outcome or contact belongs to (SLT, OT, EP…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "Team"
        verbose_name_plural = "Teams"


class NeedType(TaxonomyTerm):
    """The "Type" taxonomy: the area of need an outcome addresses (C&L, Comms, SEMH…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "Type"
        verbose_name_plural = "Types"


# The purpose of the dropdown list whose options are the types a professional picks for an upload, found by it, so
# form designers may rename the list; and the name the demo content gives it. A list's name never sets its purpose.
DOCUMENT_TYPES_PURPOSE = "document_types"
DOCUMENT_TYPES_LIST = "Document types"


class DropdownList(index.Indexed, ClusterableModel):
    """A named list of options that several form fields share, edited without a developer."""

    name = OneLineCharField(max_length=120, unique=True)
    description = MultiLineTextField(blank=True, help_text="What the list is for; only form designers see this.")
    purpose = models.CharField(
        max_length=40,
        blank=True,
        choices=[(DOCUMENT_TYPES_PURPOSE, "Document types")],
        help_text="What the portal itself reads this list for, set by the portal, never by its name: “Document "
        "types” gives the types a professional chooses for an upload and names the type of every document filed. "
        "Renaming the list keeps it. Blank for a list only forms use.",
    )

    panels = [FieldPanel("name"), FieldPanel("description"), InlinePanel("options", heading="Options", label="Option")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "dropdown list"
        constraints = [
            models.UniqueConstraint(fields=["purpose"], condition=~models.Q(purpose=""), name="one_list_per_purpose")
        ]

    def __str__(self):
        return self.name

    def choices(self, *, include=()):
        """(value, label) for the options still offered, plus any retired ones named in `include`."""
        include = set(include)
        return [(o.value, o.label) for o in self.options.all() if not o.retired or o.value in include]

    def label_for(self, value):
        """The label of a value, retired or not: old answers keep showing what was picked."""
        for option in self.options.all():
            if option.value == value:
                return option.label
        return value


class DropdownOption(Orderable):
    """One option of a dropdown list. Its value is stored with answers, so it is retired rather than removed."""

    dropdown_list = ParentalKey(DropdownList, on_delete=models.CASCADE, related_name="options")
    label = OneLineCharField(max_length=255)
    value = OneLineCharField(
        max_length=100,
        blank=True,
        help_text="Stored with answers. Filled in from the label when left blank; do not change it once used.",
    )
    retired = models.BooleanField(
        default=False, help_text="Hide it from new answers; answers that already picked it keep showing it."
    )

    panels = [FieldPanel("label"), FieldPanel("value"), FieldPanel("retired")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["dropdown_list", "value"], name="unique_dropdown_option_value"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if not self.value:
            taken = set(self.dropdown_list.options.values_list("value", flat=True)) if self.dropdown_list_id else ()
            self.value = option_value_from_label(self.label, (self.sort_order or 0) + 1, taken)
        super().save(*args, **kwargs)


def option_value_from_label(label, number=None, taken=()):
    """An option's value made from its label; a label with no letter a value can hold (one in another alphabet,
    "نعم") gives one from the option's place in its list, `number` ("option_3"), clear of the values `taken` (typed,
    or already in the list). Every such label gave "option", so two in one list were refused as sharing a value."""
    value = slugify(label).replace("-", "_")[:100]
    if value:
        return value
    base = f"option_{number}" if number else "option"
    value, n = base, 2
    while value in taken:
        value, n = f"{base}_{n}", n + 1
    return value
