// A form with no action posts to the page's own address, fragment and all: a link within the page (an error summary's,
// the skip link) put one there, and the page that comes back, or the one a redirect leads to, keeps it. A page opened
// at a fragment skips autofocus, and once loaded Chromium moves the focus to the fragment's target (a field) or, where
// that takes no focus (<main>), clears it: the new error summary lost the focus it takes as the page opens, and was not
// read out. Such a form posts to the address without its fragment. A script of both the admin (cms/wagtail_hooks.py)
// and the portal (cms/init.js imports it).
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (window.location.hash && form instanceof HTMLFormElement && !form.getAttribute("action")) {
      form.setAttribute("action", window.location.pathname + window.location.search);
    }
  },
  true,
);
