// The one place where Wagtail 7.4's unsaved-changes check (the w-unsaved Stimulus controller, UnsavedController in
// Wagtail's client/src/controllers/UnsavedController.ts, compiled into wagtailadmin/js/core.js) is patched: its
// `formData` getter, which every check (every 500 ms) and the first copy of the form call, is read in linear time.
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
(() => {
  // Upstream's getter in Wagtail 7.4.4's core.js, character for character.
  const UPSTREAM_FORM_DATA =
    'get formData(){const e=new FormData(this.element);["csrfmiddlewaretoken","loaded_revision_id",' +
    '"loaded_revision_created_at","next"].forEach(t=>e.delete(t));for(const t of[...e.keys()])' +
    'if(t.startsWith("comments-"))e.delete(t);else if(e.get(t)instanceof File){const r=e.getAll(t)' +
    '.flatMap(e=>[["name",e.name],["size",`${e.size}`],["type",e.type]]);e.set(t,new URLSearchParams(r)' +
    ".toString())}return new URLSearchParams(e).toString()}";
  const EXCLUDED = new Set(["csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at", "next"]);

  const app = window.wagtail && window.wagtail.app;
  const module = app && app.router && app.router.modulesByIdentifier && app.router.modulesByIdentifier.get("w-unsaved");
  if (!module) return;
  const Upstream = module.definition.controllerConstructor;
  let owner = Upstream.prototype;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, "formData")) owner = Object.getPrototypeOf(owner);
  const upstreamGetter = owner && Object.getOwnPropertyDescriptor(owner, "formData").get;
  if (!upstreamGetter || upstreamGetter.toString() !== UPSTREAM_FORM_DATA) return;

  class UnsavedController extends Upstream {
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
    }
  }

  app.register("w-unsaved", UnsavedController);
})();
