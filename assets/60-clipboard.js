/* omsorgsatlas – dcc.Clipboard renders a <div> with a click handler: give the ones styled as buttons
 * (.oa-clipboard) role=button, a tab stop, the title as accessible name and Enter/Space activation. */
(function () {
  "use strict";
  function patch() {
    document.querySelectorAll(".oa-clipboard").forEach(function (el) {
      if (el.getAttribute("role") !== "button") { el.setAttribute("role", "button"); }
      if (el.getAttribute("tabindex") !== "0") { el.setAttribute("tabindex", "0"); }
      var title = el.getAttribute("title");
      if (title && el.getAttribute("aria-label") !== title) { el.setAttribute("aria-label", title); }
    });
  }
  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (!el || !el.classList || !el.classList.contains("oa-clipboard")) { return; }
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); el.click(); }
  });
  var scheduled = false;
  function schedule() {
    if (!scheduled) { scheduled = true; window.requestAnimationFrame(function () { scheduled = false; patch(); }); }
  }
  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
