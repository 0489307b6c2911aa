/* omsorgsatlas – share toolbar (components/share.py; its markup is written by 65-markup.js): fills the
 * permalink, the iframe snippet and the export links from the address bar (every page keeps its view in the
 * URL) right before they are used, so they always match the view on screen, and copies with the toolbar's
 * buttons ([data-oa-copy]). No inline script (the CSP forbids it). */
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
    var url = loc.origin + loc.pathname + loc.search + "#" + (d.oaAnchor || "");
    // only when it changed: a write is a DOM mutation, which would schedule the next fill (a loop)
    if (link && link.textContent !== url) { link.textContent = url; }
    var q = params(keys), qs = q.toString();
    var embed = bar.querySelector(".oa-share-embed");
    if (embed) {
      var src = loc.origin + base + "embed/" + d.oaChart + (qs ? "?" + qs : "");
      var snippet = '<iframe src="' + esc(src) + '" title="' + esc(d.oaTitle) + ' – Omsorgsatlas" width="100%" height="'
        + esc(d.oaHeight || "520") + '" style="border:0" loading="lazy"></iframe>';
      if (embed.value !== snippet) { embed.value = snippet; }
    }
    bar.querySelectorAll("a[data-oa-export]").forEach(function (a) {
      var spec = a.getAttribute("data-oa-export"), i = spec.indexOf("?");
      var path = i < 0 ? spec : spec.slice(0, i);
      var own = new URLSearchParams(i < 0 ? "" : spec.slice(i + 1));
      var all = new URLSearchParams(q.toString());
      own.forEach(function (v, k) { all.set(k, v); });
      var s = all.toString();
      var href = base + "eksport/" + path + (s ? "?" + s : "");
      if (a.getAttribute("href") !== href) { a.setAttribute("href", href); }
    });
  }
  // «Kopier lenke» / «Kopier kode»: the target's text (the link span, the snippet's textarea) to the clipboard
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.className = "visually-hidden";
      document.body.appendChild(ta); ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  function onCopy(ev) {
    var btn = ev.target && ev.target.closest ? ev.target.closest("button[data-oa-copy]") : null;
    var bar = btn ? btn.closest(".oa-share") : null;
    if (!bar) { return; }
    fill(bar);
    var target = document.getElementById(btn.getAttribute("data-oa-copy"));
    if (!target) { return; }
    var text = target.value !== undefined && target.tagName === "TEXTAREA" ? target.value : target.textContent;
    copyText(text || "").then(function () {
      if (btn.oaTimer) { window.clearTimeout(btn.oaTimer); } else { btn.oaText = btn.textContent; }
      btn.oaLabel = btn.oaLabel !== undefined ? btn.oaLabel : btn.getAttribute("aria-label");
      btn.removeAttribute("aria-label");  // the name follows the visible «Kopiert ✓» meanwhile
      btn.textContent = btn.getAttribute("data-oa-copied") || btn.oaText;
      btn.oaTimer = window.setTimeout(function () {
        btn.oaTimer = null;
        btn.textContent = btn.oaText;
        if (btn.oaLabel) { btn.setAttribute("aria-label", btn.oaLabel); }
      }, 1500);
    }, function () { /* no clipboard access: the text stays selectable in the panel */ });
  }
  document.addEventListener("click", onCopy);
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
