"""StreamField blocks shared by the site's pages, rendered with GOV.UK Frontend markup."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]
# A page's text may have sub-headings under its Heading blocks (h2); the editor's checker flags a skipped level.
BODY_TEXT_FEATURES = ["h3", "h4", *RICH_TEXT_FEATURES]


def says_when_empty(message, block):
    """`block`, saying `message` (GOV.UK's "Enter a title for the section") when a required value is left empty, not
    Django's bare "This field is required.", which names nothing in a form of many blocks. Set on the block's form
    field after the block is made, so its definition in migrations is unchanged. Every required block of the form
    builder, and each alt text of a guidance page, says what to do this way."""
    if "field_options" in vars(block):  # a block that makes its form field when first used (rich text, dates)
        block.field_options.setdefault("error_messages", {})["required"] = message
    else:
        block.field.error_messages = {**block.field.error_messages, "required": message}
    return block


class DefaultChoiceBlock(blocks.ChoiceBlock):
    """A choice that always has a value: its ``default`` is shown for a value never chosen (a block saved before the
    choice existed), and the list has no empty "---------" choice, which Wagtail's ChoiceBlock adds to every list."""

    def __init__(self, choices=None, default=None, **kwargs):
        if default is None:
            raise ValueError("A DefaultChoiceBlock needs a default.")
        super().__init__(choices=choices, default=default, **kwargs)

    def _get_callable_choices(self, choices, blank_choice=True):
        return super()._get_callable_choices(choices, blank_choice=False)

    def value_for_form(self, value):
        return super().value_for_form(value or self.get_default())


class HeadingBlock(blocks.CharBlock):
    class Meta:
        template = "cms/blocks/heading_block.html"
        icon = "title"
        label = "Heading"


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        template = "cms/blocks/rich_text_block.html"
        icon = "pilcrow"
        label = "Text"


class InsetTextBlock(blocks.RichTextBlock):
    """GOV.UK inset text: a quotation, an example or extra information that stands apart."""

    class Meta:
        template = "cms/blocks/inset_text_block.html"
        icon = "openquote"
        label = "Inset text"


class WarningTextBlock(blocks.CharBlock):
    """GOV.UK warning text: something important a reader must not miss, such as a legal consequence."""

    class Meta:
        template = "cms/blocks/warning_text_block.html"
        icon = "warning"
        label = "Warning text"


class ContactDetailsBlock(blocks.StaticBlock):
    """The council's contact details as Portal settings hold them (emails, phone number and hours): a page shows the
    number kept there, so a new number is typed once and every page that shows it changes at once."""

    class Meta:
        template = "cms/blocks/contact_details_block.html"
        icon = "mail"
        label = "Contact details (from Portal settings)"
        admin_text = (
            "Shows the SEND service's emails, phone number and opening hours as they are in Settings, Portal "
            "settings. Change them there."
        )


class DetailsBlock(blocks.StructBlock):
    """GOV.UK details: a summary line that opens to show help only some readers need."""

    summary = blocks.CharBlock(max_length=120, help_text="The line a reader clicks, e.g. 'Help with passwords'.")
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        template = "cms/blocks/details_block.html"
        icon = "collapse-down"
        label = "Details (show and hide)"
        # Its fields are named with the block's type and place (cms/static/cms/admin/field-labels.js).
        form_classname = "struct-block portal-placed-fields"


def validate_link_address(value):
    """A path on this site (/portal/sign-in/) or a full web address (https://...)."""
    if value and not (value.startswith("/") and not value.startswith("//")):
        URLValidator(schemes=["http", "https"])(value)


class LinkTargetMixin:
    """A page chosen in Wagtail or an outside address: exactly one of the two."""

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or enter an address, but not both")}
            )
        return value


class CallToActionBlock(LinkTargetMixin, blocks.StructBlock):
    """A GOV.UK button that starts an action: 'Sign in', 'Register your team'."""

    text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        validators=[validate_link_address],
        label="Or an address",
        help_text="A path on this site, e.g. /portal/sign-in/, or a full address starting https://",
    )
    start = blocks.BooleanBlock(required=False, label="Start button (with an arrow)")

    class Meta:
        template = "cms/blocks/call_to_action_block.html"
        icon = "pick"
        label = "Call-to-action button"
        # Its fields are named with the block's type and place (cms/static/cms/admin/field-labels.js).
        form_classname = "struct-block portal-placed-fields"


class ChosenFileMixin:
    """A block around the chooser of a document or an image (``file_block``). Left empty, its error says what to
    choose (``required_message``) instead of Wagtail's "This field is required."; when the file it had was deleted
    from the library, the editor shows the chooser empty and the page's form says what happened
    (``deleted_message``, cms.page_forms)."""

    file_block = ""
    required_message = ""
    deleted_message = ""

    def clean(self, value):
        try:
            return super().clean(value)
        except blocks.StructBlockValidationError as error:
            chosen = error.block_errors.get(self.file_block)
            if chosen is not None and chosen.code == "required":
                error.block_errors[self.file_block] = ValidationError(self.required_message, code="required")
            raise


class ImageBlock(ChosenFileMixin, blocks.StructBlock):
    """An image with the words a screen reader says instead: never optional on a guidance page."""

    file_block = "image"
    required_message = "Choose an image"
    deleted_message = "The image this showed was deleted. Choose another image or remove this block"

    image = ImageChooserBlock()
    alt_text = says_when_empty(
        "Enter alt text: describe what the image shows for someone who cannot see it",
        blocks.CharBlock(max_length=250, help_text="Describe what the image shows for someone who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        template = "cms/blocks/image_block.html"
        icon = "image"
        label = "Image"
        # Its fields are named with the block's type and place (cms/static/cms/admin/field-labels.js).
        form_classname = "struct-block portal-placed-fields"


class DocumentLinkBlock(ChosenFileMixin, blocks.StructBlock):
    """A download: the document's title, type and size, as GOV.UK's attachment pattern shows them."""

    file_block = "document"
    required_message = "Choose a document"
    deleted_message = "The document this linked to was deleted. Choose another document or remove this block"

    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Leave blank to use the document's own title.")

    class Meta:
        template = "cms/blocks/document_link_block.html"
        icon = "doc-full"
        label = "Document link"
        # Its fields are named with the block's type and place (cms/static/cms/admin/field-labels.js).
        form_classname = "struct-block portal-placed-fields"


def _without_empty_ends(rows):
    """The table's rows without its last rows and columns whose cells are all empty."""

    def empty(cell):
        return not str(cell or "").strip()

    rows = [list(row) for row in rows]
    while rows and all(empty(cell) for cell in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    while width and all(empty(row[width - 1]) for row in rows if len(row) >= width):
        width -= 1
    return [row[:width] for row in rows]


def _is_rows_of_cells(data):
    """Whether ``data`` is what the table editor sends: a list of rows, each a list of text cells or empty ones."""
    return isinstance(data, list) and all(
        isinstance(row, list) and all(cell is None or isinstance(cell, str | int | float) for cell in row)
        for row in data
    )


class TableBlock(WagtailTableBlock):
    """A GOV.UK table of plain text, such as the statutory timescales, with a caption a screen reader announces.

    Wagtail's own table editor with its default options: cells of plain text (escaped when shown, never HTML), no
    merged cells, which GOV.UK tables do not have and which leave a screen reader unsure of a cell's column.
    """

    def clean(self, value):
        if value and not (value.get("table_caption") or "").strip():
            raise ValidationError("Enter a table caption: it says what the table shows, for screen readers and print")
        if value and not _is_rows_of_cells(value.get("data")):
            raise ValidationError("The table's cells could not be read. Reload the page and enter the table again")
        return super().clean(value)

    def render(self, value, context=None):
        # The editor starts with three rows and three columns; those left empty at the end are not shown, so an
        # unused column is not an empty header for a screen reader to announce.
        if value and value.get("data"):
            value = {**value, "data": _without_empty_ends(value["data"])}
        return super().render(value, context)

    def get_searchable_content(self, value):
        caption = (value or {}).get("table_caption")
        return ([caption] if caption else []) + super().get_searchable_content(value)

    class Meta:
        template = "cms/blocks/table_block.html"
        icon = "table"
        label = "Table"
        # Its caption and headers are named with the block's type and place (cms/static/cms/admin/field-labels.js).
        form_classname = "portal-placed-fields"


def body_blocks():
    """The blocks a general guidance page offers; later block types join this list."""
    return [
        ("heading", HeadingBlock(form_classname="title")),
        ("text", RichTextBlock(features=BODY_TEXT_FEATURES)),
        ("inset_text", InsetTextBlock(features=["bold", "link", "document-link"])),
        ("warning_text", WarningTextBlock(max_length=300)),
        ("details", DetailsBlock()),
        ("call_to_action", CallToActionBlock()),
        ("image", ImageBlock()),
        ("document_link", DocumentLinkBlock()),
        ("table", TableBlock()),
        ("contact_details", ContactDetailsBlock()),
    ]
