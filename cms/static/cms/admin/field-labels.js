// A Draftail rich text editor's textbox is a div of its own beside the field's hidden input, and Wagtail names it
// nowhere, so it has no accessible name (axe: aria-input-field-name). A field block straight in a StreamField (a
// page's Heading or Warning text, the home page's "Who") is drawn with no label at all (axe: label). Each is named
// here by what labels it on screen:
// - a RichTextField in a FieldPanel: the label Wagtail draws for the hidden input (`label[for=id]`);
// - a rich text field inside a block of a StreamField (a form section's Guidance, a guidance block's Body): its
//   label, drawn without `for`, and the block it belongs to, with the block's place ("Guidance, Section, block 2 of
//   4"), since every section has one and a screen reader user could not tell them apart by the label alone; a block
//   that has a title of its own (a form's section) is named by its title instead ("Guidance, section “About the
//   child”"), its place only while the title is empty or another block of the stream has the same;
// - a rich text block or a field block straight in a StreamField (a help page's "Text" or "Heading"): the block's
//   type in its heading, and where the block stands among the stream's blocks ("Text, block 3 of 5"), since a page
//   has several Text blocks;
// - the labelled fields of a block that asks for them (`PLACED_FIELDS`: an image's Alt text, a table's caption, a
//   details block's Summary): their label, and the block's type and place ("Alt text, Image, block 4 of 9"), since
//   each such block has the same labels.
// The places follow the blocks as they are added, moved and deleted. Editors appear as blocks are added, so watch
// for new ones: in what was added alone, and the places again in the streams whose blocks changed, since a look at
// the whole page costs tens of milliseconds on a long form (docs/performance.md).
const NOT_NAMED = ":not([aria-labelledby]):not([aria-label])";
const UNNAMED = `[role="textbox"][contenteditable="true"]${NOT_NAMED}`;
// The input of a field block straight in a stream (a struct's fields sit in a .struct-block between, with labels).
const UNNAMED_BLOCK_INPUT = [
  "[data-streamfield-child] > .w-panel > .w-panel__content > .w-field__wrapper > .w-field > .w-field__input >",
  `:is(input:not([type="hidden"]), textarea, select)${NOT_NAMED}`,
].join(" ");
// The labelled fields of these blocks (cms/blocks.py, Meta.form_classname), and the block named by its title.
const PLACED_FIELDS = "portal-placed-fields";
const TITLED = "portal-titled-block";
const UNNAMED_PLACED_FIELD = `.${PLACED_FIELDS} :is(input:not([type="hidden"]), textarea, select)[id]${NOT_NAMED}`;
const IN_A_STREAM = "data-portal-stream-block"; // on a textbox named by a stream block's type and place
const FIELD_LABEL = "data-portal-field-label"; // a field's label, on its textbox named with its block's place too

// The page's labels by the id they are for, read once a look and only when a look needs one: a search of the whole
// page for each editor's label cost 9 ms an editor on a 250-question form (81,000 elements), and the editors of a
// stream's blocks (a section's Guidance) have none (docs/performance.md).
let labelsByFor = null;
const labelForId = (id) => {
  if (!labelsByFor) {
    labelsByFor = new Map();
    document.querySelectorAll("label[for]").forEach((label) => {
      if (!labelsByFor.has(label.htmlFor)) labelsByFor.set(label.htmlFor, label); // the first, as querySelector
    });
  }
  return labelsByFor.get(id) || null;
};

const labelFor = (textbox) => {
  const wrapper = textbox.closest("[data-draftail-editor-wrapper]");
  const input = wrapper && wrapper.parentNode.querySelector(":scope > input[type=hidden][id]");
  const forInput = input && labelForId(input.id);
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

// The block's title, when it has one (a section's Title: what the designer typed, as they type it).
const titleOf = (block) => {
  const struct = block.querySelector(`:scope > .w-panel > .w-panel__content > .${TITLED}`);
  const input = struct && struct.querySelector(':scope > [data-contentpath="title"] input:not([type="hidden"])');
  return input ? input.value.trim() : "";
};

const blocksOf = (stream) =>
  [...stream.children].filter((child) => child.matches("[data-streamfield-child]") && !isDeleted(child));

// "Text, block 3 of 5": the block's type, and its place among the stream's blocks still there, counted as Wagtail
// counts them (the order it saves them in, which is their order on screen). A titled block: "section “Views”".
const streamBlockName = (block) => {
  const type = block.querySelector(".c-sf-block__type");
  const blocks = blocksOf(block.parentNode);
  const where = blocks.indexOf(block) + 1;
  const what = type ? type.textContent.trim() : "Block";
  const title = where ? titleOf(block) : "";
  if (title && !blocks.some((other) => other !== block && titleOf(other) === title)) {
    return `${what.toLowerCase()} “${title}”`;
  }
  return where ? `${what}, block ${where} of ${blocks.length}` : what;
};

// A field's label as read: without the required mark.
const labelWords = (label) => {
  const copy = label.cloneNode(true);
  copy.querySelectorAll(".w-required-mark").forEach((mark) => mark.remove());
  return copy.textContent.trim();
};

// The boxes named by their block's place, by the stream their block is in: a stream's places are named again from
// here, not by searching its subtree (the sections of a long form hold tens of thousands of elements).
const placedIn = new Map();
const placeKept = (box) => {
  const stream = box.closest("[data-streamfield-child]")?.parentNode;
  if (!stream) return;
  if (!placedIn.has(stream)) placedIn.set(stream, new Set());
  placedIn.get(stream).add(box);
};

const nameStreamBlock = (textbox) => {
  const own = textbox.getAttribute(FIELD_LABEL);
  const block = own === null ? streamBlockOf(textbox) : textbox.closest("[data-streamfield-child]");
  const place = block && streamBlockName(block);
  const name = place && (own === null ? place : `${own}, ${place}`);
  if (name && textbox.getAttribute("aria-label") !== name) textbox.setAttribute("aria-label", name);
};

let labelsGivenAnId = 0;
const nameNewTextboxes = (root) => {
  const within = (selector) => [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  within(UNNAMED).forEach((textbox) => {
    if (streamBlockOf(textbox)) {
      textbox.setAttribute(IN_A_STREAM, "");
      placeKept(textbox);
      nameStreamBlock(textbox);
      return;
    }
    const label = labelFor(textbox);
    if (!label) return;
    if (!label.hasAttribute("for") && textbox.closest("[data-streamfield-child]")) {
      // The field of a block repeated along a stream: its label, and the block's place, kept up to date.
      textbox.setAttribute(FIELD_LABEL, labelWords(label));
      textbox.setAttribute(IN_A_STREAM, "");
      placeKept(textbox);
      nameStreamBlock(textbox);
      return;
    }
    if (!label.id) label.id = `portal-rich-text-label-${(labelsGivenAnId += 1)}`;
    textbox.setAttribute("aria-labelledby", label.id);
  });
  within(UNNAMED_BLOCK_INPUT).forEach((input) => {
    if (input.labels.length || !streamBlockOf(input)) return;
    input.setAttribute(IN_A_STREAM, "");
    placeKept(input);
    nameStreamBlock(input);
  });
  within(UNNAMED_PLACED_FIELD).forEach((input) => {
    const label = input.labels[0];
    if (!label || !input.closest("[data-streamfield-child]")) return;
    input.setAttribute(FIELD_LABEL, labelWords(label));
    input.setAttribute(IN_A_STREAM, "");
    placeKept(input);
    nameStreamBlock(input);
  });
};

// Places change as blocks of a stream are added, moved or deleted, and titles as they are typed: name again the
// boxes of that stream's own blocks (not those of streams inside them, whose places did not change).
const namePlacesAgain = (stream) => {
  placedIn.get(stream)?.forEach((box) => {
    if (box.isConnected) nameStreamBlock(box);
  });
};

nameNewTextboxes(document.documentElement);

// What changed since the last look: subtrees added (new editors and blocks) and streams whose blocks changed.
const added = new Set();
const MANY_ADDED = 20;
const streams = new Set();
const isBlock = (node) => node.nodeType === Node.ELEMENT_NODE && node.matches("[data-streamfield-child]");

// Typing changes an editor's DOM too: look at most every quarter second, not on each change, and only at what
// changed. A block deleted is only hidden (aria-hidden), so that change is watched as well, and an editor that
// Draftail makes read-only for a moment and editable again (contenteditable) is looked at again.
let pending = null;
const lookSoon = () => {
  if (pending) return;
  pending = setTimeout(() => {
    pending = null;
    // Labels may have come and gone since the last look; read once for all the subtrees this look names (editors
    // drawn as their sections open are a subtree each).
    labelsByFor = null;
    const roots = [...added].filter((root) => root.isConnected);
    const changed = [...streams].filter((stream) => stream.isConnected);
    streams.clear();
    // A subtree inside another added one is looked at with it; when many were added (the page just drawn: 129 on a
    // 250-question form), one look at the whole page costs less than one a subtree.
    const inAnother = (root) => {
      for (let up = root.parentNode; up; up = up.parentNode) if (added.has(up)) return true;
      return false;
    };
    const looked = roots.filter((root) => !inAnother(root));
    if (looked.length > MANY_ADDED) nameNewTextboxes(document.documentElement);
    else looked.forEach(nameNewTextboxes);
    added.clear();
    changed.forEach(namePlacesAgain);
  }, 250);
};

new MutationObserver((records) => {
  records.forEach((record) => {
    if (record.type === "attributes") {
      if (record.attributeName !== "aria-hidden") added.add(record.target); // an editor made editable again
      else if (isBlock(record.target)) streams.add(record.target.parentNode);
      return;
    }
    // Wagtail drawing a long form makes thousands of these records: no arrays made for each.
    let blockMoved = false;
    for (const node of record.addedNodes) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      added.add(node);
      blockMoved = blockMoved || isBlock(node);
    }
    for (const node of record.removedNodes) blockMoved = blockMoved || isBlock(node);
    if (blockMoved) streams.add(record.target);
  });
  if (added.size || streams.size) lookSoon();
}).observe(document.body, {
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ["aria-hidden", "contenteditable", "role"],
});

// A block's title names its fields: as it is typed, name the boxes of its stream again.
document.addEventListener("input", (event) => {
  const block = event.target.closest?.(`.${TITLED} > [data-contentpath="title"]`)?.closest("[data-streamfield-child]");
  if (!block) return;
  streams.add(block.parentNode);
  lookSoon();
});
