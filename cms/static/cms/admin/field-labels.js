// A Draftail rich text editor's textbox is a div of its own beside the field's hidden input, and Wagtail names it
// nowhere, so it has no accessible name (axe: aria-input-field-name). A field block straight in a StreamField (a
// page's Heading or Warning text, the home page's "Who") is drawn with no label at all (axe: label). Each is named
// here by what labels it on screen:
// - a RichTextField in a FieldPanel: the label Wagtail draws for the hidden input (`label[for=id]`);
// - a rich text field inside a block of a StreamField (a form section's Guidance, a guidance block's Body): its
//   label, drawn without `for`, and the block it belongs to, with the block's place ("Guidance, Section, block 2 of
//   4"), since every section has one and a screen reader user could not tell them apart by the label alone;
// - a rich text block or a field block straight in a StreamField (a help page's "Text" or "Heading"): the block's
//   type in its heading, and where the block stands among the stream's blocks ("Text, block 3 of 5"), since a page
//   has several Text blocks.
// The places follow the blocks as they are added, moved and deleted. Editors appear as blocks are added, so watch
// for new ones.
const NOT_NAMED = ":not([aria-labelledby]):not([aria-label])";
const UNNAMED = `[role="textbox"][contenteditable="true"]${NOT_NAMED}`;
// The input of a field block straight in a stream (a struct's fields sit in a .struct-block between, with labels).
const UNNAMED_BLOCK_INPUT = [
  "[data-streamfield-child] > .w-panel > .w-panel__content > .w-field__wrapper > .w-field > .w-field__input >",
  `:is(input:not([type="hidden"]), textarea, select)${NOT_NAMED}`,
].join(" ");
const IN_A_STREAM = "data-portal-stream-block"; // on a textbox named by a stream block's type and place
const FIELD_LABEL = "data-portal-field-label"; // a field's label, on its textbox named with its block's place too

const labelFor = (textbox) => {
  const wrapper = textbox.closest("[data-draftail-editor-wrapper]");
  const input = wrapper && wrapper.parentNode.querySelector(":scope > input[type=hidden][id]");
  const forInput = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  if (forInput) return forInput;
  const field = textbox.closest("[data-contentpath]");
  const label = field && field.querySelector(":scope > label.w-field__label:not([for])");
  return label || null;
};

// The stream's block that is this editor or input, when it is a block of its own.
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

// A field's label as read: without the required mark.
const labelWords = (label) => {
  const copy = label.cloneNode(true);
  copy.querySelectorAll(".w-required-mark").forEach((mark) => mark.remove());
  return copy.textContent.trim();
};

const nameStreamBlock = (textbox) => {
  const own = textbox.getAttribute(FIELD_LABEL);
  const block = own === null ? streamBlockOf(textbox) : textbox.closest("[data-streamfield-child]");
  const place = block && streamBlockName(block);
  const name = place && (own === null ? place : `${own}, ${place}`);
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
    if (!label.hasAttribute("for") && textbox.closest("[data-streamfield-child]")) {
      // The field of a block repeated along a stream: its label, and the block's place, kept up to date.
      textbox.setAttribute(FIELD_LABEL, labelWords(label));
      textbox.setAttribute(IN_A_STREAM, "");
      nameStreamBlock(textbox);
      return;
    }
    if (!label.id) label.id = `portal-rich-text-label-${(labelsGivenAnId += 1)}`;
    textbox.setAttribute("aria-labelledby", label.id);
  });
  root.querySelectorAll(UNNAMED_BLOCK_INPUT).forEach((input) => {
    if (input.labels.length || !streamBlockOf(input)) return;
    input.setAttribute(IN_A_STREAM, "");
    nameStreamBlock(input);
  });
  // Places change as blocks are added, moved or deleted: name these again (a few dozen on a long form at most, cheap to count).
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
