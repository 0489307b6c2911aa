"""The browser side of components/htmlblock.py: one clientside callback per page, without outputs, that writes
each block's markup into its div (innerHTML; the markup is escaped on the server by components.tables.to_html)
- a block inside a closed <details> (the tables behind «Vis tabell») when the <details> is opened -,
and makes the links marked ``data-app-link`` navigate within the app exactly as dcc.Link does (history.pushState
and Dash's location event; a modified click or another target keeps the browser's default).

    fill_blocks("county-rug-table")                  # in the page's callbacks module, once per page
"""
from __future__ import annotations

from dash import Input, clientside_callback

from components.htmlblock import store_id

FILL_JS = """
function() {
    function follow(e) {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
        var a = e.target && e.target.closest ? e.target.closest('a[data-app-link]') : null;
        if (!a || !this.contains(a) || (a.target && a.target !== '_self')) { return; }
        var url = new URL(a.getAttribute('href'), window.location.href);
        if (url.origin !== window.location.origin) { return; }
        e.preventDefault();
        window.history.pushState({}, '', url.pathname + url.search + url.hash);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        window.scrollTo(0, 0);
    }
    function write(el) {
        el.removeAttribute('data-oa-lazy');
        if (el.oaHtml !== el.oaWant) { el.oaHtml = el.oaWant; el.innerHTML = el.oaWant; }
    }
    (window.dash_clientside.callback_context.inputs_list || []).forEach(function(inp) {
        var id = String(inp.id).replace(/-html$/, ''), html = inp.value || '', tries = 0;
        (function put() {
            var el = document.getElementById(id);
            if (!el) {  // the page's layout is not in the document yet
                if (tries++ < 300) { window.requestAnimationFrame(put); }
                return;
            }
            if (!el.oaFollow) { el.oaFollow = true; el.addEventListener('click', follow); }
            el.oaWant = html;
            var closed = el.closest('details:not([open])');
            if (closed) {  // a table behind a closed «Vis tabell»: written when it is opened
                if (!closed.oaLazy) {
                    closed.oaLazy = true;
                    closed.addEventListener('toggle', function() {
                        if (!closed.open) { return; }
                        closed.querySelectorAll('[data-oa-lazy]').forEach(write);
                    });
                }
                el.setAttribute('data-oa-lazy', '');
                return;
            }
            write(el);
        })();
    });
}
"""


def fill_blocks(*block_ids: str) -> None:
    """Register the clientside callback that fills the page's blocks (their stores as inputs, no output)."""
    clientside_callback(FILL_JS, *[Input(store_id(b), "data") for b in block_ids])
