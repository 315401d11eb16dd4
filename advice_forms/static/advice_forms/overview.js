// The form definition editor's overview (Wagtail's minimap, the right-hand list of the form's parts) lists the
// sections and their questions, not every panel inside a question.
//
// Wagtail lists each panel whose header holds a `data-panel-anchor` link: at 250 questions that was 746 entries, 260
// of them a question's collapsed "Show only when" condition ("all of these rules are…"), the rest options, table
// columns and rules, so a designer could not find a question in it, and the minimap read and drew every one of them
// again after each panel was drawn (a section opened, a question moved). The attribute is read by the minimap alone;
// here it is taken off the anchors of panels that are neither a section nor a question, as each panel is set up
// (Wagtail's `wagtail:panel-init`, sent before the minimap's own update), then at `load` and as blocks are placed.
// The anchor itself, the panel and its toggle are unchanged. tests/browser/test_editor_overview.py counts the entries.
(() => {
  const KEPT = /^sections-\d+(-value-fields-\d+)?-type$/; // a section, or a question of a section

  const listed = (panel) => {
    const child = panel.parentElement && panel.parentElement.closest("[data-streamfield-child]");
    if (!child) return true; // the form's own settings: title, description, sections
    if (panel.parentElement !== child) return false; // a panel inside a block (a condition)
    // Its hidden inputs come first (deleted, order, type, id), before the panel.
    for (const input of child.children) {
      if (input === panel) return false;
      if (input.name && input.name.endsWith("-type")) return KEPT.test(input.name);
    }
    return false;
  };

  const unlist = (panel) => {
    if (!panel || listed(panel)) return;
    const anchor = panel.querySelector(":scope > .w-panel__header > [data-panel-anchor]");
    if (anchor) anchor.removeAttribute("data-panel-anchor");
  };

  // No search of the page here: a panel is set up hundreds of times an opening, while the page is being filled.
  document.addEventListener(
    "wagtail:panel-init",
    (event) => unlist(event.target instanceof Element && event.target.closest("[data-panel]")),
    true,
  );

  const unlistWithin = (node) => {
    if (!(node instanceof Element)) return;
    if (node.matches("[data-panel-anchor]")) unlist(node.closest("[data-panel]"));
    for (const anchor of node.querySelectorAll("[data-panel-anchor]")) unlist(anchor.closest("[data-panel]"));
  };

  // Once the page is drawn, a block added, duplicated or moved may have set its panels up before it was placed (no
  // event reaches the page then): its anchors are looked at as it is placed, before the minimap's update (100 ms).
  window.addEventListener("load", () => {
    unlistWithin(document.body);
    new MutationObserver((records) => {
      for (const record of records) record.addedNodes.forEach(unlistWithin);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
