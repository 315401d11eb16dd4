// Wagtail's rich text fields inside a StreamField block render their label without `for` (the field is a hidden
// input and a Draftail editor), so the editor's textbox has no accessible name (axe: aria-input-field-name).
// Name each such textbox by its field's label; editors appear as blocks are added, so watch for new ones.
// Each look starts from the textboxes still without a name, not from every field: a 250-question form definition has
// thousands of fields and a few dozen rich text editors, and the page is looked at again as it changes.
const UNNAMED = '[role="textbox"][contenteditable="true"]:not([aria-labelledby]):not([aria-label])';
const nameTextboxes = (root) => {
  root.querySelectorAll(UNNAMED).forEach((textbox) => {
    const field = textbox.closest("[data-contentpath]");
    const label = field && field.querySelector(":scope > label.w-field__label:not([for])");
    if (!label) return;
    if (!label.id) label.id = `${textbox.getAttribute("aria-describedby") || "field"}-label`;
    textbox.setAttribute("aria-labelledby", label.id);
  });
};

nameTextboxes(document);
// Typing changes the editor's DOM too: look again at most every quarter second, not on each change.
let pending = null;
new MutationObserver(() => {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    nameTextboxes(document);
  }, 250);
}).observe(document.body, { childList: true, subtree: true });
