// Warns before the server ends an idle portal session (portal_pages.middleware.PortalSessionMiddleware).
// The DWP "manage a session time-out" pattern: a modal dialog takes focus, Esc or "Stay signed in" keep
// the session by POSTing to the keep-alive URL, and screen readers hear the countdown politely.
const dialog = document.getElementById("portal-timeout");
// The inputs nobody types into.
const NOT_TYPED = ["hidden", "checkbox", "radio", "file", "submit", "button", "image", "reset"];

// The time left exactly, never rounded up: "1 minute and 59 seconds", "2 minutes", "45 seconds".
function words(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" and ");
}

if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds);
  const warning = Number(dialog.dataset.warningSeconds);
  const countdown = dialog.querySelector("[data-countdown]");
  // In its last second the dialog says what is happening, not "in 0 seconds".
  const sentence = dialog.querySelector("[data-countdown-sentence]");
  const ended = dialog.querySelector("[data-countdown-ended]");
  const live = dialog.querySelector("[data-countdown-live]");
  const keepAliveForm = dialog.querySelector("[data-keep-alive]");
  const signOutForm = dialog.querySelector("[data-sign-out]");
  // When the server's idle time runs out. The dialog counts down to it, so it opens on the warning's own figure
  // ("2 minutes") and each figure it announces is the one it shows; this page signs out one second later, when the
  // server's time has run out for certain.
  let deadline = 0;
  let warnTimer = null;
  let tick = null;
  let lastAnnounced = null;

  const remaining = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));

  const update = () => {
    const left = remaining();
    countdown.textContent = words(left);
    sentence.hidden = left === 0;
    ended.hidden = left !== 0;
    // Announce at the start, then every 20 seconds (every minute above two minutes), not every second.
    const step = left > 120 ? 60 : 20;
    if (lastAnnounced === null || lastAnnounced - left >= step || (left === 0 && lastAnnounced !== 0)) {
      live.textContent = left ? `We will sign you out in ${words(left)}.` : "We are signing you out now.";
      lastAnnounced = left;
    }
    if (Date.now() >= deadline + 1000) {
      clearInterval(tick);
      timeOut();
    }
  };

  // Sign out, as the dialog said: the server's clock may not have run out, because it heard from this page while the
  // dialog was open (a form's autosave, sent as the dialog took the focus from a field).
  // Other scripts that would ask before the page is left (a form's unsaved typing) are told first: an unattended
  // computer must not keep the page, and the child's details on it, on screen behind "Leave site?". A script that
  // knows its form holds typing no save has kept (a step's autosave) names that form in the event's `unsaved`.
  const signingOut = () => {
    const leaving = new CustomEvent("portal:signing-out", { detail: { unsaved: [] } });
    document.dispatchEvent(leaving);
    return leaving.detail.unsaved;
  };

  // Where a form posts: read from its attribute, as `form.action` is its field of that name where it has one (a step's
  // buttons are named "action").
  const address = (form) => new URL(form.getAttribute("action") || window.location.href, document.baseURI);

  // A field whose value is not the one the page was drawn with.
  const changedField = (field) => {
    if (field.type === "file") return field.files.length > 0;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.options) {
      const options = Array.from(field.options);
      const drawn = options.some((option) => option.defaultSelected);
      // A list drawn with nothing marked shows its first option: that is no change.
      return options.some((option, index) => option.selected !== (drawn ? option.defaultSelected : index === 0));
    }
    return field.type !== "hidden" && "defaultValue" in field && field.value !== field.defaultValue;
  };
  // A field holding something typed or chosen, whatever the page was drawn with.
  const filledField = (field) => {
    if (field.type === "file") return field.files.length > 0;
    if (field.type === "checkbox" || field.type === "radio") return field.checked;
    const typed = field.tagName === "TEXTAREA" || (field.tagName === "INPUT" && !NOT_TYPED.includes(field.type));
    return typed && field.value.trim() !== "";
  };

  // On a page that keeps typing at a time-out (data-keeps-typing, portal_pages/kept_typing.py), the page's own form
  // (posted to this page's address) when it holds typing no save has kept: one its script names, or, for a form with
  // no autosave, one with a change since the page was drawn ("changed"), or anything typed in it when the page
  // itself shows typing not saved ("unsaved": redrawn with its errors; "kept": typing kept at an earlier time-out).
  const formToKeep = (unsaved) => {
    const keeps = dialog.dataset.keepsTyping;
    if (!keeps) return null;
    const here = window.location.pathname;
    return (
      Array.from(document.forms).find((form) => {
        const posted = (form.getAttribute("method") || "").toLowerCase() === "post";
        if (dialog.contains(form) || !posted || address(form).pathname !== here) return false;
        if (form.dataset.autosaveUrl) return unsaved.includes(form);
        const fields = Array.from(form.elements);
        return fields.some(changedField) || (keeps !== "changed" && fields.some(filledField));
      }) || null
    );
  };

  // A chosen file is not kept at a time-out, only its name (the page asks for the file again): each chosen file goes
  // as an empty file of its name, so the sign-out does not wait on an upload the server would throw away. A browser
  // that cannot set a file field's files sends the files themselves, which the server throws away as they arrive.
  const namesOnly = (form) => {
    Array.from(form.elements)
      .filter((field) => field.type === "file" && field.files.length > 0)
      .forEach((field) => {
        try {
          const names = new DataTransfer();
          Array.from(field.files).forEach((file) => names.items.add(new File([], file.name, { type: file.type })));
          field.files = names.files;
        } catch {
          // As the comment above says: the file goes as it is.
        }
      });
  };

  // The form posted to its own page, marked as the time-out: the server signs out, saves nothing and keeps the typing
  // for this account to find on this page after signing in again.
  const keepTyping = (form) => {
    const marked = address(form);
    marked.searchParams.set("timed_out", "1");
    form.setAttribute("action", marked.href);
    namesOnly(form);
    HTMLFormElement.prototype.submit.call(form);
  };

  const timeOut = () => {
    const form = formToKeep(signingOut());
    if (form) {
      keepTyping(form);
      return;
    }
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "timed_out";
    field.value = "1";
    signOutForm.append(field);
    signOutForm.submit();
  };

  const warn = () => {
    lastAnnounced = null;
    update();
    dialog.showModal();
    tick = setInterval(update, 1000);
  };

  // Typing kept at a time-out, shown again on its page under a banner saying it is not saved: leaving the page before
  // it is sent asks first, as a step's autosave asks of typing it has not saved (on a page with no autosave, Cancel or
  // a link threw it away without a word). The dialog's own forms do not count as sending it; the time-out's sign-out
  // leaves without asking, as ever.
  if (dialog.dataset.keepsTyping === "kept") {
    const askFirst = (event) => {
      event.preventDefault();
      event.returnValue = "";
    };
    const stopAsking = () => window.removeEventListener("beforeunload", askFirst);
    window.addEventListener("beforeunload", askFirst);
    document.addEventListener("submit", (event) => {
      if (!dialog.contains(event.target)) stopAsking();
    });
    document.addEventListener("portal:signing-out", stopAsking);
  }

  // Every tab of this browser shares the one session, and so the server's one idle clock: a page drawn, a save or
  // "Stay signed in" in any tab restarts the countdown of every tab. (A tab left in the background signed the whole
  // session out while another was in use, and what was typed there afterwards went with it.)
  const tabs = "BroadcastChannel" in window ? new BroadcastChannel(`portal-timeout:${dialog.dataset.timeoutUrl}`) : null;
  // When the server last heard from this browser, as far as this page knows.
  let heard = 0;

  const start = (at = Date.now(), { tell = true } = {}) => {
    clearTimeout(warnTimer);
    clearInterval(tick);
    heard = at;
    deadline = at + idle * 1000;
    warnTimer = setTimeout(warn, Math.max(0, deadline - warning * 1000 - Date.now()));
    if (tell && tabs) tabs.postMessage({ heard: at });
  };

  if (tabs) {
    tabs.addEventListener("message", (event) => {
      const at = Number(event.data && event.data.heard);
      if (!(at > heard)) return;
      // Someone is at another tab: this one's warning, if open, no longer holds.
      if (dialog.open) dialog.close();
      start(at, { tell: false });
    });
  }

  // Tells the server someone is here: whether it counted that (not when the session had already ended, and a
  // signed-out request was sent on to the sign-in page), or null when it was not sent (no connection).
  const tellServer = async () => {
    try {
      const response = await fetch(keepAliveForm.action, {
        method: "POST",
        body: new FormData(keepAliveForm),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      return response.ok && !response.redirected;
    } catch {
      return null;
    }
  };

  const keepAlive = async () => {
    clearInterval(tick);
    if (dialog.open) dialog.close();
    const counted = await tellServer();
    if (counted === null) {
      // Not sent: the server's clock runs on, and so does the countdown, shown again.
      warn();
    } else if (counted) {
      start();
    } else {
      // Too late: someone is here (they pressed "Stay signed in"), so a form's unsaved typing still asks first, and
      // its Save, pressed instead, keeps the typing for after signing in again (portal_pages/kept_typing.py).
      window.location.assign(dialog.dataset.timeoutUrl);
    }
  };

  // Typing is someone at the screen, though a page with no autosave tells the server nothing of it: the warning
  // opened under the typing and took its next keys. While typing goes on, the server is told, once a minute at most
  // (and in time to keep the warning shut however short the idle limit).
  const typingTellsAfter = Math.min(60, (idle - warning) / 2) * 1000;
  let telling = false;
  document.addEventListener("input", async (event) => {
    if (!event.isTrusted || telling || dialog.open || Date.now() - heard < typingTellsAfter) return;
    telling = true;
    // Not counted or not sent: the countdown runs on from the last time the server heard.
    if ((await tellServer()) && !dialog.open) start();
    telling = false;
  });

  keepAliveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    keepAlive();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    keepAlive();
  });
  // Other scripts that reach the server (a form's autosave) say so: the server's idle clock restarted too.
  document.addEventListener("portal:activity", () => {
    if (!dialog.open) start();
  });
  start();
}
