// A Draftail rich text editor's textbox is a div of its own beside the field's hidden input, and Wagtail names it
// nowhere, so it has no accessible name (axe: aria-input-field-name). Each textbox is named here by what labels its
// field on screen:
// - a RichTextField in a FieldPanel: the label Wagtail draws for the hidden input (`label[for=id]`);
// - a rich text field inside a StreamField block: its label, drawn without `for`;
// - a rich text block straight in a StreamField (a help page's "Text"): the block's type in its heading.
// Editors appear as blocks are added, so watch for new ones.
const UNNAMED = '[role="textbox"][contenteditable="true"]:not([aria-labelledby]):not([aria-label])';
const labelFor = (textbox) => {
  const wrapper = textbox.closest("[data-draftail-editor-wrapper]");
  const input = wrapper && wrapper.parentNode.querySelector(":scope > input[type=hidden][id]");
  const forInput = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  if (forInput) return forInput;
  const field = textbox.closest("[data-contentpath]");
  const label = field && field.querySelector(":scope > label.w-field__label:not([for])");
  if (label) return label;
  return field && field.matches("[data-streamfield-child]") ? field.querySelector(".c-sf-block__type") : null;
};

let labelsGivenAnId = 0;
const nameTextboxes = (root) => {
  root.querySelectorAll(UNNAMED).forEach((textbox) => {
    const label = labelFor(textbox);
    if (!label) return;
    if (!label.id) label.id = `portal-rich-text-label-${(labelsGivenAnId += 1)}`;
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
