"""Long option lists put into their dcc.Dropdown on first use (the browser side of components.controls.lazy_options).

dcc.Dropdown builds a search index over every option's label when it renders: for the ~360 municipalities
~50 ms of main thread on a desktop and ~0.2 s on a slow phone on every page load, for a list most visits never
open. So the page sends the dropdown with the chosen option only and the whole list in a dcc.Store beside it
(``<id>-options``); the first pointer, touch, focus or key on the dropdown puts the list in before it opens.
A callback that changes the list writes the store: once the dropdown has been used, the new list goes straight in.
A callback that sets the dropdown's value must send the list with it (dcc.Dropdown clears a value it has no
option for): the overview's map click does (callbacks/overview.py select_from_map).
"""
from __future__ import annotations

from dash import Input, Output, clientside_callback

from components.controls import LAZY_SUFFIX

LAZY_OPTIONS_JS = """
function(options) {
    var dc = window.dash_clientside, out = dc.callback_context.outputs_list;
    var id = (Array.isArray(out) ? out[0] : out).id;
    var lazy = window.oaLazyOptions = window.oaLazyOptions || {pending: {}, used: {}};
    var el = document.getElementById(id);
    if (lazy.used[id] && lazy.used[id] === el) { return options || []; }  // in use on this page: straight in
    lazy.used[id] = null;
    lazy.pending[id] = options || [];
    if (!lazy.hooked) {
        lazy.hooked = true;
        // listeners on the document (capture): the dropdown's own element is replaced when its code has loaded
        var load = function (e) {
            var t = e.target;
            if (!t || !t.closest) { return; }
            Object.keys(lazy.pending).forEach(function (k) {
                var box = t.closest('#' + CSS.escape(k));
                if (!box) { return; }
                var all = lazy.pending[k];
                delete lazy.pending[k];
                lazy.used[k] = document.getElementById(k);
                dc.set_props(k, {options: all});
            });
        };
        ['pointerdown', 'focusin', 'keydown', 'touchstart'].forEach(function (k) {
            document.addEventListener(k, load, true);
        });
    }
    return dc.no_update;  // until then: the chosen option only
}
"""

# the dropdowns whose lists wait (components.controls.lazy_options makes their stores)
LAZY_DROPDOWNS = ("region-dropdown", "profile-muni", "pop-region")

for _dropdown in LAZY_DROPDOWNS:
    clientside_callback(LAZY_OPTIONS_JS, Output(_dropdown, "options"), Input(_dropdown + LAZY_SUFFIX, "data"))
