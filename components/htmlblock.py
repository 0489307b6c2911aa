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
and can still set the div's own props (className, style) by its id. The markup is ``components.markup.to_html``
of plain html components (text escaped, only known attributes), so a table keeps its caption, <th scope>, aria-*
and links. Links built as dcc.Link (``data-app-link``) navigate within the app as a dcc.Link does. A block inside
a closed <details> (the tables behind «Vis tabell») is written when the <details> is opened.
"""
from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from components.markup import _INERT_PROPS, _parts, to_html

SUFFIX = "-html"
NAMESPACE = "omsorgsatlas"  # window.omsorgsatlas.HtmlBlock (assets/05-htmlblock.js)


class HtmlBlock(Component):
    """``data``: escaped markup (``markup()``). Without ``target``: renders <div id class style role tabIndex
    aria-* data-*> with the markup inside (or ``tag`` with the HTML ``attributes`` {name: value, None for a
    boolean attribute}: compact()). With ``target`` (the id of a div elsewhere in the layout): renders nothing
    and writes the markup into that div."""

    _children_props: list = []
    _base_nodes = ["children"]
    _namespace = NAMESPACE
    _type = "HtmlBlock"
    _prop_names = ["id", "data", "target", "className", "style", "role", "tabIndex", "tag", "attributes"]
    _valid_wildcard_attributes = ["data-", "aria-"]
    available_properties = _prop_names
    available_wildcard_properties = _valid_wildcard_attributes

    def __init__(self, data: str = "", **kwargs):
        if isinstance(data, str) and type(data) is not str:
            data = str(data)  # markup built as components.markup.Html: kept as a plain str
        set_props(self, {"data": data, **{k: v for k, v in kwargs.items() if v is not None}})


def set_props(component: Component, props: dict) -> None:
    """What Component.__init__ does for the app's own components (HtmlBlock, components.deferred.Deferred):
    check the names, set the props in this order. Without its error-message preamble, which for a namespace
    that is not a Python package tries to import it, on every prop (~0.2 ms a component)."""
    wildcards = tuple(component._valid_wildcard_attributes)
    for k, v in props.items():
        if k not in component._prop_names and not k.startswith(wildcards):
            raise TypeError(f"{component._type} received an unexpected keyword argument: `{k}`")
        if k not in component._base_nodes and isinstance(v, Component):
            raise TypeError(f"{component._type}: a component for the prop `{k}` (only children may hold one)")
        if k == "id" and not isinstance(v, (str, dict)):
            raise TypeError(f"`id` prop must be a string or dict, not {v!r}")
        setattr(component, k, v)


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


# ------------------------------------------------------------------------------------------ compact()
MIN_COMPONENTS = 4  # a smaller static subtree is left as it is


def _own_props_static(node, parts, keep: frozenset) -> bool:
    """Whether the component itself (not its children) is static: no id that a callback names, only props plain
    HTML carries."""
    ident = getattr(node, "id", None)
    if ident is not None and (not isinstance(ident, str) or ident in keep):
        return False
    props = node.to_plotly_json()["props"]
    written = {name for name, _v in parts[1]}
    for k, v in props.items():
        if k in ("children", *_INERT_PROPS) or v is None or v is False:
            continue
        if k == "style" and not any(str(key).startswith("--") for key in v):
            continue
        if k in ("className", "htmlFor", "colSpan", "rowSpan", "tabIndex", "hrefLang", "readOnly") or \
                k.lower() in written or k in written:
            continue
        return False  # a prop plain HTML would drop
    return True


def _compact(node, keep: frozenset, min_components: int):
    """(static size, node compacted): one pass from the leaves up. The size is the number of components in
    ``node`` when it is static (html components, dcc.Links and HtmlBlocks with markup only, see
    _own_props_static), else -1; text counts 0."""
    if node is None or isinstance(node, (str, int, float)):
        return 0, node
    if isinstance(node, (list, tuple)):
        done = [_compact(n, keep, min_components) for n in node]
        sizes = [k for k, _n in done]
        return (-1 if any(k < 0 for k in sizes) else sum(sizes)), [n for _k, n in done]
    if isinstance(node, HtmlBlock):
        return (-1 if getattr(node, "target", None) or getattr(node, "id", None) in keep else 1), node
    try:
        parts = _parts(node)
    except TypeError:
        parts = None
    children = getattr(node, "children", None) if isinstance(node, Component) else None
    inner, compacted = _compact(children, keep, min_components) \
        if isinstance(children, (list, tuple, Component)) else (0 if parts is None else _static_children(parts), None)
    size = 1 + inner if parts is not None and inner >= 0 and _own_props_static(node, parts, keep) else -1
    if size >= min_components:
        return size, _as_block(node)  # from the original children: the same markup as a block of blocks
    if compacted is not None:
        node.children = compacted
    return size, node


def _static_children(parts) -> int:
    """Size of children that are neither a list nor a component (text, a number, None)."""
    children = parts[2]
    return 0 if children is None or isinstance(children, (str, int, float)) else -1


def _as_block(node) -> HtmlBlock:
    tag, attrs, children = _parts(node)
    return HtmlBlock(data=to_html(children), tag=tag, attributes=dict(attrs))


def compact(node, keep: frozenset, min_components: int = MIN_COMPONENTS):
    """``node`` with every static subtree of at least ``min_components`` components (see _compact) replaced
    by ONE HtmlBlock with the same root element, attributes and content: the page looks and works the same,
    Dash's renderer tracks a fraction of the components. ``keep``: the ids that callbacks name (they stay
    components). Only ``children`` is walked; the tree is changed in place and returned."""
    return _compact(node, keep, min_components)[1]
