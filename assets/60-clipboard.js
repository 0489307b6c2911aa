/* omsorgsatlas – dcc.Clipboard renders a <div> with a click handler: give the ones styled as buttons
 * (.oa-clipboard) role=button, a tab stop, an accessible name (see below) and Enter/Space activation. */
(function () {
  "use strict";
  function patch() {
    document.querySelectorAll(".oa-clipboard").forEach(function (el) {
      if (el.getAttribute("role") !== "button") { el.setAttribute("role", "button"); }
      if (el.getAttribute("tabindex") !== "0") { el.setAttribute("tabindex", "0"); }
      // the accessible name must contain the visible text (WCAG 2.5.3): the title becomes the name only
      // when it starts with that text («Kopier lenke» -> «Kopier lenke til denne visningen»); otherwise
      // the name is the visible text and the title stays the description («Kopier kode», «Kopiert ✓»)
      var title = el.getAttribute("title");
      var text = (el.textContent || "").replace(/\s+/g, " ").trim();
      var t = (title || "").toLowerCase(), v = text.toLowerCase();
      if (t && v && t.indexOf(v) === 0 && (t.length === v.length || /[\s:,.;–-]/.test(t.charAt(v.length)))) {
        if (el.getAttribute("aria-label") !== title) { el.setAttribute("aria-label", title); }
      } else if (el.hasAttribute("aria-label")) {
        el.removeAttribute("aria-label");
      }
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
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
