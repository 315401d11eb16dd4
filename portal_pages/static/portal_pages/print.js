// "Print the codes": shown only when scripts run, since without them the browser's own print still works.
for (const button of document.querySelectorAll("[data-portal-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
