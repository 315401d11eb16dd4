// A listing's "Download as Excel" and "Download as CSV" (marked data-portal-download by cms/wagtail_export_compat.py)
// are written while the reader waits, with nothing on the page to say so: the audit log's took 17 to 19 seconds at a
// large council, and a second press wrote it all again. The first press says "Preparing your download…" in a status
// line read out by screen readers; another press of the same download in the next 20 seconds does nothing (the other
// download still answers). The line is unstyled while it is empty: Wagtail's help-info box with no words was an
// empty blue box above every listing with downloads. Without JavaScript the links download as before.
(() => {
  const WAIT_MS = 20000;
  const SHOWN = ["help-block", "help-info"];
  const busyUntil = new Map(); // a download's address: until when a press of it does nothing
  let status = null;
  const statusLine = () => {
    if (!status) {
      status = document.createElement("p");
      status.className = "portal-download-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      const main = document.getElementById("main") || document.body;
      main.prepend(status);
    }
    return status;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-portal-download]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    const now = Date.now();
    if (now < (busyUntil.get(link.href) || 0)) {
      event.preventDefault();
      return;
    }
    busyUntil.set(link.href, now + WAIT_MS);
    const line = statusLine();
    line.classList.add(...SHOWN);
    line.textContent = "Preparing your download…";
    window.setTimeout(() => {
      if (now + WAIT_MS >= Math.max(...busyUntil.values())) {
        line.textContent = "";
        line.classList.remove(...SHOWN);
      }
    }, WAIT_MS);
  });
  // The status line exists before it is needed: a live region added with its words is often not read out.
  if (document.querySelector("a[data-portal-download]")) {
    statusLine();
  }
})();
