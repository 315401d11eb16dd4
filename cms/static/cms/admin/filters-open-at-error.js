// Wagtail 7.4 draws a listing's filters (the sliders button, #filters-drilldown) closed on every page load, so a
// filter filled in wrongly (a mistyped date under When in the audit log) had its error beside the field, out of sight,
// and the reader saw only a list that was empty or whole. Here the drawer opens at the first filter in error, through
// the drilldown's own state (its active-submenu value), as a click on that filter's name would. The value is set once
// the page has loaded, when Wagtail's controllers (the drilldown and its dropdown) have connected.
(() => {
  const open = () => {
    const drawer = document.getElementById("filters-drilldown");
    const error = drawer && drawer.querySelector(".w-drilldown__submenu .w-field--error");
    const submenu = error && error.closest(".w-drilldown__submenu");
    if (submenu && submenu.id) {
      drawer.setAttribute("data-w-drilldown-active-submenu-value", submenu.id);
    }
  };
  if (document.readyState === "complete") {
    open();
  } else {
    window.addEventListener("load", open, { once: true });
  }
})();
