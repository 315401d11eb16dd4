// Starts GOV.UK Frontend's components. A file rather than an inline script, so that pages kept by the
// page cache need no CSP nonce (script-src 'self' covers it).
import { initAll } from "./dist/govuk-frontend.min.js";
import "./form-fragment.js";

initAll();

// GOV.UK Frontend's file upload hides its input behind a "Choose file" button: an input the page gave focus
// (autofocus, e.g. after its file was removed) hands it to that button, which now carries the field's id and label.
const focusedFileInput = document.querySelector(".govuk-file-upload-wrapper input[autofocus][hidden]");
if (focusedFileInput) focusedFileInput.closest(".govuk-file-upload-wrapper").querySelector(".govuk-file-upload-button")?.focus();

// GOV.UK Frontend marks a radio that controls a conditional reveal aria-expanded, which ARIA does not allow on a
// radio (axe: aria-allowed-attr); aria-controls stays, and the revealed questions follow in reading order.
const dropExpandedFromRadios = () => {
  for (const radio of document.querySelectorAll('input[type="radio"][aria-expanded]')) radio.removeAttribute("aria-expanded");
};
document.addEventListener("change", () => window.setTimeout(dropExpandedFromRadios, 0));
window.addEventListener("pageshow", () => window.setTimeout(dropExpandedFromRadios, 0));
dropExpandedFromRadios();

// A region that scrolls sideways (a table answer in answer_value.html, a help page's table block) is a tab stop so
// the keyboard can scroll it, but one with nothing to scroll would be a stop that does nothing: it is one only while
// its content overflows. Without this script each stays a tab stop. Watched for a change of size, not only of the
// window's: wider text spacing or a larger font widens the table inside an unchanged window.
const scrollRegions = document.querySelectorAll("[data-scroll-region]");
const focusableWhileScrolling = () => {
  for (const region of scrollRegions) {
    if (region.scrollWidth > region.clientWidth) region.setAttribute("tabindex", "0");
    else region.removeAttribute("tabindex");
  }
};
if (scrollRegions.length) {
  focusableWhileScrolling();
  if ("ResizeObserver" in window) {
    const sizes = new ResizeObserver(focusableWhileScrolling);
    for (const region of scrollRegions) {
      sizes.observe(region);
      if (region.firstElementChild) sizes.observe(region.firstElementChild);
    }
  } else {
    window.addEventListener("resize", focusableWhileScrolling);
  }
}

// GOV.UK's error summary scrolls to the legend of the fieldset around the input a link focuses. In a table question
// that is a row's fieldset ("School 1"), which leaves the question's own legend and error message, just above, off
// the top of the screen. A fieldset marked data-error-summary-legend shows its legend instead, where the focused
// input stays in view below it (GOV.UK's own rule for a tall fieldset).
const tableLegend = (input, room) => {
  const legend = input.closest("[data-error-summary-legend]")?.querySelector("legend");
  return legend && input.getBoundingClientRect().bottom - legend.getBoundingClientRect().top < room ? legend : null;
};
document.addEventListener("click", (event) => {
  const link = event.target.closest(".govuk-error-summary a[href^='#']");
  const input = link && event.defaultPrevented ? document.getElementById(link.hash.slice(1)) : null;
  if (input) tableLegend(input, window.innerHeight)?.scrollIntoView();
});

// A page opened at a question's input (check answers' "Change" links end in its id): the browser focuses the input
// (a file question's: GOV.UK's "Choose file" button, which takes its id) and scrolls it to the top of the screen,
// leaving the question that asks it (a radio's legend, a text box's label) off the top, out of sight on a phone.
// The question is shown instead, found as GOV.UK's error summary finds it: a radio's or checkbox's legend, another
// input's legend where both fit in half the screen, else the input's label; a table's own legend. Once the page has
// loaded, so the browser's own scroll is done; not when something else (an error summary) has taken the focus.
// A radio question is opened at its first option; where another is chosen, that one takes the focus: the arrow keys
// move on from it, and a screen reader says the answer given rather than an unchosen "Yes".
const chosenRadio = (input) => {
  if (input?.type !== "radio" || input.checked || input !== document.activeElement) return input;
  const chosen = input.form?.querySelector(`input[type="radio"][name="${CSS.escape(input.name)}"]:checked`);
  chosen?.focus();
  return chosen ?? input;
};
window.addEventListener("load", () => {
  const target = window.location.hash.length > 1 ? document.getElementById(window.location.hash.slice(1)) : null;
  const input = chosenRadio(target);
  const answered = "input, select, textarea, .govuk-file-upload-button";
  if (!input || input !== document.activeElement || !input.matches(answered)) return;
  const legend = input.closest("fieldset")?.querySelector("legend");
  const choice = input.type === "radio" || input.type === "checkbox";
  const span = legend ? input.getBoundingClientRect().bottom - legend.getBoundingClientRect().top : Infinity;
  const question =
    tableLegend(input, window.innerHeight) ??
    (legend && (choice || span < window.innerHeight / 2) ? legend : null) ??
    document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  question?.scrollIntoView();
});

// What a page drawn after an action says happened (a table's row removed), in a sentence that is its own live region
// (data-announce): screen readers announce a change to a live region they already hold, not what one holds as the page
// loads, so it is emptied here and its words written again once the page has settled and focus has been read out.
// Announced once, and still on the page to be read again.
for (const region of document.querySelectorAll("[data-announce]")) {
  const words = region.textContent;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = words;
  }, 500);
}
