"""Pre-rendered HTML blocks: a long table (or any static markup) sent as one escaped HTML string and written
into the page by the browser. The app's one way to send markup; pure builders (the browser side is
assets/05-htmlblock.js, a small React component that Dash's renderer finds at window.omsorgsatlas.HtmlBlock).

Why: Dash's renderer spends time on every component it renders, and the cost grows with the square of the
number of components on the page (each one re-checks the whole layout on every store update): the county
matrix (~2 000 cells, links and spans) took ~10 s of main-thread time, the tables behind the charts of
«Befolkning og behov» several seconds, «Min kommune»'s tables 3 s. As HTML the browser parses the same markup
in a few milliseconds, and the block is one component.

Two forms, one component (HtmlBlock) and one browser side:

    HtmlBlock(data=markup(table), className="static-table")   # a <div> with the markup inside; anywhere in a
                                                               # layout or a callback's answer (html_table(static=True))
    html_block("county-rug-table", className="rug-inner")      # -> [the div, the HtmlBlock holding its markup]

With ``html_block`` a callback writes ``Output(store_id("county-rug-table"), "data")`` with ``markup(component)``
and can still set the div's own props (className, style) by its id. The markup is ``components.tables.to_html``
of plain html components (text escaped, only known attributes), so a table keeps its caption, <th scope>, aria-*
and links. Links built as dcc.Link (``data-app-link``) navigate within the app as a dcc.Link does. A block inside
a closed <details> (the tables behind «Vis tabell») is written when the <details> is opened.
"""
from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from components.tables import to_html

SUFFIX = "-html"
NAMESPACE = "omsorgsatlas"  # window.omsorgsatlas.HtmlBlock (assets/05-htmlblock.js)


class HtmlBlock(Component):
    """``data``: escaped markup (``markup()``). Without ``target``: renders <div id class style role tabIndex
    aria-* data-*> with the markup inside. With ``target`` (the id of a div elsewhere in the layout): renders
    nothing and writes the markup into that div."""

    _children_props: list = []
    _base_nodes = ["children"]
    _namespace = NAMESPACE
    _type = "HtmlBlock"
    _prop_names = ["id", "data", "target", "className", "style", "role", "tabIndex"]
    _valid_wildcard_attributes = ["data-", "aria-"]
    available_properties = _prop_names
    available_wildcard_properties = _valid_wildcard_attributes

    def __init__(self, data: str = "", **kwargs):
        super().__init__(data=data, **{k: v for k, v in kwargs.items() if v is not None})


def store_id(block_id: str) -> str:
    """The HtmlBlock that holds the block's markup (a callback writes its "data")."""
    return block_id + SUFFIX


def markup(node) -> str:
    """A component tree (html components, dcc.Link, text) as escaped HTML; None -> empty."""
    return to_html(node)


def static_html(node, **props) -> HtmlBlock:
    """A component tree as one HtmlBlock (its markup inside a <div> with ``props``)."""
    return HtmlBlock(data=markup(node), **props)


def html_block(block_id: str, content=None, **props) -> list:
    """The empty div the browser fills and the HtmlBlock with its markup, to be placed side by side (the
    HtmlBlock must not be inside the div: the div's content is replaced). ``content``: a component tree for
    the first render (or None); ``props``: the div's own (className, role, aria-*, ...)."""
    return [html.Div(id=block_id, **props),
            HtmlBlock(id=store_id(block_id), data=markup(content) if content else "", target=block_id)]
