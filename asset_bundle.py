"""The app's own CSS and JavaScript (assets/) as one stylesheet and one script each, compressed and cached for a
year at a URL named by the content's hash.

Dash links every file in assets/ on its own (nine stylesheets, seven scripts, each ?m=<mtime>), and streams them
uncompressed. On a phone every render-blocking stylesheet costs a request before the first paint, and the files
are ~70 KiB where ~20 KiB would do. The index page (app.py ``_interpolate_index``) replaces the run of asset
<link>s and the run of asset <script>s with one tag each, at the same place, in Dash's order (file name order:
the numbered prefixes keep the cascade and the scripts' order; the scripts still come after React and before
Dash's renderer). The files themselves stay in assets/ (one concern per file) and Dash still serves them at
their own URLs.

    bundles = AssetBundles(assets_folder, url_prefix="/bundle/")
    css, scripts = bundles.rewrite(css, scripts)     # the index page's {%css%} and {%scripts%}
    bundles.get("app-<hash>.css")                    # -> (bytes, mimetype) or None (the route)
"""
from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

_LINK = re.compile(r'<link rel="stylesheet" href="(?P<prefix>[^"]*?)/assets/(?P<name>[^"?]+\.css)\?m=[^"]*">')
_SCRIPT = re.compile(r'<script src="(?P<prefix>[^"]*?)/assets/(?P<name>[^"?]+\.js)\?m=[^"]*"></script>')
MIMETYPES = {"css": "text/css", "js": "text/javascript"}


class AssetBundles:
    """Bundles built from the asset files an index page links, kept per (kind, file list, mtimes)."""

    def __init__(self, folder: Path, url_prefix: str = "/bundle/"):
        self.folder = Path(folder).resolve()
        self.url_prefix = url_prefix
        self._by_files: dict[tuple, str] = {}  # (kind, ((name, mtime), ...)) -> bundle file name
        self._data: dict[str, bytes] = {}  # bundle file name -> content
        self._lock = threading.Lock()

    def _bundle(self, kind: str, names: list[str]) -> str | None:
        """The bundle file name for these asset files (built once per set of file versions); None when a file
        cannot be read (the page then keeps Dash's own tags)."""
        try:
            stamp = tuple((n, (self.folder / n).stat().st_mtime_ns) for n in names)
        except OSError:
            return None
        key = (kind, stamp)
        name = self._by_files.get(key)
        if name is not None:
            return name
        parts = []
        for n in names:
            path = (self.folder / n).resolve()
            if not path.is_relative_to(self.folder):
                return None
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            # each file keeps its name in a comment; scripts are separated by ";" (a file ending without one)
            parts.append(f"/* {n} */\n{text}\n" + (";\n" if kind == "js" else ""))
        data = "".join(parts).encode("utf-8")
        name = f"app-{hashlib.sha256(data).hexdigest()[:16]}.{kind}"
        with self._lock:
            self._data[name] = data
            self._by_files[key] = name
        return name

    def _replace(self, html: str, pattern: re.Pattern, kind: str, tag: str) -> str:
        """One tag for the run of asset tags; unchanged unless they are two or more and side by side (nothing but
        white space between them: bundling never moves a file past another script or stylesheet)."""
        found = list(pattern.finditer(html))
        if len(found) < 2 or any(html[a.end():b.start()].strip() for a, b in zip(found, found[1:])):
            return html
        name = self._bundle(kind, [m.group("name") for m in found])
        if name is None:
            return html
        url = f"{found[0].group('prefix')}{self.url_prefix}{name}"
        return html[:found[0].start()] + tag.format(url=url) + html[found[-1].end():]

    def rewrite(self, css: str, scripts: str) -> tuple[str, str]:
        """The index page's stylesheet and script tags with the asset files' tags replaced by one bundle each."""
        css = self._replace(css, _LINK, "css", '<link rel="stylesheet" href="{url}">')
        scripts = self._replace(scripts, _SCRIPT, "js", '<script src="{url}"></script>')
        return css, scripts

    def get(self, name: str) -> tuple[bytes, str] | None:
        data = self._data.get(name)
        if data is None:
            return None
        return data, MIMETYPES[name.rsplit(".", 1)[-1]]
