"""GOV.UK page patterns, as tests assert them."""

from bs4 import BeautifulSoup


def first_in_main(html: str) -> str:
    """Which comes first in the page's main container: "error summary", "caption" or "heading" (the h1).

    GOV.UK: the error summary goes at the top of the main container, before the caption and the heading.
    """
    main = BeautifulSoup(html, "html.parser").select_one("main")
    first = main.find(
        lambda tag: tag.name == "h1" or {"govuk-error-summary", "govuk-caption-l"} & set(tag.get("class") or [])
    )
    return {"h1": "heading"}.get(first.name) or ("caption" if "govuk-caption-l" in first["class"] else "error summary")


def button_named(html: str, words: str, within: str = "main"):
    """The one button inside `within` whose words (its visually hidden ones included) are `words`."""
    page = BeautifulSoup(html, "html.parser")
    [button] = [button for button in page.select(f"{within} button") if button.get_text(" ", strip=True) == words]
    return button


def ignores_a_second_click(button) -> bool:
    """GOV.UK Frontend's button with data-prevent-double-click: its script ignores a click that follows another
    within a second, so a double click sends the form once."""
    return button.get("data-module") == "govuk-button" and button.get("data-prevent-double-click") == "true"
