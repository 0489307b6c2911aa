"""Figures for image export (PNG/SVG) and PNG metadata. Pure: figure dicts in, figure dicts / bytes out.

``decorate`` turns an on-screen figure into one that carries everything a slide or a report needs when
it travels alone: the title (top, in the margin), the source line and the date (bottom, an annotation
in the margin), at a fixed size (``PRESETS``; 16:9 is the slide preset). The on-screen figure is not
changed (deep copy).

``png_text`` adds tEXt/iTXt chunks (Title, Source, Creation Time, Software) after the IHDR chunk, so
the credit stays with the file even when it is cropped.
"""

from __future__ import annotations

import copy
import struct
import textwrap
import zlib
from typing import Mapping

from components.mapfig import FONT

# mal=… -> (width, height) in layout pixels; the image is width*scale × height*scale
PRESETS: dict[str, tuple[int, int]] = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1000, 1000)}
DEFAULT_PRESET = "16x9"
SCALES = (1, 2, 4)
DEFAULT_SCALE = 2
TITLE_SIZE = 20
SOURCE_SIZE = 13
_TOP = 64        # px above the plot area reserved for the title (plus the figure's own top margin)
_BOTTOM = 40     # px below the plot area reserved for the source line


def _wrap(text: str, width: int, font_px: int) -> str:
    """Break a long line with <br> so it fits ``width`` px (average glyph ≈ 0.55 em)."""
    per_line = max(20, int(width / (font_px * 0.55)))
    lines = textwrap.wrap(str(text), per_line) or [""]
    return "<br>".join(lines[:3])


def decorate(figure: Mapping, *, title: str, source: str, date_text: str, width: int, height: int) -> dict:
    """A copy of ``figure`` sized ``width``×``height`` with the title at the top and «source · date» at
    the bottom, inside the image (margins grown to make room)."""
    fig = copy.deepcopy(dict(figure))
    layout = dict(fig.get("layout") or {})
    layout.pop("height", None)
    layout.pop("width", None)
    layout.pop("uirevision", None)
    layout["autosize"] = False
    layout["width"], layout["height"] = int(width), int(height)
    margin = dict(layout.get("margin") or {})
    old_t, old_b = int(margin.get("t", 60) or 0), int(margin.get("b", 40) or 0)
    old_l = int(margin.get("l", 60) or 0)
    # the figure's own title line is replaced by ours; keep the room its legend/padding needed
    margin["t"] = max(old_t, 40) + _TOP - 30
    margin["b"] = old_b + _BOTTOM
    margin["l"] = max(old_l, 12)
    margin["r"] = max(int(margin.get("r", 20) or 0), 12)
    layout["margin"] = margin
    title_text = _wrap(title, width - 40, TITLE_SIZE)
    n_title_lines = title_text.count("<br>") + 1
    if n_title_lines > 1:
        margin["t"] += (n_title_lines - 1) * int(TITLE_SIZE * 1.25)
    layout["title"] = {"text": f"<b>{title_text}</b>", "x": 0, "xref": "paper", "xanchor": "left",
                       "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 14, "l": 0},
                       "font": {"size": TITLE_SIZE, "family": FONT, "color": "#1a1a1a"}}
    legend = dict(layout.get("legend") or {})
    if legend.get("yref") == "container" and float(legend.get("y", 1) or 0) < 0.5:
        legend["y"] = (_BOTTOM + 4) / height  # a legend at the very bottom moves above the source line
        layout["legend"] = legend
    credit = _wrap(f"{source} · {date_text}", width - 24, SOURCE_SIZE).split("<br>")[0]
    annotations = [a for a in (layout.get("annotations") or []) if not (isinstance(a, dict)
                                                                         and a.get("name") == "oa-credit")]
    annotations.append({"name": "oa-credit", "text": credit, "showarrow": False, "xref": "paper", "yref": "paper",
                        "x": 0, "xanchor": "left", "xshift": -margin["l"] + 12, "y": 0, "yanchor": "top",
                        "yshift": -(old_b + 12), "align": "left",
                        "font": {"size": SOURCE_SIZE, "family": FONT, "color": "#3d3d3d"}})
    layout["annotations"] = annotations
    layout.setdefault("paper_bgcolor", "#ffffff")
    layout.pop("modebar", None)
    fig["layout"] = layout
    return fig


# ------------------------------------------------------------------------------------------------ PNG metadata
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _text_chunk(key: str, value: str) -> bytes:
    keyword = key.encode("latin-1")[:79]
    try:
        return _chunk(b"tEXt", keyword + b"\x00" + value.encode("latin-1"))
    except UnicodeEncodeError:  # iTXt: uncompressed UTF-8, no language tag
        return _chunk(b"iTXt", keyword + b"\x00\x00\x00\x00\x00" + value.encode("utf-8"))


def png_text(png: bytes, fields: Mapping[str, str]) -> bytes:
    """``png`` with one text chunk per field, right after IHDR. Non-PNG input is returned unchanged."""
    if not png.startswith(PNG_SIGNATURE) or len(png) < 33:
        return png
    ihdr_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    extra = b"".join(_text_chunk(k, v) for k, v in fields.items() if v)
    return png[:ihdr_end] + extra + png[ihdr_end:]


def png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) from the IHDR chunk, or None."""
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", png[16:24])


def png_texts(png: bytes) -> dict[str, str]:
    """The tEXt/iTXt fields of a PNG (for tests and checks)."""
    out: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(png):
        length = struct.unpack(">I", png[pos:pos + 4])[0]
        kind = png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            k, _, v = data.partition(b"\x00")
            out[k.decode("latin-1")] = v.decode("latin-1")
        elif kind == b"iTXt":
            k, _, rest = data.partition(b"\x00")
            parts = rest[2:].split(b"\x00", 2)
            out[k.decode("latin-1")] = parts[2].decode("utf-8") if len(parts) == 3 else ""
        if kind == b"IEND":
            break
        pos += 12 + length
    return out
