"""POST data for the admin editor of a help page, as the browser sends it."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

# What every guidance page's editor posts besides its own fields: related and hidden links, the change kind, topics,
# who the page is for.
GUIDANCE_PAGE_FIELDS = {
    "related_links-count": "0",
    "hidden_related-count": "0",
    "audience": "everyone",
    "change_kind": "minor",
    "change_note": "",
    "tags": "",
}


def help_page_form(page, *, publish=True, **fields):
    data = {
        "title": page.title,
        "slug": page.slug,
        "intro": page.intro,
        "body": streamfield([("text", rich_text("<p>What to do.</p>"))]),
        "related_links": streamfield([]),
        "hidden_related": streamfield([]),
        "audience": "everyone",
        "change_kind": "minor",
        "change_note": "",
        "tags": "",
        **fields,
    }
    if publish:
        data["action-publish"] = "Publish"
    return nested_form_data(data)
