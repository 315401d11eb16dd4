// The one place where Wagtail 7.4's unsaved-changes check (the w-unsaved Stimulus controller, UnsavedController in
// Wagtail's client/src/controllers/UnsavedController.ts, compiled into wagtailadmin/js/core.js) is patched, twice:
// its `formData` getter is read in linear time, and typing before its first copy of the form counts as a change.
//
// 1. The getter, which every check (every 500 ms) and the first copy of the form call.
//
// Upstream asks the FormData for each field's first value by name (`formData.get(key)` for every key), and each such
// look-up walks the whole list of fields: the time grows with the square of the number of fields. A council's full
// form definition (250 questions) posts about 4,600 fields, so each check took 55-75 ms in Chromium, long tasks every
// half second while the form designer types. Lengthening the interval is no cure: the leave-page warning reads the
// last check's result, so typing since then would be lost without a warning.
//
// Here the same string is built in one pass over the fields (a Map holds each name's values once, for files), so the
// comparison with the first copy, the footer's "unsaved" state, the autosave and the leave-page warning see exactly
// what they saw upstream. The subclass is registered under the same identifier before Stimulus starts (Stimulus's
// register replaces an identifier's definition). It stands down, leaving upstream's controller, unless upstream's
// getter is still the one written in UPSTREAM_FORM_DATA: tests/cms/test_wagtail_unsaved_compat.py fails when the
// installed core.js no longer holds it, and tests/browser/test_wagtail_unsaved_compat.py shows the check unchanged.
//
// 2. The first copy. Upstream copies the form two seconds after the page starts (initialDelayValue, so that the
// widgets drawn meanwhile are in the copy) and counts only a difference from that copy as a change. Words typed
// within those two seconds were in the copy: no autosave, no "unsaved" state, no warning on leaving, and closing the
// tab lost them (an editor typing into a guidance page's Intro 0.5 s after it opened). Here the first copy holds,
// for each field typed into or changed by the person before it is taken, the field as the page came (a plain field
// as the server drew it, the browser's reset; a rich text box as it was at its first keystroke, paste or drop);
// every other field is copied as upstream copies it, widgets' own writing included. It stands down unless upstream's
// setInitialFormData and clear are still those written below: tests/cms/test_wagtail_unsaved_compat.py fails when
// the installed core.js changes them, and tests/browser/test_typed_as_the_editor_opens.py shows such typing saved.
(() => {
  // Upstream's getter in Wagtail 7.4.4's core.js, character for character.
  const UPSTREAM_FORM_DATA =
    'get formData(){const e=new FormData(this.element);["csrfmiddlewaretoken","loaded_revision_id",' +
    '"loaded_revision_created_at","next"].forEach(t=>e.delete(t));for(const t of[...e.keys()])' +
    'if(t.startsWith("comments-"))e.delete(t);else if(e.get(t)instanceof File){const r=e.getAll(t)' +
    '.flatMap(e=>[["name",e.name],["size",`${e.size}`],["type",e.type]]);e.set(t,new URLSearchParams(r)' +
    ".toString())}return new URLSearchParams(e).toString()}";
  const EXCLUDED = new Set(["csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at", "next"]);

  // Upstream's first copy and its clear in Wagtail 7.4.4's core.js, character for character.
  const UPSTREAM_SET_INITIAL_FORM_DATA =
    "setInitialFormData(){const e=this.formData;this.initialFormData=e,this.previousFormData=e," +
    'this.dispatch("watch-edits",{cancelable:!1,detail:{initialFormData:e}})}';
  const UPSTREAM_CLEAR =
    "clear(){this.setInitialFormData(),this.hasEditsValue=!1,this.hasCommentsValue=!1,this.forceValue=!1}";
  const CONTROLS = "input, select, textarea";
  const WATCHED = "form[data-controller~='w-unsaved']";
  const RICH_TEXT = "[data-draftail-editor-wrapper]";

  // The fields the person has changed: a plain field (reset to the server's value for the copy), or a rich text
  // box's hidden input with its value before the first keystroke, paste or drop into its editor.
  const changedFirst = new Map();
  const plain = (control) => control.matches(CONTROLS) && control.type !== "hidden" && Boolean(control.form);
  const typedBeforeThisScript = (control) => {
    if (control.type === "file") return control.files.length > 0;
    if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
    if (!control.matches("input, textarea")) return false; // a list: its change event comes after this script
    return control.value !== control.defaultValue.replace(/\r\n?/g, "\n");
  };
  const heard = (event) => {
    const { target } = event;
    if (!event.isTrusted || !(target instanceof Element)) return;
    if (plain(target)) {
      if (event.type === "input" || event.type === "change") changedFirst.set(target, null);
      return;
    }
    // Wagtail draws a rich text box's editor beside its hidden input, which it writes after each change.
    const editor = target.closest(RICH_TEXT);
    const input = editor && editor.parentElement.querySelector(":scope > input[type=hidden][name]");
    if (input && !changedFirst.has(input) && event.type !== "input" && event.type !== "change") {
      changedFirst.set(input, input.value);
    }
  };
  const watchForChanges = () => {
    document.querySelectorAll(`${WATCHED} :is(${CONTROLS})`).forEach((control) => {
      if (plain(control) && typedBeforeThisScript(control)) changedFirst.set(control, null);
    });
    for (const type of ["keydown", "beforeinput", "paste", "cut", "drop", "input", "change"]) {
      document.addEventListener(type, heard, true);
    }
  };

  // The controller's form as the check reads it, with each field the person changed as the page came: read from a
  // copy of the form, never touching the one on the page (its focus, its caret).
  const asThePageCame = (controller) => {
    const form = controller.element;
    const controls = [...form.querySelectorAll(CONTROLS)];
    const changed = controls.map((control, index) => [index, control]).filter(([, c]) => changedFirst.has(c));
    if (!changed.length) return controller.formData;
    const copy = form.cloneNode(true); // a control's copy keeps its value, ticks and choices
    const copies = copy.querySelectorAll(CONTROLS);
    const resetting = document.createElement("form");
    for (const [index, control] of changed) {
      const field = copies[index];
      const before = changedFirst.get(control);
      if (before !== null) {
        field.value = before;
      } else {
        const place = document.createComment("");
        field.replaceWith(place);
        resetting.append(field);
        resetting.reset(); // the browser's own reset: the value, ticks and choices the server drew
        place.replaceWith(field);
      }
    }
    return Reflect.get(controller, "formData", { element: copy });
  };

  const app = window.wagtail && window.wagtail.app;
  const module = app && app.router && app.router.modulesByIdentifier && app.router.modulesByIdentifier.get("w-unsaved");
  if (!module) return;
  const Upstream = module.definition.controllerConstructor;
  let owner = Upstream.prototype;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, "formData")) owner = Object.getPrototypeOf(owner);
  const upstreamGetter = owner && Object.getOwnPropertyDescriptor(owner, "formData").get;
  const patchGetter = Boolean(upstreamGetter) && upstreamGetter.toString() === UPSTREAM_FORM_DATA;
  const method = (name) => {
    const found = Upstream.prototype[name];
    return typeof found === "function" ? found.toString() : "";
  };
  const patchFirstCopy =
    method("setInitialFormData") === UPSTREAM_SET_INITIAL_FORM_DATA && method("clear") === UPSTREAM_CLEAR;
  if (!patchGetter && !patchFirstCopy) return;
  if (patchFirstCopy) watchForChanges();

  const patches = {
    // Upstream's result: the form's fields in order, less the excluded names and comments; a name whose first value
    // is a file holds, at its first place, its files' names, sizes and types (every value of that name).
    get formData() {
      const entries = [...new FormData(this.element)];
      const files = new Map(); // name -> its values, for the names whose first value is a file
      const seen = new Set();
      for (const [name, value] of entries) {
        if (!seen.has(name)) {
          seen.add(name);
          if (value instanceof File) files.set(name, []);
        }
        const values = files.get(name);
        if (values) values.push(value);
      }
      const out = new URLSearchParams();
      for (const [name, value] of entries) {
        if (EXCLUDED.has(name) || name.startsWith("comments-")) continue;
        const values = files.get(name);
        if (!values) {
          out.append(name, value);
        } else if (values.length) {
          const described = values.flatMap((file) => [
            ["name", file.name],
            ["size", `${file.size}`],
            ["type", file.type],
          ]);
          out.append(name, new URLSearchParams(described).toString());
          values.length = 0; // the later values of this name are in it
        }
      }
      return out.toString();
    },

    // Upstream's, the copy made with the fields the person changed as the page came (changedFirst). Each copy
    // before the first clear (an autosave stored, a save) is a first copy: upstream may take two.
    setInitialFormData() {
      const formData = this.portalCleared ? this.formData : asThePageCame(this);
      this.initialFormData = formData;
      this.previousFormData = formData;
      this.dispatch("watch-edits", { cancelable: false, detail: { initialFormData: formData } });
    },

    clear() {
      this.portalCleared = true;
      Upstream.prototype.clear.call(this);
    },
  };

  class UnsavedController extends Upstream {}
  const names = [...(patchGetter ? ["formData"] : []), ...(patchFirstCopy ? ["setInitialFormData", "clear"] : [])];
  for (const name of names) {
    Object.defineProperty(UnsavedController.prototype, name, Object.getOwnPropertyDescriptor(patches, name));
  }
  app.register("w-unsaved", UnsavedController);
})();
