// The one place where Wagtail 7.4's editor autosave (the w-autosave controller on form[data-edit-form]) is patched:
// a save the editor asks for and an autosave never reach the server together.
//
// Upstream, an autosave set off by the last change (about a second after it) can start after "Save draft" was
// pressed, while the save is still on its way, or still be on its way when it is pressed. The server may then store
// the autosave after the save: Wagtail gives the autosave's revision a newer time, so it becomes the latest, and the
// page the save leads to says "You saved a new version in another window", holding the next save behind a dialog.
// Here, once a save has been sent no autosave starts, and a save pressed while an autosave is on its way waits for
// its answer (at most WAIT_MS), then goes as pressed (the button's own action, "Publish" included).
//
// tests/browser/test_wagtail_autosave_compat.py shows both, and fails when upstream no longer races without this file.
(() => {
  const WAIT_MS = 10000;
  const isEditor = (target) => target instanceof HTMLFormElement && target.matches("form[data-edit-form]");
  let sent = false; // a save has left this page: no autosave from now on
  let inFlight = null; // resolves when the autosave on its way has its answer
  let finish = () => {};

  document.addEventListener("w-autosave:save", (event) => {
    if (!isEditor(event.target) || event.defaultPrevented) return;
    if (sent) {
      event.preventDefault(); // upstream sends nothing for a cancelled save event
      return;
    }
    inFlight = new Promise((resolve) => {
      finish = resolve;
      window.setTimeout(resolve, WAIT_MS);
    }).then(() => {
      inFlight = null;
    });
  });
  for (const name of ["w-autosave:success", "w-autosave:error"]) {
    document.addEventListener(name, (event) => {
      if (isEditor(event.target)) finish();
    });
  }

  // Last in line (bubbling, on document): a save another handler refused (the field limit's) is not a save.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!isEditor(form) || event.defaultPrevented) return;
    if (!inFlight) {
      sent = true;
      return;
    }
    event.preventDefault();
    const { submitter } = event;
    inFlight.then(() => {
      // Wagtail has disabled the pressed button meanwhile, and a disabled button sends no name: carry its action.
      if (submitter && submitter.name) {
        const action = document.createElement("input");
        action.type = "hidden";
        action.name = submitter.name;
        action.value = submitter.value;
        form.append(action);
      }
      form.requestSubmit();
    });
  });
})();
