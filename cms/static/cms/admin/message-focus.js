// A message the page was drawn with after an action, done or refused, that left the page it was taken on (a
// co-ordinator's return or accept goes back to the review queue; a second reminder is refused back on the record) sits
// in Wagtail's list of messages, a role="status" region on the page from the start, which screen readers do not
// announce. One marked "portal-takes-focus" (cms.flash_messages.TAKES_FOCUS) takes the focus as the page loads, as
// GOV.UK's success banner does, so it is read out and the keyboard carries on from it; not when something else (an
// error summary, a field's autofocus) already has the focus.
(() => {
  const message = document.querySelector(".messages li.portal-takes-focus");
  if (!message || (document.activeElement && document.activeElement !== document.body)) return;
  message.setAttribute("tabindex", "-1");
  message.focus();
})();
