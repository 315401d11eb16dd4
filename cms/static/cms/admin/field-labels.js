// A Draftail rich text editor's textbox is a div of its own beside the field's hidden input, and Wagtail names it
// nowhere, so it has no accessible name (axe: aria-input-field-name). Each textbox is named here by what labels its
// field on screen:
// - a RichTextField in a FieldPanel: the label Wagtail draws for the hidden input (`label[for=id]`);
// - a rich text field inside a StreamField block: its label, drawn without `for`;
// - a rich text block straight in a StreamField (a help page's "Text"): the block's type in its heading, and where
//   the block stands among the stream's blocks ("Text, block 3 of 5"), since a page has several Text blocks and a
//   screen reader user could not tell them apart by the type alone. The position follows the blocks as they are
//   added, moved and deleted.
// Editors appear as blocks are added, so watch for new ones.
const UNNAMED = '[role="textbox"][contenteditable="true"]:not([aria-labelledby]):not([aria-label])';
const IN_A_STREAM = "data-portal-stream-block"; // on a textbox named by its block's type and position
const labelFor = (textbox) => {
  const wrapper = textbox.closest("[data-draftail-editor-wrapper]");
  const input = wrapper && wrapper.parentNode.querySelector(":scope > input[type=hidden][id]");
  const forInput = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  if (forInput) return forInput;
  const field = textbox.closest("[data-contentpath]");
  const label = field && field.querySelector(":scope > label.w-field__label:not([for])");
  return label || null;
};

// The stream's block that is this rich text editor, when the editor is a block of its own.
const streamBlockOf = (textbox) => {
  const field = textbox.closest("[data-contentpath]");
  return field && field.matches("[data-streamfield-child]") ? field : null;
};

// Wagtail keeps a deleted block in the page, hidden, with its "-deleted" input set, until the page is saved.
const isDeleted = (block) => block.querySelector(':scope > input[name$="-deleted"]')?.value === "1";

// "Text, block 3 of 5": the block's type, and its place among the stream's blocks still there, counted as Wagtail
// counts them (the order it saves them in, which is their order on screen).
const streamBlockName = (block) => {
  const type = block.querySelector(".c-sf-block__type");
  const blocks = [...block.parentNode.children].filter(
    (child) => child.matches("[data-streamfield-child]") && !isDeleted(child),
  );
  const where = blocks.indexOf(block) + 1;
  const what = type ? type.textContent.trim() : "Block";
  return where ? `${what}, block ${where} of ${blocks.length}` : what;
};

const nameStreamBlock = (textbox) => {
  const block = streamBlockOf(textbox);
  const name = block && streamBlockName(block);
  if (name && textbox.getAttribute("aria-label") !== name) textbox.setAttribute("aria-label", name);
};

let labelsGivenAnId = 0;
const nameTextboxes = (root) => {
  root.querySelectorAll(UNNAMED).forEach((textbox) => {
    if (streamBlockOf(textbox)) {
      textbox.setAttribute(IN_A_STREAM, "");
      nameStreamBlock(textbox);
      return;
    }
    const label = labelFor(textbox);
    if (!label) return;
    if (!label.id) label.id = `portal-rich-text-label-${(labelsGivenAnId += 1)}`;
    textbox.setAttribute("aria-labelledby", label.id);
  });
  // Positions change as blocks are added, moved or deleted: name these again (a few per page, cheap to count).
  root.querySelectorAll(`[${IN_A_STREAM}]`).forEach(nameStreamBlock);
};

nameTextboxes(document);
// Typing changes the editor's DOM too: look again at most every quarter second, not on each change. A block deleted
// is only hidden (aria-hidden), so that change is watched as well.
let pending = null;
new MutationObserver(() => {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    nameTextboxes(document);
  }, 250);
}).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-hidden"] });
