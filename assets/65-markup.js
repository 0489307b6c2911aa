/* omsorgsatlas – elements of class .oa-html carry their content as escaped markup in data-oa-html (the share
 * toolbars of components/share.py, the key figures of «Befolkning og behov»): one Dash component instead of
 * dozens. The markup is written into the element as soon as it is in the document or its data-oa-html
 * changes - in the MutationObserver's callback, a microtask, so before the next paint: no empty frame, no
 * layout shift. The element has no Dash children to clash with. No inline script (the CSP forbids it). */
(function () {
  "use strict";
  var els = document.getElementsByClassName("oa-html");
  function render() {
    for (var i = 0; i < els.length; i++) {
      var el = els[i], want = el.getAttribute("data-oa-html");
      if (want !== null && el.oaHtml !== want) { el.oaHtml = want; el.innerHTML = want; }
    }
  }
  function start() {
    new MutationObserver(render).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["data-oa-html"] });
    render();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
