// Wagtail 7.4's multiple uploader (wagtaildocs/multiple/add.html) shows, in each uploaded document's row, the warning
// of what its PDF lacks that screen readers need (cms/document_accessibility.py). "Update" on a row sends its form and,
// once saved, removes the row, warning and all, saying only "updated". The update's answer carries the warning, in
// the same words and naming the document (cms.admin_views.GuidanceDocumentMultipleEditView); here it is shown as an
// admin message, after Wagtail's own (which clears those before it), so the editor still reads it once the row goes.
// Wagtail sends the update with jQuery, whose global ajaxSuccess event follows the request's own handler.
(() => {
  const jQuery = window.jQuery;
  if (!jQuery || !document.getElementById("upload-list")) {
    return;
  }
  jQuery(document).on("ajaxSuccess", (_event, request) => {
    const warning = request.responseJSON && request.responseJSON.success && request.responseJSON.accessibility_warning;
    if (typeof warning === "string" && warning) {
      document.dispatchEvent(new CustomEvent("w-messages:add", { detail: { text: warning, type: "warning" } }));
    }
  });
})();
