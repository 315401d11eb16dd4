// A list of problems in the admin (Wagtail's messages, the error summary) links to each problem's field by its id, as
// GOV.UK's error summary does. In the form definition editor that field is mostly inside a section and a question
// that Wagtail draws collapsed (hidden="until-found"): the browser opened them, but only after it had scrolled to
// where the field was not yet drawn, so the page stayed where it was and the link seemed to lead nowhere. Here each
// closed panel around the field is opened first, as a search of the page opens it (Wagtail's own "beforematch"
// handler, which also marks its toggle expanded), then the field is scrolled to the middle of the screen and focused.
(() => {
  const LINKS = ".messages a[href^='#'], .portal-error-summary a[href^='#']";

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest(LINKS);
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    const closed = [];
    for (let node = field.parentElement; node; node = node.parentElement) {
      if (node.hidden) closed.unshift(node);
    }
    if (!closed.length) return; // in sight already: the browser's own jump does
    closed.forEach((node) => node.dispatchEvent(new Event("beforematch")));
    if (!field.getClientRects().length) return; // still closed (no panel of Wagtail's): left to the browser
    event.preventDefault();
    field.scrollIntoView({ block: "center", behavior: "instant" });
    field.focus({ preventScroll: true });
  });
})();
