"""StreamField blocks shared by the site's pages, rendered with GOV.UK Frontend markup."""

from wagtail import blocks


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


def body_blocks():
    """The blocks a general guidance page offers; later block types join this list."""
    return [
        ("heading", HeadingBlock(form_classname="title")),
        ("text", RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "document-link"])),
    ]
