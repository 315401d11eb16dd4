// The one place where Wagtail 7.4's editor autosave (the w-autosave controller on form[data-edit-form]) is patched:
// a save the editor asks for and an autosave never reach the server together.
//
// Upstream, an autosave set off by the last change (about a second after it) can start after "Save draft" was
// pressed, while the save is still on its way, or still be on its way when it is pressed. The server may then store
// the autosave after the save: Wagtail gives the autosave's revision a newer time, so it becomes the latest, and the
// page the save leads to says "You saved a new version in another window", holding the next save behind a dialog.
// On a real-size form each of the two requests costs the server seconds: a refused Publish took 14-29 s, with
// "Saving…" shown beside "Publishing…".
//
// Here, once the editor's form is submitted (any button: "Save draft", "Publish" included) no autosave starts: its
// save event is cancelled (upstream sends nothing for a cancelled one) and not passed on, so the indicator does not
// say "Saving…". A save pressed while an autosave is pending calls it off when its request has not left yet (upstream
// waits `interval` ms before sending), and otherwise waits for its answer (at most WAIT_MS); either way it then goes as
// pressed.
//
// tests/browser/test_wagtail_autosave_compat.py shows each order, and fails when upstream no longer races without
// this file.
(() => {
  const WAIT_MS = 10000;
  const isEditor = (target) => target instanceof HTMLFormElement && target.matches("form[data-edit-form]");
  let submitting = false; // the editor's form is being submitted: no autosave from now on
  let pending = null; // the save event of the autosave not yet answered

  const autosaveOf = (form) => window.wagtail?.app?.getControllerForElementAndIdentifier(form, "w-autosave");

  // First to hear it (capturing, on document): a save that will not be made is heard by nobody else.
  document.addEventListener(
    "w-autosave:save",
    (event) => {
      if (!isEditor(event.target)) return;
      if (submitting) {
        event.preventDefault(); // upstream sends nothing for a cancelled save event
        event.stopImmediatePropagation(); // the indicator would say "Saving…" for it
        return;
      }
      pending = event;
    },
    true,
  );

  // Called off after it was heard: upstream reads the event's defaultPrevented only when its wait is over, just
  // before sending, and then neither sends nor answers. The indicator, told "Saving…" and hearing no answer, is set
  // back to saying nothing.
  const quietIndicators = () => {
    const saying = "[data-controller~='w-autosave'][data-w-autosave-state-value='saving']";
    document.querySelectorAll(saying).forEach((indicator) => {
      if (!isEditor(indicator)) indicator.setAttribute("data-w-autosave-state-value", "idle");
    });
  };

  const resubmit = (form, submitter) => {
    // Wagtail has disabled the pressed button meanwhile, and a disabled button sends no name: carry its action.
    if (submitter && submitter.name) {
      const action = document.createElement("input");
      action.type = "hidden";
      action.name = submitter.name;
      action.value = submitter.value;
      form.append(action);
    }
    form.requestSubmit();
  };

  let holding = false; // a submit waits for the autosave's answer
  // Last in line (bubbling, on document): a save another handler refused (the field limit's) is not a save.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!isEditor(form) || event.defaultPrevented) return;
    if (holding) {
      event.preventDefault(); // a second press while the first waits: the first goes
      return;
    }
    const first = !submitting;
    submitting = true;
    const inFlight = autosaveOf(form)?.submitPromise;
    if (!first || !inFlight || !pending) return;
    // An autosave is pending: called off if its request has not left, and this submit waits for it either way.
    event.preventDefault();
    holding = true;
    pending.preventDefault();
    pending = null;
    const { submitter } = event;
    const capped = new Promise((resolve) => {
      window.setTimeout(resolve, WAIT_MS);
    });
    Promise.race([inFlight.catch(() => {}), capped]).then(() => {
      quietIndicators();
      holding = false;
      resubmit(form, submitter);
    });
  });
})();
