// Autosave for a wizard step (advice_forms/portal/wizard.py): while something changed, POST the step's form to its
// autosave URL every data-autosave-seconds and whenever a field is left, and say "Saved at 10:42" in a polite
// live region. The server saves it exactly as the step's own POST (valid or not), and counts it as activity,
// so someone typing is never signed out mid-answer. Without JavaScript the Save buttons do the same.
//
// Each save posts the section's revision this page holds ([data-step-revision]), taken from every successful save's
// answer, so this page's own saves follow one another. When the section was saved from another copy meanwhile
// (another tab, or someone else signed in to the team account), the server refuses with a 409 and writes nothing:
// this page then stops autosaving, says so, and warns before it is left, until a Save button is pressed (the step's
// own POST then shows the choices). A page drawn after such a refusal (data-unsaved) starts that way.
//
// When the request was submitted (or accepted) meanwhile, nothing can be saved any more: the server refuses with a 403
// and the step's banner (the one its own POST would draw), which this page shows at its top (role="alert": read out
// at once) and the status line points to, so the typing still on the page can be copied before it is left. The
// banner does not take focus: the keys of someone still typing would go to it and be lost.
//
// A save refused for what it held (a 400) or never sent (the connection dropped) is tried again at the next turn,
// and until one is saved, leaving the page asks first.
//
// A Save pressed while the browser is offline, or while the last save never reached the server, is held: posted, it
// would only bring the browser's own "No internet" page, and the typing on this page would be lost with nothing to say
// so. A banner at the page's top takes the focus and says the typing is kept here; the status line beside the buttons
// says the same, but is not read out while that banner is there (a screen reader would read both at once). The typing
// is saved as the connection comes back (the "online" event, or the next turn), and a second banner then says the Save
// can be pressed again; when the server answers without saving it, the banner says the Save was not done instead. A
// chosen file is sent only by a Save: until then it counts as unsaved (leaving the page asks first) and the status line
// says so.
//
// A 503 (the database is failing: an HTML page with Retry-After), a 502 or a 504 (the proxy in front finding no portal)
// is taken as the connection lost: the typing is kept here, leaving asks first, the next turn tries again, and a Save
// pressed meanwhile is held (its POST would meet the same page, and the typing would be lost with this one), its
// banner and status line saying the portal is not working rather than that there is no connection. A 500 (a fault in
// the portal, which may meet every save) is not: it is a save not done, as a refusal is (leaving asks first), so a Save
// still posts the form rather than being held for ever.
const form = document.getElementById("advice-step-form");
// The answers that mean the portal is not there to answer, not that it refused or failed this save.
const DOWN_STATUSES = [502, 503, 504];

if (form && window.fetch && window.FormData) {
  const url = form.dataset.autosaveUrl;
  const seconds = Math.max(1, Number(form.dataset.autosaveSeconds) || 30);
  const status = form.querySelector("[data-autosave-status]");
  const revision = form.querySelector("[data-step-revision]");
  const heldWords = document.querySelector("template[data-autosave-held]");
  const readyWords = document.querySelector("template[data-autosave-ready]");
  const refusedWords = document.querySelector("template[data-autosave-refused]");
  const fileInputs = Array.from(form.querySelectorAll('input[type="file"]'));
  const fileWaiting = () => fileInputs.some((input) => input.files && input.files.length > 0);
  // Refused (or drawn after a refusal): what is typed here is not saved, and autosave would not save it.
  let savedElsewhere = false;
  let submitting = false;
  // A Save leaves the page by its POST; anything else would lose typing that no save can keep now.
  const warnBeforeLeaving = (event) => {
    if (!submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  };
  // Whether leaving asks first: typing is on this page that no save has kept.
  let asking = false;
  // A save refused for what it held (a 400: not a copy saved elsewhere, not a closed request) or never sent (no
  // connection) is tried again, and until one is saved, leaving the page asks first: a link away would lose it.
  const warnUntilSaved = (on) => {
    if (on) {
      asking = true;
      window.addEventListener("beforeunload", warnBeforeLeaving);
    } else if (!savedElsewhere && !fileWaiting()) {
      asking = false;
      window.removeEventListener("beforeunload", warnBeforeLeaving);
    }
  };
  const holdUnsaved = () => {
    if (savedElsewhere) return;
    savedElsewhere = true;
    asking = true;
    window.addEventListener("beforeunload", warnBeforeLeaving);
  };
  let dirty = false;
  let inFlight = null;
  let leaveTimer = null;
  // The last save never reached the server (no connection): a Save pressed now would not reach it either.
  let unreachable = false;
  // ...because the portal answered that it is not working (a 503), not for want of a connection.
  let unavailable = false;
  // The Save button whose press was held for want of a connection, until the typing is saved.
  let held = null;

  // While a held Save's banner (role="alert") is shown, the status line's words change without being read out.
  const say = (text) => {
    if (!status) return;
    status.setAttribute("aria-live", held ? "off" : "polite");
    status.textContent = text;
  };
  // What the status line says once a save is done: with a chosen file, that the file still waits for a Save.
  const sayDone = (text) => {
    const file = status && fileWaiting() ? status.dataset.fileWords : "";
    say([text, file].filter(Boolean).join(" "));
  };

  // One banner at the page's top for a held Save: the held one, then the one saying it can be pressed again (or that
  // the server did not save it).
  const showBanner = (words, { focus, reason = "" }) => {
    if (!words) return;
    const banner = words.content.firstElementChild.cloneNode(true);
    if (unavailable) {
      for (const line of banner.querySelectorAll("[data-unavailable-words]")) {
        line.textContent = line.dataset.unavailableWords;
      }
    }
    // A refusal with its own reason (saved elsewhere, no longer allowed) says that, not "press it again".
    const advice = banner.querySelector("[data-autosave-refused-advice]");
    if (advice && reason) advice.textContent = reason;
    for (const name of banner.querySelectorAll("[data-autosave-button-name]")) {
      if (held) name.textContent = held.textContent.trim();
    }
    const file = banner.querySelector("[data-autosave-file-words]");
    if (file) file.hidden = !fileWaiting();
    const shown = document.getElementById(banner.id);
    const hadFocus = shown && shown.contains(document.activeElement);
    if (shown) shown.replaceWith(banner);
    else form.parentElement.prepend(banner);
    if (focus || hadFocus) banner.focus();
  };
  const showReady = () => {
    if (!held) return;
    showBanner(readyWords, { focus: false });
    held = null;
  };
  // The server answered without saving: the held Save was not done, and the banner says so and what to do: for a
  // 400 (what it held) to press it again; for any other refusal (a 409: saved elsewhere) the server's own reason.
  const showRefused = (reason) => {
    if (!held) return;
    showBanner(refusedWords, { focus: false, reason });
    held = null;
  };
  // A closed request's own banner says what happened: the held one goes.
  const dropHeld = () => {
    if (!held) return;
    held = null;
    const shown = document.getElementById("advice-offline");
    if (shown) shown.remove();
  };

  const showClosed = (html) => {
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const banner = holder.querySelector(".govuk-notification-banner");
    if (!banner) return;
    const shown = document.getElementById(banner.id);
    if (shown) shown.replaceWith(banner);
    else form.parentElement.prepend(banner);
  };

  const save = async ({ leaving = false } = {}) => {
    if (savedElsewhere || !dirty || (inFlight && !leaving)) return;
    dirty = false;
    const body = new FormData(form);
    // A chosen file is sent by the step's own Save (checked and filed there), never by autosave.
    for (const [name, value] of Array.from(body.entries())) {
      if (value instanceof File) body.delete(name);
    }
    const request = fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: leaving,
    });
    inFlight = request;
    let answered = false;
    let saved = false;
    let closed = false;
    let reason = ""; // the server's words for a refusal that pressing again will not mend
    let page = false; // an answer that is not the autosave's: a page it was sent on to (the sign-in, after a time-out)
    let down = false; // a 502, 503 or 504: as if never sent
    let response = null;
    try {
      response = await request;
      answered = true;
      unreachable = false;
      unavailable = false;
      down = DOWN_STATUSES.includes(response.status);
      if (down) throw new Error("The portal is not working");
      const result = await response.json();
      if (response.ok && result.saved) {
        if (revision && result.revision !== undefined) revision.value = result.revision;
        saved = true;
        warnUntilSaved(false);
        sayDone(result.message);
        showReady();
        // The session time-out warning restarts its clock: the server has counted this as activity.
        document.dispatchEvent(new CustomEvent("portal:activity"));
      } else if (result.closed) {
        closed = true;
        holdUnsaved();
        say(result.message);
        showClosed(result.banner || "");
      } else if (response.status === 409) {
        holdUnsaved();
        dirty = true;
        reason = result.message;
        say(result.message);
      } else {
        say(result.message || "Your latest changes are not saved yet.");
        if (response.status !== 400) reason = result.message || "";
        if (response.status !== 403) {
          dirty = true;
          warnUntilSaved(true);
        }
      }
    } catch {
      // Not sent (the connection dropped), or the portal not working (a 503): as unsaved as a refused save, so leaving
      // asks first too, and a Save is held. An answer that is not the autosave's JSON but an error page (a fault's
      // 500, a 400 or 403 drawn by Django before the view) saved nothing either: leaving asks first, a Save is not
      // held. An answer the autosave was sent on to (a page: the sign-in, once the session has ended) turns on no
      // warning of its own: the time-out's dialog signs this page out.
      dirty = true;
      page = answered && !down && response.redirected;
      if (!answered || down) {
        unreachable = true;
        unavailable = down;
      }
      if (!page) warnUntilSaved(true);
      const keptWords = status && (down ? status.dataset.unavailableWords : status.dataset.offlineWords);
      say(
        held && (!answered || down) && keptWords
          ? keptWords
          : "Your latest changes are not saved yet. We will try again.",
      );
    } finally {
      inFlight = null;
      // The server answered but did not save: the connection is back, the held Save was not done, and the banner
      // says so (or the banner of a closed request says what happened instead).
      if (answered && !saved && !down) {
        if (closed || page) dropHeld();
        else showRefused(reason);
      }
    }
  };

  form.addEventListener("input", () => {
    dirty = true;
  });
  form.addEventListener("change", (event) => {
    dirty = true;
    // Autosave never sends a file: until a Save sends it, a chosen file is unsaved, and leaving asks first.
    if (event.target.type === "file" && fileWaiting()) {
      warnUntilSaved(true);
      if (status) say(status.dataset.fileWords);
    }
  });
  // Leaving a field saves, a moment later: when the field was left for a Save button, its POST saves instead.
  form.addEventListener("focusout", () => {
    window.clearTimeout(leaveTimer);
    leaveTimer = window.setTimeout(() => save(), 300);
  });
  form.addEventListener("submit", (event) => {
    window.clearTimeout(leaveTimer);
    if (!navigator.onLine || unreachable) {
      // Posted now, the typing would be lost with the page: it stays here and is saved once the connection is back.
      event.preventDefault();
      // Enter presses the step's hidden first button: the banner names the one on screen.
      const pressed = event.submitter;
      held =
        pressed && pressed.getAttribute("aria-hidden") !== "true"
          ? pressed
          : form.querySelector('.govuk-button-group button[value="continue"]');
      if (dirty || fileWaiting()) warnUntilSaved(true);
      if (status) say(unavailable ? status.dataset.unavailableWords : status.dataset.offlineWords);
      showBanner(heldWords, { focus: true });
      if (navigator.onLine) save();
      return;
    }
    dirty = false;
    submitting = true;
  });
  window.addEventListener("online", () => {
    if (dirty) save();
    else showReady();
  });
  if (form.dataset.unsaved === "true") holdUnsaved();
  // The time-out's sign-out (portal_pages/static/portal_pages/session-timeout.js) leaves without asking, whatever is
  // unsaved: the session has ended, and the page must not stay on an unattended screen. Typing not saved (a change
  // not yet sent, a save refused or never sent, a chosen file) is named, and the time-out posts it with this form, to
  // be kept for after signing in again (portal_pages/kept_typing.py).
  document.addEventListener("portal:signing-out", (event) => {
    if ((dirty || asking || fileWaiting()) && event.detail) event.detail.unsaved.push(form);
    submitting = true;
    window.removeEventListener("beforeunload", warnBeforeLeaving);
  });
  window.addEventListener("pagehide", () => save({ leaving: true }));
  // Back and Forward show this page with its fields as they were when it was left (the browser puts them back, or
  // keeps the whole page in memory): older than what has been saved since, on the page that came after it with the
  // same step. Saving from it would overwrite the newer answers, so the page is fetched again, as a new visit (a GET,
  // whatever brought it), to show what is saved.
  window.addEventListener("pageshow", (event) => {
    const [navigation] = performance.getEntriesByType("navigation");
    if (event.persisted || (navigation && navigation.type === "back_forward")) {
      window.removeEventListener("beforeunload", warnBeforeLeaving);
      window.location.replace(window.location.href);
    }
  });
  window.setInterval(() => save(), seconds * 1000);
}
