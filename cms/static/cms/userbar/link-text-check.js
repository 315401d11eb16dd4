// The content checker's test of link text (cms.wagtail_hooks.GuidanceContentCheckerItem): a link whose whole text is
// one of the words it is given ("click here", "read more") says nothing of where it goes. Registered with the
// userbar's checker before it starts (on the page's load event), in the page and in the editor's preview, where
// the editor's Checks panel reads its results.
(function () {
  "use strict";

  function words(text) {
    return text.replace(/\s+/g, " ").trim().toLowerCase().replace(/[.:;,!?…]+$/, "");
  }

  var userbar = window.wagtail && window.wagtail.userbar;
  if (!userbar || typeof userbar.registerCheck !== "function") {
    return;
  }
  userbar.registerCheck("check-link-text-says-where", function (node, options) {
    var vague = (options && options.words) || [];
    return vague.indexOf(words(node.textContent || "")) === -1;
  });
})();
