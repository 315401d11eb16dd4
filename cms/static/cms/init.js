// Starts GOV.UK Frontend's components. A file rather than an inline script, so that pages kept by the
// page cache need no CSP nonce (script-src 'self' covers it).
import { initAll } from "./dist/govuk-frontend.min.js";

initAll();

// GOV.UK Frontend marks a radio that controls a conditional reveal aria-expanded, which ARIA does not allow on a
// radio (axe: aria-allowed-attr); aria-controls stays, and the revealed questions follow in reading order.
const dropExpandedFromRadios = () => {
  for (const radio of document.querySelectorAll('input[type="radio"][aria-expanded]')) radio.removeAttribute("aria-expanded");
};
document.addEventListener("change", () => window.setTimeout(dropExpandedFromRadios, 0));
window.addEventListener("pageshow", () => window.setTimeout(dropExpandedFromRadios, 0));
dropExpandedFromRadios();
