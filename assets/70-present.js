/* omsorgsatlas – presentation mode, page-level «Kopier lenke», «Utvalg: …» summary and print sizing.
 *
 * Presentation mode (wall screens): <html class="oa-present"> (app.py sets it for ?presentasjon=1 or the
 * alias ?storskjerm=1; the navbar toggle switches it without a reload through the clientside callback
 * dash_clientside.oa.togglePresent, callbacks/present.py). assets/70-present.css hides the controls and
 * enlarges the type; this script enlarges the Plotly text (every font size of each figure's layout,
 * ×FONT_SCALE) after every draw while the mode is on, and restores the figure when it ends. Escape ends it.
 *
 * URL: window.oaUrl.write(params, path) ends the pages' URL-sync callbacks (they rebuild the query string
 * from their controls): it keeps ?lang=, writes ?presentasjon=1 while the mode is on, and updates the address bar.
 *
 * Print (assets/80-print.css, A4 landscape): before printing, every Plotly SVG gets a viewBox and its
 * aspect ratio, so the print stylesheet can scale the chart down to the page width instead of cutting it;
 * the «Utvalg: …» line, the page's address and the print date are filled in. Undone after printing.
 *
 * Texts come from data- attributes rendered (and translated) by components/shell.py.
 */
(function () {
  "use strict";

  var CLS = "oa-present", PARAM = "presentasjon", ALIASES = ["storskjerm"], KEEP = ["lang"];
  var FONT_SCALE = 1.35, HEIGHT_SCALE = 1.15, DEFAULT_FONT = 12;
  var root = document.documentElement;

  function isOn() { return root.classList.contains(CLS); }
  function byId(id) { return document.getElementById(id); }

  // ------------------------------------------------------------------------------------------------ URL
  function keep(p) {
    var cur = new URLSearchParams(window.location.search);
    KEEP.forEach(function (k) { if (cur.get(k) && !p.has(k)) { p.set(k, cur.get(k)); } });
    ALIASES.forEach(function (k) { p.delete(k); });
    if (isOn()) { p.set(PARAM, "1"); } else { p.delete(PARAM); }
    return p;
  }

  /* The query string `p` with ?lang= kept and ?presentasjon=1 written, put in the address bar with
   * history.replaceState (no navigation, no popstate: the pages router does not re-render the page) while the
   * page at `path` (its last part, so a path prefix does not matter; none: any page) is shown. Returns the
   * query string ("" when empty). The common end of every page's URL-sync callback. */
  function write(p, path) {
    keep(p);
    var s = p.toString(), qs = s ? "?" + s : "";
    var here = window.location.pathname.replace(/\/$/, "");
    var onPage = !path || here.slice(-path.length) === path;
    if (onPage && window.location.search !== qs) {
      window.history.replaceState(window.history.state, "", window.location.pathname + qs + window.location.hash);
    }
    return qs;
  }

  function writeUrl() { write(new URLSearchParams(window.location.search)); }

  window.oaUrl = { keep: keep, write: write, param: PARAM };

  // ------------------------------------------------------------------------------------- Plotly text size
  var scaledLayouts = new WeakMap();  // our scaled copy of a layout -> the layout it was made from

  function graphs() {
    return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
  }

  function copy(v) {
    if (Array.isArray(v)) { return v.map(copy); }
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = copy(v[k]); });
      return out;
    }
    return v;
  }

  // every {size: n} under a key ending in "font" (font, tickfont, textfont, title.font, annotations[i].font …)
  function scaleFonts(obj, depth) {
    if (!obj || typeof obj !== "object" || depth > 8) { return; }
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (!v || typeof v !== "object") { return; }
      if (/font$/i.test(k) && !Array.isArray(v) && typeof v.size === "number") {
        v.size = Math.round(v.size * FONT_SCALE * 10) / 10;
      }
      if (k !== "template") { scaleFonts(v, depth + 1); }
    });
  }

  function scaledLayout(gd) {
    var base = gd.layout || {};
    var lay = copy(base);
    var full = gd._fullLayout || {};
    var fontSize = (base.font && typeof base.font.size === "number") ? base.font.size
      : ((full.font && full.font.size) || DEFAULT_FONT);
    scaleFonts(lay, 0);
    lay.font = lay.font || {};
    lay.font.size = Math.round(fontSize * FONT_SCALE * 10) / 10;
    if (typeof base.height === "number") { lay.height = Math.round(base.height * HEIGHT_SCALE); }
    return lay;
  }

  function hasPlotted(gd) {
    return gd && gd._fullLayout && window.Plotly && gd.offsetParent !== null;
  }

  function enlarge(gd) {
    if (!isOn() || !hasPlotted(gd) || scaledLayouts.has(gd.layout) || gd._oaBusy) { return; }
    var before = gd.layout, lay = scaledLayout(gd);
    scaledLayouts.set(lay, before);
    gd._oaBusy = true;
    Promise.resolve(window.Plotly.react(gd, gd.data, lay)).catch(function () {}).then(function () {
      gd._oaBusy = false;
      gd.setAttribute("data-oa-font", String(lay.font.size));
    });
  }

  function restore(gd) {
    if (!gd.layout || !scaledLayouts.has(gd.layout) || !window.Plotly) { return; }
    var before = scaledLayouts.get(gd.layout);
    scaledLayouts.delete(gd.layout);
    gd.removeAttribute("data-oa-font");
    Promise.resolve(window.Plotly.react(gd, gd.data, before)).catch(function () {});
  }

  function hook(gd) {
    if (gd._oaHooked || typeof gd.on !== "function") { return; }
    gd._oaHooked = true;
    // Dash's dcc.Graph draws a new figure with Plotly.react (a new layout object): enlarge that one too.
    gd.on("plotly_afterplot", function () {
      if (isOn() && !gd._oaBusy && !scaledLayouts.has(gd.layout)) {
        window.setTimeout(function () { enlarge(gd); }, 0);
      }
    });
  }

  function applyFonts() {
    graphs().forEach(function (gd) {
      hook(gd);
      if (isOn()) { enlarge(gd); } else { restore(gd); }
    });
  }

  function resizeGraphs() {
    if (!window.Plotly) { return; }
    graphs().forEach(function (gd) {
      if (hasPlotted(gd)) { Promise.resolve(window.Plotly.Plots.resize(gd)).catch(function () {}); }
    });
  }

  // ------------------------------------------------------------------------------- «Utvalg: …» summary
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  function labelFor(id) {
    if (!id) { return ""; }
    var l = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    return text(l).replace(/:$/, "");
  }

  function selectionParts() {
    var parts = [], seen = {};
    function add(label, value) {
      value = (value || "").trim();
      if (!value) { return; }
      var key = label + "|" + value;
      if (seen[key]) { return; }
      seen[key] = true;
      parts.push(label ? label + ": " + value : value);
    }
    document.querySelectorAll("main .oa-controls").forEach(function (el) {
      var box = { querySelectorAll: function (sel) {  // the box itself may be the control (a search field)
        var list = Array.prototype.slice.call(el.querySelectorAll(sel));
        return el.matches(sel) ? [el].concat(list) : list;
      } };
      box.querySelectorAll("button.dash-dropdown[id]").forEach(function (b) {
        var v = byId(b.id + "-value");
        if (b.disabled || !v || v.classList.contains("dash-dropdown-placeholder")) { return; }
        add(labelFor(b.id), text(v));
      });
      box.querySelectorAll("input[type=radio]:checked").forEach(function (r) {
        var fs = r.closest("fieldset"), legend = fs && fs.querySelector("legend");
        var lab = r.id ? document.querySelector('label[for="' + CSS.escape(r.id) + '"]') : null;
        add(text(legend), text(lab || r.parentElement));
      });
      box.querySelectorAll("input[type=checkbox]:checked").forEach(function (c) {
        var lab = c.id ? document.querySelector('label[for="' + CSS.escape(c.id) + '"]') : null;
        add("", text(lab || c.parentElement));
      });
      box.querySelectorAll('[role="slider"]').forEach(function (s) {
        var container = s.closest(".dash-slider-container[id]") || s.closest("[id]");
        add(labelFor(container && container.id), s.getAttribute("aria-valuetext") || s.getAttribute("aria-valuenow"));
      });
      box.querySelectorAll("input[type=search], input[type=text]").forEach(function (i) {
        if (i.closest(".dash-dropdown-wrapper, .dash-dropdown-content") || !i.value) { return; }
        add(labelFor(i.id), "«" + i.value + "»");
      });
    });
    return parts;
  }

  function updateSelection() {
    var tools = document.querySelector(".oa-page-tools");
    var h1 = document.querySelector("main h1");
    var el = byId("oa-selection");
    var parts = selectionParts();
    if (!h1 || !parts.length) { if (el) { el.remove(); } return; }
    if (!el || el.previousElementSibling !== h1) {
      if (el) { el.remove(); }
      el = document.createElement("p");
      el.id = "oa-selection";
      el.className = "oa-selection";
      h1.insertAdjacentElement("afterend", el);
    }
    var label = (tools && tools.getAttribute("data-selection-label")) || "Utvalg:";
    var t = label + " " + parts.join(" · ");
    if (el.textContent !== t) { el.textContent = t; }
  }

  // ------------------------------------------------------------------------------ the toggle (Dash side)
  var lastClicks = null;

  function setStatus(id, msg) {
    var el = byId(id);
    if (el && el.textContent !== msg) { el.textContent = msg; }
  }

  function afterModeChange() {
    updateSelection();
    applyFonts();
    window.requestAnimationFrame(function () { window.setTimeout(resizeGraphs, 50); });
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.oa = Object.assign(window.dash_clientside.oa || {}, {
    togglePresent: function (nClicks, pathname) {
      var nu = window.dash_clientside.no_update;
      var ctx = window.dash_clientside.callback_context || {};
      var clicked = (ctx.triggered || []).some(function (t) { return t && t.prop_id === "present-toggle.n_clicks"; })
        && nClicks && nClicks !== lastClicks;
      lastClicks = nClicks;
      var status = nu;
      var btn = byId("present-toggle"), d = (btn && btn.dataset) || {};
      if (clicked) {
        root.classList.toggle(CLS, !isOn());
        status = (isOn() ? d.statusOn : d.statusOff) || "";
      }
      var on = isOn();
      writeUrl();
      afterModeChange();
      return [on, on ? "true" : "false", (on ? d.titleOn : d.titleOff) || nu, status];
    }
  });

  // Escape leaves presentation mode (not while a dialog or an open dropdown has it)
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || ev.defaultPrevented || !isOn()) { return; }
    if (document.querySelector(".modal.show, .dash-dropdown-content")) { return; }
    var btn = byId("present-toggle");
    if (btn) { btn.click(); btn.focus(); }
  });

  // ----------------------------------------------------------------------------------- «Kopier lenke»
  function copyText(value) {
    function fallback() {
      var ta = document.createElement("textarea");
      ta.value = value;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.left = "-9999px";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      return ok;
    }
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value).then(function () { return true; }, fallback);
    }
    return Promise.resolve(fallback());
  }

  var statusTimer = null;
  document.addEventListener("click", function (ev) {
    var btn = ev.target && ev.target.closest && ev.target.closest("#copy-page-link");
    if (!btn) { return; }
    var url = window.location.href;
    btn.setAttribute("data-copied-url", url);
    copyText(url).then(function (ok) {
      setStatus("copy-page-link-status", "");
      window.setTimeout(function () {  // a new text, so screen readers announce it again
        setStatus("copy-page-link-status", ok ? (btn.dataset.done || "") : (btn.dataset.failed || ""));
      }, 50);
      window.clearTimeout(statusTimer);
      statusTimer = window.setTimeout(function () { setStatus("copy-page-link-status", ""); }, 6000);
    });
  });

  // ------------------------------------------------------------------------------------------ printing
  var printing = false;

  function beforePrint() {
    if (printing) { return; }
    printing = true;
    updateSelection();
    var url = byId("print-url"), date = byId("print-date");
    if (url) { url.textContent = (url.getAttribute("data-label") || "") + " " + window.location.href; }
    if (date) {
      var lang = root.getAttribute("lang") === "en" ? "en-GB" : "nb-NO";
      date.textContent = (date.getAttribute("data-label") || "") + " " +
        new Date().toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
    }
    document.querySelectorAll(".js-plotly-plot .svg-container").forEach(function (c) {
      var w = c.offsetWidth, h = c.offsetHeight;
      if (!w || !h) { return; }
      c.style.setProperty("--oa-print-w", w + "px");
      c.style.setProperty("--oa-print-ar", w + " / " + h);
      c.querySelectorAll("svg.main-svg").forEach(function (svg) {
        var sw = parseFloat(svg.getAttribute("width")) || w, sh = parseFloat(svg.getAttribute("height")) || h;
        svg.setAttribute("viewBox", "0 0 " + sw + " " + sh);
        svg.setAttribute("data-oa-print", "1");
      });
      c.classList.add("oa-print-scaled");
    });
  }

  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    document.querySelectorAll("svg.main-svg[data-oa-print]").forEach(function (svg) {
      svg.removeAttribute("viewBox");
      svg.removeAttribute("data-oa-print");
    });
    document.querySelectorAll(".oa-print-scaled").forEach(function (c) {
      c.classList.remove("oa-print-scaled");
      c.style.removeProperty("--oa-print-w");
      c.style.removeProperty("--oa-print-ar");
    });
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {  // also when print media is emulated (DevTools) without a print dialog
    var mq = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { beforePrint(); } else { afterPrint(); } };
    if (mq.addEventListener) { mq.addEventListener("change", onChange); } else if (mq.addListener) { mq.addListener(onChange); }
  }
  window.oaPrint = { before: beforePrint, after: afterPrint };

  // ---------------------------------------------------------------- keep up with Dash's re-renders
  var scheduled = false;
  function tick() {
    scheduled = false;
    graphs().forEach(hook);
    if (isOn()) { applyFonts(); updateSelection(); }
  }
  function schedule() {
    if (!scheduled) { scheduled = true; window.setTimeout(tick, 150); }
  }
  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
