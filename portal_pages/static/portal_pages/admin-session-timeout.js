// Prepares the portal's time-out dialog (session-timeout.js, loaded next) for the Wagtail admin.
// Wagtail renders its page hooks without a request, so the dialog's forms take their CSRF token from the
// admin's own configuration. The sign-in and two-factor pages have no admin sidebar: no dialog there.
// Requests the admin's scripts make because someone did something (an autosave, a chooser) restart the
// server's idle clock, so they restart the dialog's too; the editing-session ping, sent on a timer, does not.
const dialog = document.getElementById("portal-timeout");
const config = document.getElementById("wagtail-config");

if (dialog && (!document.querySelector("[data-wagtail-sidebar]") || !config)) {
  dialog.remove();
} else if (dialog) {
  const token = JSON.parse(config.textContent).CSRF_TOKEN;
  for (const input of dialog.querySelectorAll("[data-admin-csrf]")) input.value = token;

  // The time-out's sign-out leaves an editor without Wagtail's "unsaved changes" question (its w-unsaved controller
  // asks listeners of w-unsaved:confirm first): the session has ended, and a child record's edit page must not stay
  // on an unattended screen behind "Leave site?".
  let signingOut = false;
  document.addEventListener("portal:signing-out", () => {
    signingOut = true;
  });
  document.addEventListener("w-unsaved:confirm", (event) => {
    if (signingOut) event.preventDefault();
  });

  const keepAlive = new URL(dialog.querySelector("[data-keep-alive]").action, window.location.href).pathname;
  if ("PerformanceObserver" in window) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!["fetch", "xmlhttprequest"].includes(entry.initiatorType)) continue;
        const url = new URL(entry.name, window.location.href);
        if (url.origin !== window.location.origin) continue;
        if (url.pathname === keepAlive || url.pathname.includes("/editing-sessions/ping/")) continue;
        document.dispatchEvent(new CustomEvent("portal:activity"));
      }
    }).observe({ type: "resource" });
  }
}
