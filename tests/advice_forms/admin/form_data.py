"""POST data for the form-definition edit form, as Wagtail's block widgets submit it."""

from wagtail.test.utils.form_data import rich_text

from bench.definition_post import choice, condition_data, definition_post, field, list_block, section, stream

# Built in bench, where the bench also uses them.
__all__ = ["choice", "condition_data", "definition_post", "field", "list_block", "section", "stream"]


def guidance(body, heading=""):
    return {"heading": heading, "body": rich_text(body)}
