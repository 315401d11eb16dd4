// Wagtail's rich text fields inside a StreamField block render their label without `for` (the field is a hidden
// input and a Draftail editor), so the editor's textbox has no accessible name (axe: aria-input-field-name).
// Name each such textbox by its field's label; editors appear as blocks are added, so watch for new ones.
const nameTextboxes = (root) => {
  root.querySelectorAll("[data-contentpath]").forEach((field) => {
    const label = field.querySelector(":scope > label.w-field__label:not([for])");
    if (!label) return;
    field.querySelectorAll('[role="textbox"][contenteditable="true"]').forEach((textbox) => {
      if (textbox.closest("[data-contentpath]") !== field) return;
      if (textbox.hasAttribute("aria-labelledby") || textbox.hasAttribute("aria-label")) return;
      if (!label.id) label.id = `${textbox.getAttribute("aria-describedby") || "field"}-label`;
      textbox.setAttribute("aria-labelledby", label.id);
    });
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
