// A listing's "Download as Excel" and "Download as CSV" (marked data-portal-download by cms/wagtail_export_compat.py)
// are written while the reader waits, with nothing on the page to say so: the audit log's took 17 to 19 seconds at a
// large council, and a second press wrote it all again. The first press says "Preparing your download…" in a status
// line read out by screen readers; another press in the next 20 seconds does nothing. Without JavaScript the links
// download as before.
(() => {
  const WAIT_MS = 20000;
  let busyUntil = 0;
  let status = null;
  const statusLine = () => {
    if (!status) {
      status = document.createElement("p");
      status.className = "help-block help-info portal-download-status";
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
    if (now < busyUntil) {
      event.preventDefault();
      return;
    }
    busyUntil = now + WAIT_MS;
    const line = statusLine();
    line.textContent = "Preparing your download…";
    window.setTimeout(() => {
      line.textContent = "";
    }, WAIT_MS);
  });
  // The status line exists before it is needed: a live region added with its words is often not read out.
  if (document.querySelector("a[data-portal-download]")) {
    statusLine();
  }
})();
