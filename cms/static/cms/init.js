// Starts GOV.UK Frontend's components. A file rather than an inline script, so that pages kept by the
// page cache need no CSP nonce (script-src 'self' covers it).
import { initAll } from "./dist/govuk-frontend.min.js";

initAll();
