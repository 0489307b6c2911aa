"""The browser side of components/htmlblock.py is assets/05-htmlblock.js: the HtmlBlock component writes its
markup itself (innerHTML; the markup is escaped on the server by components.tables.to_html) - a block inside a
closed <details> (the tables behind «Vis tabell») when the <details> is opened -, and links marked
``data-app-link`` navigate within the app exactly as dcc.Link does (history.pushState and Dash's location event;
a modified click or another target keeps the browser's default). No callback is needed for that.

    fill_blocks("county-rug-table")     # kept for the page modules that call it: registers nothing
"""
from __future__ import annotations


def fill_blocks(*block_ids: str) -> None:
    """Formerly the clientside callback that wrote each block; HtmlBlock now writes itself. Kept (a no-op) so
    page callback modules that name their blocks keep working."""
    return None
