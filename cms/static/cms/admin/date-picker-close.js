// Wagtail's date picker (the jQuery xdsoft datetimepicker behind AdminDateInput) opens 100 to 200 ms after its field
// takes focus, and closes only for a Tab typed in the field or a click elsewhere. A keyboard user tabbing through the
// field was left with the picker open over the next fields, and Escape did nothing. Here the picker closes on Escape
// and whenever focus is outside its field and itself, including when it opens after focus has gone.
(function () {
  "use strict";

  var $ = window.jQuery;
  if (!$) {
    return;
  }

  var PICKER = ".xdsoft_datetimepicker";
  // The field whose picker Escape dismissed: an open still pending from its focus must not show it again.
  var dismissed = null;

  function fieldOf(picker) {
    var input = $(picker).data("input");
    return input ? input[0] : null;
  }

  function holdsFocus(picker, element) {
    return !!element && (element === fieldOf(picker) || picker.contains(element));
  }

  function close(picker) {
    $(picker).trigger("close.xdsoft");
  }

  function openPickers() {
    return $(PICKER + ":visible").get();
  }

  // An open event bubbles from the picker once it is shown; one shown after its field lost focus, or after Escape,
  // is closed at once, before the browser draws it.
  $(document).on("open.xdsoft", PICKER, function () {
    var active = document.activeElement;
    if (!holdsFocus(this, active) || (dismissed && dismissed === fieldOf(this))) {
      close(this);
    }
  });

  // The picker keeps focus in its field while it is clicked (it cancels the mousedown), so focus leaving the field
  // for anything but the picker itself means the person has moved on.
  document.addEventListener("focusout", function (event) {
    openPickers().forEach(function (picker) {
      if (holdsFocus(picker, event.target) && !holdsFocus(picker, event.relatedTarget)) {
        close(picker);
      }
    });
  });

  // A new focus or click on a field is a new request to see its picker.
  ["focusin", "mousedown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function () {
      dismissed = null;
    }, true);
  });

  // Captured before anything else hears it: Escape that closes a picker closes only the picker, not a dialog the
  // field sits in.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    dismissed = document.activeElement;
    var pickers = openPickers();
    if (pickers.length) {
      pickers.forEach(close);
      event.stopPropagation();
    }
  }, true);
})();
