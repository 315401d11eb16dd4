// Wagtail 7.4's pages that upload several documents or images at once (wagtaildocs/multiple/add.html and
// wagtailimages/multiple/add.html) draw their file input, #fileupload, with no label: it lies unseen over the button
// "Or choose from your computer", which labels it on screen but not to a screen reader (axe: label). Here the input is
// named by that button, so its name is the words shown. tests/cms/test_upload_label.py fails when upstream's pages
// change the markup this relies on (or name the input themselves, and this can go).
//
// The button has no type, so it submits the form: a mouse lands on the input over it, but a keyboard user who tabs to
// the button (the one of the two whose focus shows) and presses Enter or Space sent the form with no file, and was
// taken to a bare "Must upload a file". Here it is a plain button that opens the input's file picker, and the unseen
// input, a second stop with the same name and no visible focus, leaves the tab order (a mouse still lands on it).
(() => {
  const input = document.querySelector(".replace-file-input > input#fileupload[type=file]");
  const button = input && input.parentNode.querySelector(":scope > button");
  if (!button) {
    return;
  }
  if (!button.hasAttribute("type")) {
    button.type = "button";
    button.addEventListener("click", () => input.click());
    input.tabIndex = -1;
  }
  if (input.labels.length || input.hasAttribute("aria-label") || input.hasAttribute("aria-labelledby")) {
    return;
  }
  button.id = button.id || "fileupload-button";
  input.setAttribute("aria-labelledby", button.id);
})();
