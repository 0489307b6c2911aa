/* omsorgsatlas – accessibility patches for Dash 4 core components (WCAG 2.1 AA).
 *
 * dcc.Dropdown renders a <button id=...> whose aria-labelledby points only at the current value, so
 * the visible <label for=...> is dropped from its accessible name, and a focus "trampoline" <input>
 * with tabindex=0 and aria-hidden=true (axe: aria-hidden-focus). dcc.Slider's thumb (role=slider)
 * has no accessible name. This script fixes the names/attributes after every render; it never changes
 * behaviour (focus handling, keyboard) of the components.
 */
(function () {
  "use strict";

  function labelIdFor(id) {
    if (!id) { return null; }
    var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = id + "-label"; }
    return label.id;
  }

  function patchDropdowns(root) {
    root.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
      var labelId = labelIdFor(button.id);
      if (!labelId) { return; }
      var wanted = labelId + " " + button.id + "-value";
      if (button.getAttribute("aria-labelledby") !== wanted) { button.setAttribute("aria-labelledby", wanted); }
      // its popup is a dialog (search box + list), see patchPopovers
      if (button.getAttribute("aria-haspopup") !== "dialog") { button.setAttribute("aria-haspopup", "dialog"); }
      var wrapper = button.closest(".dash-dropdown-wrapper") || button.parentElement;
      var trampoline = wrapper && wrapper.querySelector("input.dash-dropdown-focus-target");
      if (trampoline) {
        if (trampoline.hasAttribute("aria-hidden")) { trampoline.removeAttribute("aria-hidden"); }
        if (trampoline.getAttribute("aria-labelledby") !== wanted) { trampoline.setAttribute("aria-labelledby", wanted); }
      }
    });
  }

  function patchSliders(root) {
    root.querySelectorAll(".dash-slider-container[id]").forEach(function (container) {
      var labelId = labelIdFor(container.id);
      container.querySelectorAll('[role="slider"]').forEach(function (thumb) {
        if (labelId && thumb.getAttribute("aria-labelledby") !== labelId) { thumb.setAttribute("aria-labelledby", labelId); }
      });
    });
  }

  /* The open popover (Radix Popover inside .dash-dropdown-wrapper) is a role=dialog without a name, and its
   * list is a role=listbox of <label role=option> elements that each wrap a focusable radio/checkbox input
   * (axe: aria-dialog-name, aria-input-field-name, nested-interactive). Dash moves the keyboard focus onto
   * those inputs (arrow keys, Tab; Enter/Space choose), so what a screen reader really meets is a group of
   * native radio buttons (checkboxes for multi=True). Say exactly that: the list becomes a named
   * radiogroup/group, the labels lose the option role (the inputs keep their label and checked state), and
   * the trigger announces a dialog. */
  function patchPopovers(root) {
    root.querySelectorAll(".dash-dropdown-content").forEach(function (popover) {
      var wrapper = popover.closest(".dash-dropdown-wrapper");
      var button = wrapper && wrapper.querySelector("button.dash-dropdown[id]");
      var labelId = button && labelIdFor(button.id);
      if (labelId && popover.getAttribute("aria-labelledby") !== labelId) { popover.setAttribute("aria-labelledby", labelId); }
      var search = popover.querySelector("input.dash-dropdown-search");
      if (search && labelId && search.getAttribute("aria-labelledby") !== labelId) { search.setAttribute("aria-labelledby", labelId); }
      popover.querySelectorAll('.dash-options-list[role="listbox"]').forEach(function (list) {
        // multi=True shows «Select all»; (a hidden width-sizer option is always a checkbox, so not that)
        var multi = !!popover.querySelector(".dash-dropdown-actions");
        list.setAttribute("role", multi ? "group" : "radiogroup");
      });
      popover.querySelectorAll(".dash-options-list").forEach(function (list) {
        if (labelId && list.getAttribute("aria-labelledby") !== labelId) { list.setAttribute("aria-labelledby", labelId); }
      });
      // the long (virtualised) list keeps a hidden width-sizer copy of one option: out of the tab order
      popover.querySelectorAll('[aria-hidden] input.dash-options-list-option-checkbox').forEach(function (input) {
        if (input.getAttribute("tabindex") !== "-1") { input.setAttribute("tabindex", "-1"); }
      });
      popover.querySelectorAll('.dash-options-list-option[role="option"], .dash-options-list-option[aria-selected]').forEach(function (opt) {
        opt.removeAttribute("role");
        opt.removeAttribute("aria-selected");
      });
    });
  }

  /* plotly's hover label takes the trace colour as background and picks black or white text by a
   * brightness threshold, which gives less than 4.5:1 on several of the Okabe–Ito colours (e.g. white on
   * #D55E00 3.9:1, on #009E73 3.4:1). Make every label white with dark text (16:1) and keep the trace
   * colour as its border, so the label still points at its line/bar. Figures that set a white hover label
   * themselves (map) are left alone. Re-applied whenever plotly redraws the label. */
  var WHITE = /^(#fff(fff)?|rgb\(255, 255, 255\))$/i;
  function patchHoverLabels(root) {
    root.querySelectorAll(".js-plotly-plot .hoverlayer g.hovertext").forEach(function (label) {
      var box = label.querySelector("path");
      if (!box) { return; }
      var fill = box.style.fill;
      if (fill && !WHITE.test(fill)) {
        box.style.stroke = fill;
        box.style.strokeWidth = "2px";
        box.style.fill = "#ffffff";
      }
      label.querySelectorAll("text").forEach(function (t) {
        if (t.style.fill !== "rgb(26, 26, 26)") { t.style.fill = "#1a1a1a"; }
      });
    });
  }

  /* dcc.Dropdown's own texts are English by default; the shell carries them translated in the data-
   * attributes of #oa-widget-texts (components/a11y.py). Attributes are set directly; the visible texts
   * (multi select buttons, «No options found») only through their existing text node, never replacing
   * React's nodes. */
  var DASH_DEFAULTS = { "Search": "search", "Clear search": "clearSearch", "Clear selection": "clearSelection",
                        "Select All": "selectAll", "Deselect All": "deselectAll", "No options found": "noOptions" };
  function widgetTexts() {
    var el = document.getElementById("oa-widget-texts");
    return el ? el.dataset : null;
  }
  function translated(texts, value) {
    var key = DASH_DEFAULTS[value];
    return key && texts[key] ? texts[key] : null;
  }
  function setAttr(el, name, texts) {
    var t = translated(texts, el.getAttribute(name));
    if (t) { el.setAttribute(name, t); }
  }
  function patchDropdownTexts(root) {
    var texts = widgetTexts();
    if (!texts) { return; }
    root.querySelectorAll(".dash-dropdown-wrapper input.dash-dropdown-search[placeholder]").forEach(function (el) {
      setAttr(el, "placeholder", texts);
    });
    root.querySelectorAll(".dash-dropdown-wrapper .dash-dropdown-clear").forEach(function (el) {
      setAttr(el, "aria-label", texts);
      setAttr(el, "title", texts);
    });
    root.querySelectorAll(".dash-dropdown-wrapper .dash-dropdown-action-button, .dash-dropdown-wrapper .dash-dropdown-options > span.dash-dropdown-option").forEach(function (el) {
      el.childNodes.forEach(function (n) {
        if (n.nodeType === 3) {
          var t = translated(texts, n.nodeValue.trim());
          if (t) { n.nodeValue = t; }
        }
      });
    });
  }

  /* plotly's modebar button names and tooltips are English; mark them as such (WCAG 3.1.2) so a
   * screen reader on a Norwegian page reads them with an English voice. */
  function patchModebars(root) {
    if ((document.documentElement.lang || "").slice(0, 2) === "en") { return; }
    root.querySelectorAll(".js-plotly-plot .modebar-container:not([lang])").forEach(function (m) {
      m.setAttribute("lang", "en");
    });
  }

  var scheduled = false;
  function patchAll() {
    scheduled = false;
    patchDropdowns(document);
    patchSliders(document);
    patchPopovers(document);
    patchHoverLabels(document);
    patchDropdownTexts(document);
    patchModebars(document);
  }
  function schedule() {
    if (!scheduled) { scheduled = true; window.requestAnimationFrame(patchAll); }
  }

  /* The skip link moves the focus to <main> without changing the URL's #hash: a hash change makes
   * dcc.Location re-read the address, and as the pages keep their query string up to date with
   * history.replaceState, Dash's page router then sees a "new" query string and rebuilds the whole page
   * (every chart recomputed, the focus lost to <body>). Without this script the plain href="#main" works. */
  document.addEventListener("click", function (ev) {
    var link = ev.target && ev.target.closest ? ev.target.closest("a.skip-link") : null;
    var main = link && document.getElementById((link.getAttribute("href") || "").slice(1));
    if (!main) { return; }
    ev.preventDefault();
    if (!main.hasAttribute("tabindex")) { main.setAttribute("tabindex", "-1"); }
    main.focus({ preventScroll: true });
    main.scrollIntoView({ block: "start", behavior: "instant" });
  });

  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["aria-labelledby", "aria-hidden", "role", "aria-selected", "aria-haspopup", "placeholder"] });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
