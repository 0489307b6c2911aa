"""The first paint: the page's layout as plain, escaped HTML inside the index page itself, shown until Dash's
renderer has drawn the same layout (assets/05-htmlblock.js then removes it). Pure builder.

Why: Dash sends an empty page; the content appears only after ~400 KB of scripts have run and /_dash-layout has
answered (on a slow phone: seconds of a blank page or «Loading...»). Written by the server, the headings, texts
and tables are there with the first paint; the renderer's own content then replaces them (new elements: nothing
moves). Widgets that need JavaScript (dropdowns, sliders, charts) are drawn as empty boxes of their size.

The copy carries no ids, no id references (aria-labelledby …) and no data- attributes: it cannot clash with the
live page or be picked up by its scripts, and it is removed from the document once the live page is there.
"""
from __future__ import annotations

import re
from typing import Any

from components.markup import _esc, _style

HTML_NS, DCC_NS, DBC_NS, OWN_NS = "dash_html_components", "dash_core_components", "dash_bootstrap_components", \
    "omsorgsatlas"
_ATTRS = {"className": "class", "colSpan": "colspan", "rowSpan": "rowspan", "tabIndex": "tabindex",
          "hrefLang": "hreflang"}
_PLAIN = {"href", "scope", "title", "target", "rel", "lang", "role", "type", "src", "alt", "width", "height"}
_BOOL = {"hidden", "open", "disabled"}
_ID_REFS = {"aria-labelledby", "aria-describedby", "aria-controls", "aria-details", "aria-owns",
            "aria-activedescendant", "aria-flowto"}
_VOID = {"br", "hr", "img", "wbr", "input"}
# the same attributes inside pre-rendered markup (components.markup.to_html writes name="escaped value")
_MARKUP_ATTRS = re.compile(r' (?:id|for|data-[\w-]+|aria-(?:labelledby|describedby|controls|details|owns|'
                           r'activedescendant|flowto))="[^"]*"')
_SKIP = {"Store", "Location", "Interval", "Download", "Clipboard", "Tooltip", "Modal", "Popover", "Toast"}
_COL_SIZES = ("xs", "sm", "md", "lg", "xl", "xxl")


def _attrs(props: dict, classes: str | None = None) -> str:
    out = []
    cls = " ".join(c for c in (classes, props.get("className")) if c)
    if cls:
        out.append(f' class="{_esc(cls)}"')
    for k, v in props.items():
        if v is None or v is False or k in ("className", "children", "id", "htmlFor"):
            continue
        if k == "style" and isinstance(v, dict):
            css = ";".join(f"{_style({key: val})}" for key, val in v.items() if not key.startswith("--"))
            if css:
                out.append(f' style="{_esc(css)}"')
        elif k in _BOOL:
            if v:
                out.append(f" {k}")
        elif k in _PLAIN or k in _ATTRS or (k.startswith("aria-") and k not in _ID_REFS):
            out.append(f' {_ATTRS.get(k, k)}="{_esc(v)}"')
    return "".join(out)


def _col_classes(props: dict) -> str:
    out = []
    width = props.get("width")
    if isinstance(width, (int, str)) and width not in ("", None):
        out.append(f"col-{width}")
    for size in _COL_SIZES:
        v = props.get(size)
        if isinstance(v, (int, str)) and v not in ("", None):
            out.append(f"col-{size}-{v}" if size != "xs" else f"col-{v}")
    return " ".join(out) or "col"


# dash-bootstrap-components whose markup is one element with one Bootstrap class
_PLAIN_DBC = {"Row": ("div", "row"), "NavbarBrand": ("a", "navbar-brand"), "NavItem": ("li", "nav-item"),
              "NavLink": ("a", "nav-link"), "Card": ("div", "card"), "CardBody": ("div", "card-body"),
              "CardHeader": ("div", "card-header"), "CardFooter": ("div", "card-footer")}


class _Writer:
    def __init__(self, blocks: dict[str, str]):
        self.blocks = blocks  # html_block target div id -> markup

    def node(self, n: Any, closed: bool = False) -> str:
        if n is None or n is False:
            return ""
        if isinstance(n, (list, tuple)):
            return "".join(self.node(c, closed) for c in n)
        if not isinstance(n, dict) or "props" not in n or "type" not in n:
            return _esc(n)
        ns, kind, props = n.get("namespace"), n["type"], n.get("props") or {}
        children = props.get("children")
        if ns == HTML_NS:
            tag = kind.lower()
            inner_closed = closed or (tag == "details" and not props.get("open"))
            if tag in _VOID:
                return f"<{tag}{_attrs(props)}>"
            inner = self.node(children, inner_closed)
            block = self.blocks.get(props.get("id")) if isinstance(props.get("id"), str) else None
            if block is not None and not inner and not closed:
                inner = _MARKUP_ATTRS.sub("", block)  # an html_block's div, written by its HtmlBlock in the live page
            return f"<{tag}{_attrs(props)}>{inner}</{tag}>"
        if ns == OWN_NS and kind == "HtmlBlock":
            if props.get("target"):
                return ""
            tag, attributes = props.get("tag") or "div", props.get("attributes")
            if attributes:  # compact(): the root element's own HTML attributes
                attrs = "".join(f" {k}" if v is None else f' {k}="{_esc(v)}"' for k, v in attributes.items()
                                if k not in ("id", "for") and not k.startswith("data-") and k not in _ID_REFS)
            else:
                attrs = _attrs(props)
            inner = "" if closed and tag != "details" else _MARKUP_ATTRS.sub("", props.get("data") or "")
            return f"<{tag}{attrs}>{inner}</{tag}>"
        if ns == DCC_NS:
            return self.dcc(kind, props)
        if ns == DBC_NS:
            return self.dbc(kind, props, closed)
        if kind in _SKIP:
            return ""
        return f"<div{_attrs({'className': props.get('className')})}>{self.node(children, closed)}</div>"

    def dcc(self, kind: str, props: dict) -> str:
        if kind in _SKIP:
            return ""
        if kind == "Link":
            return f"<a{_attrs({'href': props.get('href'), 'className': props.get('className')})}>" \
                   f"{self.node(props.get('children'))}</a>"
        if kind == "Graph":
            fig = props.get("figure") or {}
            height = ((fig.get("layout") or {}).get("height")) or 450
            style = {**(props.get("style") or {}), "minHeight": f"{height}px"}
            return f'<div{_attrs({"style": style}, "dash-graph oa-first-box")}></div>'
        if kind == "Dropdown":  # the chosen option's label, as the live dropdown shows it
            value = props.get("value")
            label = next((o.get("label") for o in props.get("options") or []
                          if isinstance(o, dict) and o.get("value") == value and value is not None), None)
            if label is None and isinstance(props.get("options"), dict):
                label = props["options"].get(value)
            return f'<div{_attrs({"className": props.get("className")}, "oa-first-input")}>' \
                   f'{self.node(label) if isinstance(label, str) else ""}</div>'
        if kind in ("Input", "DatePickerSingle", "DatePickerRange"):
            return f'<div{_attrs({"className": props.get("className")}, "oa-first-input")}></div>'
        if kind in ("Slider", "RangeSlider"):  # the track and its marks
            return f'<div{_attrs({"className": props.get("className")}, "oa-first-slider")}></div>'
        if kind in ("RadioItems", "Checklist"):
            opts = props.get("options") or []
            labels = [o.get("label") if isinstance(o, dict) else o for o in opts]
            inner = "".join(f'<span class="oa-first-option">{self.node(lab)}</span>' for lab in labels)
            return f'<div{_attrs({"className": props.get("className")})}>{inner}</div>'
        return f"<div{_attrs({'className': props.get('className')})}>{self.node(props.get('children'))}</div>"

    def dbc(self, kind: str, props: dict, closed: bool) -> str:
        children = self.node(props.get("children"), closed)
        if kind in _SKIP:
            return ""
        if kind in _PLAIN_DBC:  # a fixed element and Bootstrap class
            tag, base = _PLAIN_DBC[kind]
            return f"<{tag}{_attrs(props, base)}>{children}</{tag}>"
        if kind == "Container":
            return f"<div{_attrs(props, 'container-fluid' if props.get('fluid') else 'container')}>{children}</div>"
        if kind == "Col":
            return f"<div{_attrs(props, _col_classes(props))}>{children}</div>"
        if kind == "Alert":
            if props.get("is_open") is False:
                return ""
            return f'<div{_attrs(props, "alert alert-" + str(props.get("color") or "success"))} role="alert">' \
                   f"{children}</div>"
        if kind == "Navbar":
            cls = f"navbar navbar-expand-{props.get('expand') or 'md'}" + (" navbar-dark" if props.get("dark") else "")
            if props.get("color"):
                cls += f" bg-{props['color']}"
            return f"<nav{_attrs(props, cls)}>{children}</nav>"
        if kind == "Nav":
            return f"<ul{_attrs(props, 'navbar-nav' if props.get('navbar') else 'nav')}>{children}</ul>"
        if kind in ("RadioItems", "Checklist"):
            return self.dcc(kind, {**props, "className": props.get("class_name") or props.get("className")})
        if kind == "Button":
            return f'<button type="button"{_attrs(props, "btn")} disabled>{children}</button>'
        return f"<div{_attrs({'className': props.get('className')})}>{children}</div>"


def _blocks(n: Any, out: dict[str, str]) -> dict[str, str]:
    if isinstance(n, (list, tuple)):
        for c in n:
            _blocks(c, out)
    elif isinstance(n, dict) and "props" in n:
        props = n.get("props") or {}
        if n.get("namespace") == OWN_NS and props.get("target"):
            out[props["target"]] = props.get("data") or ""
        for v in props.values():
            if isinstance(v, (dict, list)):
                _blocks(v, out)
    return out


def first_paint(layout_json: Any) -> str:
    """The layout (its JSON form: plotly.io.json.to_json_plotly, then json.loads) as escaped HTML."""
    return _Writer(_blocks(layout_json, {})).node(layout_json)
