"""Static Dash components (html.*, dcc.Link, HtmlBlock) as one escaped HTML string: the markup that
components.htmlblock sends and components.firstpaint pre-renders. Pure; no Dash renderer involved.

Markup can also be built directly, without components (long tables: a component costs ~20 µs to make and as
much again to serialise, a string a few): ``element("td", "1 234", className="num")`` is the same string as
``to_html(html.Td("1 234", className="num"))`` and ``link(name, href)`` the same as ``to_html(dcc.Link(name,
href=href))``; the result is an ``Html`` string, which to_html and element write as it is (never escaped
again). Children may be text, numbers, Html, lists and components."""
from __future__ import annotations

import functools

from dash import dcc, html
from dash.development.base_component import Component
from markupsafe import escape

_ATTRS = {"className": "class", "htmlFor": "for", "colSpan": "colspan", "rowSpan": "rowspan"}
_PLAIN_ATTRS = ("id", "href", "scope", "title", "target", "rel", "lang", "role", "tabIndex")
_VOID = {"br", "hr", "img", "wbr"}  # written <br/>: valid HTML, and JSX for dcc.Markdown


def _esc(value) -> str:
    """HTML-escaped text that is also inert JSX (dcc.Markdown parses raw HTML as JSX, where { } would start an
    expression): the braces as numeric character references, which the parser decodes back to text."""
    return str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;")


def _style(style: dict) -> str:
    """A Dash style dict ({"background": …, "fontWeight": …}) as a CSS declaration list."""
    out = []
    for key, value in style.items():
        if key.startswith("--"):
            raise TypeError("egendefinerte CSS-egenskaper kan ikke sendes som statisk HTML")  # the parser renames them
        out.append("".join("-" + c.lower() if c.isupper() else c for c in key) + f":{value}")
    return ";".join(out)


_BOOL_ATTRS = {"hidden": "hidden", "open": "open", "disabled": "disabled", "readOnly": "readonly"}
_MORE_ATTRS = {"hrefLang": "hreflang", "download": "download", "type": "type"}
# html-component props that carry nothing to the browser once the component is plain markup
_INERT_PROPS = {"n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key"}


def _parts(node) -> tuple[str, list[tuple[str, str | None]], object] | None:
    """(tag, [(attribute, value - not escaped - or None for a boolean attribute)], children) of an html component or
    dcc.Link; None for text and numbers. TypeError for anything else."""
    if isinstance(node, dcc.Link):
        props = node.to_plotly_json()["props"]
        attrs = {"href": props.get("href", "#"), "className": props.get("className"), "title": props.get("title"),
                 "data-app-link": ""}
        tag, children = "a", props.get("children")
    elif isinstance(node, Component) and type(node).__module__.startswith("dash.html"):
        # the props given to the component are its instance attributes (what to_plotly_json reads, without
        # building its dict: ~7 µs a node, 1 400 nodes in «Min kommune»'s tables)
        given = vars(node)
        attrs = {k: given[k] for k in node._prop_names if k in given}  # to_plotly_json's order
        attrs.update((k, v) for k, v in given.items() if k.startswith(("data-", "aria-")))
        tag, children = type(node).__name__.lower(), attrs.pop("children", None)
    elif hasattr(node, "to_plotly_json"):
        raise TypeError(f"kan ikke gjøre {type(node).__name__} om til statisk HTML")
    else:
        return None
    return tag, _attr_parts(attrs.items()), children


_RENAMED = {**_ATTRS, **_MORE_ATTRS}


def _attr_parts(items) -> list[tuple[str, str | None]]:
    """[(HTML attribute, value - not escaped - or None for a boolean attribute)] of (prop, value) pairs: the
    props plain HTML carries, None and False left out."""
    parts: list[tuple[str, str | None]] = []
    for k, v in items:
        if v is None or v is False:
            continue
        if k == "style":
            parts.append(("style", _style(v)))
        elif k in _BOOL_ATTRS:
            parts.append((_BOOL_ATTRS[k], None))
        elif k in _ATTRS or k in _PLAIN_ATTRS or k in _MORE_ATTRS or k.startswith(("aria-", "data-")):
            parts.append((_RENAMED.get(k, k), str(v)))
    return parts


def _open(tag: str, attrs) -> str:
    return f"<{tag}" + "".join(f" {k}" if v is None else f' {k}="{_esc(v)}"' for k, v in attrs) + ">"


def to_html(node) -> str:
    """Serialise text and static Dash html components (and dcc.Link) to an escaped HTML string, for
    components.htmlblock. A dcc.Link becomes an <a> marked
    ``data-app-link``: inside an HTML block it navigates within the app as a dcc.Link does."""
    if node is None:
        return ""
    if type(node) is Html:
        return node
    if isinstance(node, (list, tuple)):
        return "".join(to_html(n) for n in node)
    if getattr(node, "_type", None) == "HtmlBlock" and not getattr(node, "target", None):
        # components.htmlblock.HtmlBlock: its markup is escaped already
        props = node.to_plotly_json()["props"]
        attrs = props.get("attributes") or {}
        if not attrs:
            attrs = {a: v for a, v in _parts(html.Div(**{k: v for k, v in props.items()
                                                          if k not in ("data", "tag", "attributes")}))[1]}
        tag = props.get("tag") or "div"
        inner = "".join(f" {k}" if v is None else f' {k}="{_esc(v)}"' for k, v in attrs.items())
        return f"<{tag}{inner}>{props.get('data', '')}</{tag}>"
    parts = _parts(node)
    if parts is None:
        return _esc(node)
    tag, attrs, children = parts
    inner = "".join(f" {k}" if v is None else f' {k}="{_esc(v)}"' for k, v in attrs)
    if tag in _VOID:
        return f"<{tag}{inner}/>"
    return f"<{tag}{inner}>{to_html(children)}</{tag}>"


# ------------------------------------------------------------------------------------------ direct markup
class Html(str):
    """Escaped markup (element(), link()): written as it is wherever markup is put together."""
    __slots__ = ()


@functools.lru_cache(maxsize=None)
def _prop_rank(tag: str) -> dict[str, int]:
    """The html component's props in the order its markup writes them (to_html: the component's _prop_names)."""
    cls = next(c for name, c in vars(html).items() if name.lower() == tag and isinstance(c, type)
               and issubclass(c, Component))
    return {k: i for i, k in enumerate(cls()._prop_names)}


def element(tag: str, children=None, **props) -> Html:
    """``to_html(html.<Tag>(children, **props))`` without the component: the same string."""
    rank = _prop_rank(tag)
    named = sorted((k for k in props if k in rank), key=rank.__getitem__)
    wild = [k for k in props if k not in rank and k.startswith(("data-", "aria-"))]
    if len(wild) > 1:  # a component's wildcard props come in the order of the set its constructor makes of the
        # argument names (dash's _explicitize_args; with children given positionally): the same order here
        made = list(set(["self", *(["children"] if children is not None else []), *props]))
        wild.sort(key=made.index)
    if len(named) + len(wild) != len(props):
        raise TypeError(f"html.{tag} har ikke egenskapene {sorted(set(props) - set(named) - set(wild))}")
    attrs = _attr_parts([(k, props[k]) for k in named] + [(k, props[k]) for k in wild])
    if tag in _VOID:
        return Html(_open(tag, attrs)[:-1] + "/>")
    return Html(f"{_open(tag, attrs)}{to_html(children)}</{tag}>")


def link(children, href: str = "#", className: str | None = None, title: str | None = None) -> Html:
    """``to_html(dcc.Link(children, href=href, className=className, title=title))``: an <a> marked
    ``data-app-link`` (navigates within the app)."""
    attrs = _attr_parts((("href", href), ("className", className), ("title", title), ("data-app-link", "")))
    return Html(f"{_open('a', attrs)}{to_html(children)}</a>")
