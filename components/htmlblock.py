"""Pre-rendered HTML blocks: a long table (or any static markup) sent as one escaped HTML string and written
into an empty <div> by the browser. Pure builders; callbacks/htmlblock.py wires the browser side.

Why: Dash's renderer spends time on every component it renders, and the cost grows with the square of the
number of components on the page (each one re-checks the whole layout on every store update): the county
matrix (~2 000 cells, links and spans) took ~10 s of main-thread time, the tables behind the charts of
«Befolkning og behov» several seconds. As HTML the browser parses the same markup in a few milliseconds.

    html_block("county-rug-table", className="rug-inner")   # -> [the div, the dcc.Store with its markup]

A callback writes ``Output("county-rug-table-html", "data")`` with ``markup(component)``; the markup is
``components.tables.to_html`` of plain html components (text escaped, only known attributes), so the table
keeps its caption, <th scope>, aria-* and links. Links built as dcc.Link (``data-app-link``) navigate within the
app as a dcc.Link does; the div's own props (className, style) can still be set by callbacks.
"""
from __future__ import annotations

from dash import dcc, html

from components.tables import to_html

SUFFIX = "-html"


def store_id(block_id: str) -> str:
    """The dcc.Store that holds the block's markup (a callback writes its "data")."""
    return block_id + SUFFIX


def markup(node) -> str:
    """A component tree (html components, dcc.Link, text) as escaped HTML; None -> empty."""
    return to_html(node)


def html_block(block_id: str, content=None, **props) -> list:
    """The empty div the browser fills and the store with its markup, to be placed side by side (the store
    must not be inside the div: the div's content is replaced). ``content``: a component tree for the first
    render (or None); ``props``: the div's own (className, role, aria-*, ...)."""
    return [html.Div(id=block_id, **props), dcc.Store(id=store_id(block_id), data=markup(content) if content else "")]
