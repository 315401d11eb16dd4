// Wagtail 7.4's pages that upload several documents or images at once (wagtaildocs/multiple/add.html and
// wagtailimages/multiple/add.html) draw their file input, #fileupload, with no label: it lies unseen over the button
// "Or choose from your computer", which labels it on screen but not to a screen reader (axe: label). Here the input is
// named by that button, so its name is the words shown. tests/cms/test_upload_label.py fails when upstream's pages
// change the markup this relies on (or name the input themselves, and this can go).
(() => {
  const input = document.querySelector(".replace-file-input > input#fileupload[type=file]");
  const button = input && input.parentNode.querySelector(":scope > button");
  if (!button || input.labels.length || input.hasAttribute("aria-label") || input.hasAttribute("aria-labelledby")) {
    return;
  }
  button.id = button.id || "fileupload-button";
  input.setAttribute("aria-labelledby", button.id);
})();
