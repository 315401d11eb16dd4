// Loaded (not inline) at the top of <body>, so pages kept by the page cache need no CSP nonce.
// GOV.UK Frontend styles and initialises its components only when <body> has these classes.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
