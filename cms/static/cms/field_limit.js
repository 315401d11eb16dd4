// Refuses, before it is sent, a save of an admin form that posts more fields than the server accepts
// (PORTAL_LARGE_FORM_MAX_FIELDS, see cms/field_limits.py): the page and everything typed in it stay put.
(function () {
  "use strict";
  var script = document.currentScript;
  var limit = parseInt(script && script.dataset.maxFields, 10);
  if (!limit) return;

  function postedCount(form) {
    var count = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "submit" || el.type === "button") return;
      count += el.tagName === "SELECT" && el.multiple ? el.selectedOptions.length : 1;
    });
    return count;
  }

  function warn(form, count) {
    var box = document.getElementById("field-limit-warning");
    if (!box) {
      box = document.createElement("div");
      box.id = "field-limit-warning";
      box.className = "help-block help-critical";
      box.setAttribute("role", "alert");
      box.tabIndex = -1;
      form.insertBefore(box, form.firstChild);
    }
    box.textContent =
      "This form is too large to save at once (" + count.toLocaleString() + " fields; the most is " +
      limit.toLocaleString() + "). Nothing was sent and nothing you typed is lost: split the form into two " +
      "definitions, or remove unused options, then save again.";
    box.focus();
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-edit-form]")) return;
      var count = postedCount(form);
      if (count > limit) {
        event.preventDefault();
        event.stopImmediatePropagation();
        warn(form, count);
      }
    },
    true
  );
})();
