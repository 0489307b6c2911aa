/* omsorgsatlas – share toolbar (components/share.py): fills the permalink, the iframe snippet and the export
 * links of a .oa-share toolbar from the address bar (every page keeps its view in the URL) right before
 * they are used, so they always match the view on screen. No inline script (the CSP forbids it). */
(function () {
  "use strict";
  function esc(s) {
    return String(s || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function params(keys) {
    var page = new URLSearchParams(window.location.search), q = new URLSearchParams();
    keys.forEach(function (k) { page.getAll(k).forEach(function (v) { if (v !== "") { q.append(k, v); } }); });
    if (page.get("lang")) { q.set("lang", page.get("lang")); }
    return q;
  }
  function fill(bar) {
    var loc = window.location, d = bar.dataset;
    var keys = (d.oaParams || "").split(",").filter(Boolean);
    var base = d.oaBase || "/";
    var link = bar.querySelector(".oa-share-link");
    if (link) { link.textContent = loc.origin + loc.pathname + loc.search + "#" + (d.oaAnchor || ""); }
    var q = params(keys), qs = q.toString();
    var embed = bar.querySelector(".oa-share-embed");
    if (embed) {
      var src = loc.origin + base + "embed/" + d.oaChart + (qs ? "?" + qs : "");
      embed.value = '<iframe src="' + esc(src) + '" title="' + esc(d.oaTitle) + ' – Omsorgsatlas" width="100%" height="'
        + esc(d.oaHeight || "520") + '" style="border:0" loading="lazy"></iframe>';
    }
    bar.querySelectorAll("a[data-oa-export]").forEach(function (a) {
      var spec = a.getAttribute("data-oa-export"), i = spec.indexOf("?");
      var path = i < 0 ? spec : spec.slice(0, i);
      var own = new URLSearchParams(i < 0 ? "" : spec.slice(i + 1));
      var all = new URLSearchParams(q.toString());
      own.forEach(function (v, k) { all.set(k, v); });
      var s = all.toString();
      a.setAttribute("href", base + "eksport/" + path + (s ? "?" + s : ""));
    });
  }
  function onUse(ev) {
    var el = ev.target;
    var bar = el && el.closest ? el.closest(".oa-share") : null;
    if (bar) { fill(bar); }
  }
  ["pointerdown", "focusin", "click", "keydown", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, onUse, true);
  });
  document.addEventListener("toggle", onUse, true);  // a <details> opened
  // Escape in an open «Bygg inn» / «Last ned» panel closes it and gives the focus back to its summary
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || !ev.target || !ev.target.closest) { return; }
    var open = ev.target.closest(".oa-share-details[open]");
    if (!open) { return; }
    open.open = false;
    var summary = open.querySelector("summary");
    if (summary) { summary.focus(); }
    ev.stopPropagation();
  });
  // keep them right for middle-click / "copy link address" and for tests reading the attributes
  var scheduled = false;
  function fillAll() {
    scheduled = false;
    document.querySelectorAll(".oa-share").forEach(fill);
  }
  function schedule() {
    if (!scheduled) { scheduled = true; window.setTimeout(fillAll, 250); }
  }
  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
