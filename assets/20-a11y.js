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

  var scheduled = false;
  function patchAll() {
    scheduled = false;
    patchDropdowns(document);
    patchSliders(document);
  }
  function schedule() {
    if (!scheduled) { scheduled = true; window.requestAnimationFrame(patchAll); }
  }

  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["aria-labelledby", "aria-hidden", "role"] });
    schedule();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
