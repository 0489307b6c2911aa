/* Language switch (components/shell.py: #lang-switch) and the language flag in the address bar.
 *
 * The switch reloads the current page with ?lang=en|nb added to the current query string (every other
 * parameter kept): its href is brought up to date from location just before it is followed (click, which
 * keyboard activation also fires, focus, hover, touch). The server renders the link text and the target
 * language (data-lang); no texts live here.
 *
 * When the page is in English (<html lang="en">, set by the server from ?lang= or the cookie) and the
 * address has no ?lang=, it is added, so copied URLs, permalinks, embed snippets and the pages' URL sync
 * (window.oaUrl.keep keeps ?lang=) carry the language.
 */
(function () {
  "use strict";
  var PARAM = "lang";
  var root = document.documentElement;

  function hrefFor(lang) {
    var p = new URLSearchParams(window.location.search);
    p.set(PARAM, lang);
    return window.location.pathname + "?" + p.toString() + window.location.hash;
  }

  function update(ev) {
    var el = ev.target;
    var a = el && el.closest ? el.closest("#lang-switch") : null;
    if (a) {
      a.setAttribute("href", hrefFor(a.getAttribute("data-lang") || a.getAttribute("hreflang") || "nb"));
    }
  }

  ["click", "focusin", "mouseover", "touchstart"].forEach(function (type) {
    document.addEventListener(type, update, true);
  });

  // in-app navigation (Dash's links push a new URL without a full load) keeps the flag too
  function withLang(url) {
    if (root.getAttribute("lang") !== "en" || url === undefined || url === null) { return url; }
    try {
      var u = new URL(String(url), window.location.href);
      if (u.origin !== window.location.origin || u.searchParams.get(PARAM)) { return url; }
      u.searchParams.set(PARAM, "en");
      return u.pathname + u.search + u.hash;
    } catch (e) {
      return url;
    }
  }
  var push = window.history.pushState;
  window.history.pushState = function (state, title, url) {
    return push.call(window.history, state, title, withLang(url));
  };

  if (root.getAttribute("lang") === "en") {
    var p = new URLSearchParams(window.location.search);
    if (!p.get(PARAM)) {
      p.set(PARAM, "en");
      window.history.replaceState(window.history.state, "",
        window.location.pathname + "?" + p.toString() + window.location.hash);
    }
  }
})();
