/* omsorgsatlas – HtmlBlock (components/htmlblock.py): pre-rendered, escaped HTML (long tables) as one Dash
 * component, so Dash's renderer tracks one component instead of hundreds. Dash's renderer finds it at
 * window.omsorgsatlas.HtmlBlock (assets load before the renderer starts).
 *
 *  - without `target`: renders <div id class style role tabIndex aria-* data-*> and writes `data` into it;
 *  - with `target`: renders nothing and writes `data` into the element with that id (html_block's div, whose
 *    own props callbacks may still set).
 * The markup is written before the browser paints (a layout effect), so it shifts nothing. A block inside a
 * closed <details> (the tables behind «Vis tabell») is written when the <details> is opened. Links marked
 * data-app-link navigate inside the app as dcc.Link does: history.pushState + Dash's location event (a
 * modified click, another button or another target keeps the browser's own behaviour). */
(function () {
  "use strict";
  var React = window.React;

  /* the menu (components/shell.py navbar): the current page's link is active, aria-current="page" */
  function markNav() {
    document.querySelectorAll("#main-nav a.nav-link[data-app-link]").forEach(function (a) {
      var on = new URL(a.href, window.location.href).pathname === window.location.pathname;
      a.classList.toggle("active", on);
      if (on) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
  }
  window.addEventListener("popstate", markNav);
  window.addEventListener("_dashprivate_pushstate", markNav);

  function write(el) {
    el.removeAttribute("data-oa-lazy");
    if (el.oaHtml !== el.oaWant) {
      el.oaHtml = el.oaWant;
      el.innerHTML = el.oaWant;
      if (el.id === "main-nav") { markNav(); }
    }
  }

  function openDetails() {
    if (this.open) { this.querySelectorAll("[data-oa-lazy]").forEach(write); }
  }

  function place(el, html) {
    el.oaWant = html;
    var closed = el.parentElement && el.parentElement.closest("details:not([open])");
    if (closed) {  // written when it is opened
      if (!closed.oaLazy) { closed.oaLazy = true; closed.addEventListener("toggle", openDetails); }
      el.setAttribute("data-oa-lazy", "");
      return;
    }
    write(el);
  }

  function HtmlBlock(props) {
    var ref = React.useRef(null);
    var html = props.data || "", target = props.target;
    var attributes = props.attributes;
    React.useLayoutEffect(function () {
      if (!target) {
        var el = ref.current;
        if (!el) { return undefined; }
        if (attributes) {  // compact(): the root element's own attributes (React does not manage them)
          Object.keys(attributes).forEach(function (k) {
            el.setAttribute(k, attributes[k] === null ? "" : attributes[k]);
          });
        }
        place(el, html);
        return undefined;
      }
      var tries = 0, frame = null;
      (function put() {
        var el = document.getElementById(target);
        if (el) { place(el, html); } else if (tries++ < 300) { frame = window.requestAnimationFrame(put); }
      })();
      return function () { if (frame !== null) { window.cancelAnimationFrame(frame); } };
    }, [html, target, attributes]);
    if (target) { return null; }
    if (attributes) { return React.createElement(props.tag || "div", { ref: ref }); }
    var attrs = { ref: ref, id: props.id, className: props.className, style: props.style, role: props.role,
                  tabIndex: props.tabIndex };
    Object.keys(props).forEach(function (k) {
      if (k.indexOf("aria-") === 0 || k.indexOf("data-") === 0) { attrs[k] = props[k]; }
    });
    return React.createElement("div", attrs);
  }

  /* Deferred (components/deferred.py): its children (a dcc.Graph) are rendered when the box comes into view
   * (or within `margin` px of it), or when printing starts; until then an empty box of `height` keeps their place.
   * The children stay in Dash's layout the whole time, so callbacks read and write their props as usual; only
   * their mounting waits (a graph out of view costs no plotly.js download, evaluation or drawing on load). */
  var pending = [];  // draw functions of the boxes still waiting (printing draws them all)
  window.addEventListener("beforeprint", function () {
    // the browser lays the page out for print right after this event: render the charts now, not in a later task
    var sync = window.ReactDOM && window.ReactDOM.flushSync;
    pending.slice().forEach(function (f) { if (sync) { sync(f); } else { f(); } });
  });

  /* Boxes that come into view together (the two charts side by side on «Befolkning og behov») are mounted one
   * at a time: the next one after the previous chart has drawn (its .main-svg is there) or after a second. Mounted
   * together, every chart waits for the same plotly.js load and all are drawn in one long task (2 × ~130 ms on a
   * desktop, the browser unresponsive all that time); one after the other, input is handled between them. */
  var queue = [], busy = false;
  function enqueue(draw, box) {
    if (queue.some(function (q) { return q[0] === draw; })) { return; }
    queue.push([draw, box]);
    pump();
  }
  function pump() {
    if (busy || !queue.length) { return; }
    var item = queue.shift(), box = item[1];
    if (!box.isConnected) { pump(); return; }
    busy = true;
    var finished = false, timer = null, mo = null;
    function next() {
      if (finished) { return; }
      finished = true;
      if (mo) { mo.disconnect(); }
      clearTimeout(timer);
      busy = false;
      setTimeout(pump, 0);  // a new task: the next chart is not drawn in this one
    }
    if ("MutationObserver" in window) {
      mo = new MutationObserver(function () { if (box.querySelector(".main-svg")) { next(); } });
      mo.observe(box, { childList: true, subtree: true });
    }
    timer = setTimeout(next, 1000);
    item[0]();
  }

  function Deferred(props) {
    var ref = React.useRef(null);
    var state = React.useState(!("IntersectionObserver" in window));
    var seen = state[0], setSeen = state[1];
    React.useEffect(function () {
      if (seen || !ref.current) { return undefined; }
      var box = ref.current;
      function draw() { setSeen(true); }
      var io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { enqueue(draw, box); }
      }, { rootMargin: (props.margin || 0) + "px 0px" });
      io.observe(box);
      pending.push(draw);
      return function () {
        io.disconnect();
        var i = pending.indexOf(draw);
        if (i >= 0) { pending.splice(i, 1); }
      };
    }, [seen, props.margin]);
    var style = Object.assign({}, props.style || {});
    if (!seen && props.height) { style.minHeight = props.height + "px"; }
    var attrs = { ref: ref, id: props.id, className: props.className, style: style,
                  "data-oa-deferred": seen ? "drawn" : "waiting", "data-oa-note": props.note };
    return React.createElement("div", attrs, seen ? current(props.children) : null);
  }

  /* Dash's renderer hands a component its children as wrapper elements that carry the child's layout as it was
   * when the parent last rendered (`_passedComponent`), and a wrapper mounted for the first time draws that copy.
   * A callback that changed the chart while it waited (Output("trend", "figure")) updated Dash's store, not this
   * copy, and nothing re-renders the Deferred: mounted as is, the chart would show its first figure until the
   * next change. So the children are mounted with their layout as it is now (window.dash_component_api). */
  function current(children) {
    var api = window.dash_component_api;
    if (!api || typeof api.getLayout !== "function") { return children; }
    return React.Children.map(children, function (c) {
      if (!React.isValidElement(c) || !c.props.componentPath || !c.props._passedComponent) { return c; }
      var now = api.getLayout(c.props.componentPath);
      return now && now !== c.props._passedComponent ? React.cloneElement(c, { _passedComponent: now }) : c;
    });
  }

  window.omsorgsatlas = window.omsorgsatlas || {};
  window.omsorgsatlas.HtmlBlock = HtmlBlock;
  window.omsorgsatlas.Deferred = Deferred;

  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    var a = e.target && e.target.closest ? e.target.closest("a[data-app-link]") : null;
    if (!a || (a.target && a.target !== "_self")) { return; }
    var url = new URL(a.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin) { return; }
    e.preventDefault();
    window.history.pushState({}, "", url.pathname + url.search + url.hash);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
})();

/* The first paint (components/firstpaint.py): the server's plain-HTML copy of the page, shown until the renderer
 * has drawn the live page (the shell's .app-shell), then removed in the same frame (a mutation observer runs
 * before the browser paints). Dash's own «Loading...» is not shown meanwhile (assets/15-layout.css). */
(function () {
  "use strict";
  var first = document.getElementById("oa-first"), entry = document.getElementById("react-entry-point");
  if (!first || !entry) { return; }
  var obs = new MutationObserver(function () {
    if (entry.querySelector(".app-shell")) { obs.disconnect(); first.remove(); }
  });
  obs.observe(entry, { childList: true });
})();
