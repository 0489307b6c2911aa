"""Bulk downloads (issue 14): the /data/v1/… routes and the «Last ned data» list on «Om dataene».

    /data/v1/<table>.csv, /data/v1/<table>.schema.json      every table of data/ and its data dictionary
    /data/v1/geo/<name>.geojson, …/geo/<name>.schema.json   the map geometry as it is, and its properties
    /data/v1/indikator/<id>.json                             JSON-stat 2.0 per indicator (one dataset per level)
    /data/v1/README.md, /data/v1/manifest.json               data/README.md and the build report, as they are
    /data/v1/README.txt, LICENSE.txt, SHA256SUMS             about the files, licences, checksums
    /data/v1/omsorgsatlas-data.zip                           everything above in one file
    /data/v1/index.json (also /data/v1/)                     every file with URL, size, sha256, licences

Formats and the dictionary: components/downloads.py. Everything is derived from data/ (the single source)
the first time any of it is needed, and written once per data version and code version into a folder
(``$OMSORGSATLAS_DOWNLOADS_DIR``, default ``<tmp>/omsorgsatlas-downloads/<key>``) that every worker process
shares: a build takes ~15 s and ~100 MB of memory once, then each request is a file sent from disk. A file
lock keeps two workers from building at the same time; the folder appears atomically (rename), so a
half-written set is never served. Responses: ETag = data version + code version, ``Cache-Control: public,
max-age=86400``, conditional requests (304) and ranges; a ``Link`` header points to the licence and the
file's dictionary. Unknown names: 404 with a short message (JSON for .json paths) naming index.json; a
failed build: 503 with a message; never a traceback.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
from dash import Input, Output, callback
from flask import Response, jsonify, send_file

import store
from store._memo import OncePerKey
from callbacks._cache import CODE_VERSION
from components.htmlblock import static_html
from components import downloads as dl
from components.i18n import _, pick, use_lang

log = logging.getLogger("omsorgsatlas.downloads")

PREFIX = dl.PREFIX
MAX_AGE = 86400
STALE_AFTER_S = 3600  # other versions' folders older than this are removed after a build


@dataclass(frozen=True)
class Bundle:
    key: str
    root: Path
    entries: tuple[dict, ...]
    by_path: dict


_BUNDLES: OncePerKey[Bundle] = OncePerKey(latest_only=True)


def cache_root() -> Path:
    return Path(os.environ.get("OMSORGSATLAS_DOWNLOADS_DIR") or Path(tempfile.gettempdir()) / "omsorgsatlas-downloads")


def bundle_key() -> str:
    return f"{store.version()}-{CODE_VERSION}"


# ------------------------------------------------------------------------------------------ the file set
def expected_paths() -> set[str]:
    """Every path the bundle holds, known without building it (to answer 404s cheaply)."""
    paths = {dl.ZIP_NAME, dl.SUMS_NAME, dl.INDEX_NAME, "README.txt", "LICENSE.txt"}
    for rel in store.data_files():
        if rel.endswith(".parquet"):
            name = rel[:-len(".parquet")]
            paths |= {f"{name}.csv", f"{name}.schema.json"}
        elif rel.endswith(".geojson"):
            paths |= {rel, rel[:-len(".geojson")] + ".schema.json"}
        else:
            paths.add(rel)
    cat = store.catalog()
    paths |= {f"indikator/{i}.json" for i in cat.index
              if any(store.years(i, lvl) for lvl in ("country", "county", "municipality"))}
    return paths


def build_files() -> tuple[dict[str, bytes], list[dict]]:
    """Every downloadable file (path -> bytes) and its index entries, derived from data/ now."""
    from callbacks.exports import indicator_dataset  # the exporter of /eksport/indikator/<id>.json

    manifest = store.manifest()
    files: dict[str, bytes] = {}
    meta: dict[str, dict] = {}
    sources = store.data_files()
    readme_text = sources["README.md"].read_text(encoding="utf-8") if "README.md" in sources else ""
    readme = dl.parse_readme(readme_text)
    titles = dl.file_titles(readme_text)
    date = store.data_date()
    for rel, path in sources.items():
        if rel.endswith(".parquet"):
            name = rel[:-len(".parquet")]
            df = store.table_frame(name)
            schema = pq.read_schema(path)
            arrow = [(f.name, str(f.type)) for f in schema if f.name in df.columns]
            csv_path, schema_path = f"{name}.csv", f"{name}.schema.json"
            files[csv_path] = dl.csv_bytes(df)
            files[schema_path] = dl.pretty_json_bytes(dl.table_dictionary(
                name, arrow, readme, manifest, rows=len(df), path=f"{PREFIX}/{csv_path}"))
            meta[csv_path] = {"kind": "csv", "title": titles.get(rel, ""), "rows": int(len(df)),
                              "schema": schema_path, "licenses": dl.provenance(name, manifest)["licenses"]}
            meta[schema_path] = {"kind": "schema", "title": f"data dictionary of {csv_path}"}
        elif rel.endswith(".geojson"):
            data = path.read_bytes()
            fc = json.loads(data)
            props = list(dict.fromkeys(k for f in fc["features"] for k in f.get("properties") or {}))
            name = rel[len("geo/"):-len(".geojson")]
            schema_path = f"geo/{name}.schema.json"
            files[rel] = data
            files[schema_path] = dl.pretty_json_bytes(dl.geo_dictionary(
                name, props, readme, manifest, features=len(fc["features"]), path=f"{PREFIX}/{rel}"))
            meta[rel] = {"kind": "geojson", "title": titles.get(rel, titles.get("geo/*.geojson", "")),
                         "rows": len(fc["features"]), "schema": schema_path,
                         "licenses": dl.provenance(f"geo/{name}", manifest)["licenses"]}
            meta[schema_path] = {"kind": "schema", "title": f"data dictionary of {rel}"}
        else:
            files[rel] = path.read_bytes()
            meta[rel] = {"kind": "text" if rel.endswith(".md") else "json", "title": titles.get(rel, rel)}
    with use_lang("nb"):  # stable bytes whatever the visitor's language (bokmål labels; English in catalog.csv)
        cat = store.catalog()
        for ind_id in cat.index:
            datasets = []
            for level in ("country", "county", "municipality"):
                if store.years(ind_id, level):
                    ds = indicator_dataset([ind_id], level)
                    ds["updated"] = date.isoformat()  # the data's date, not today's: same data, same bytes
                    datasets.append(ds)
            if datasets:
                path = f"indikator/{ind_id}.json"
                files[path] = dl.json_bytes(dl.indicator_collection(ind_id, str(cat.at[ind_id, "name_nb"]), datasets,
                                                                    date))
                meta[path] = {"kind": "jsonstat", "title": str(cat.at[ind_id, "name_nb"]),
                              "licenses": [{"name": str(cat.at[ind_id, "licence"])}]}
    files["LICENSE.txt"] = dl.licence_text(manifest).encode("utf-8")
    meta["LICENSE.txt"] = {"kind": "text", "title": "sources, licences, credit"}
    sizes = {p: len(b) for p, b in files.items()}
    files["README.txt"] = dl.readme_text(sizes, data_version=store.version(), date=date).encode("utf-8")
    meta["README.txt"] = {"kind": "text", "title": "about the files"}
    inner_sums = dl.sha256sums(files)
    zipped = dl.zip_bytes({**files, dl.SUMS_NAME: inner_sums}, date)
    files[dl.ZIP_NAME] = zipped
    meta[dl.ZIP_NAME] = {"kind": "zip", "title": "all files"}
    # the served SHA256SUMS = the one inside the zip + the zip's own line
    files[dl.SUMS_NAME] = inner_sums + f"{dl.sha256(zipped)}  {dl.ZIP_NAME}\n".encode("utf-8")
    meta[dl.SUMS_NAME] = {"kind": "text", "title": "sha256 of every file"}
    entries = [{"path": p, "url": f"{PREFIX}/{p}", "bytes": len(files[p]), "sha256": dl.sha256(files[p]),
                "mediatype": dl.media_type(p), **meta.get(p, {})} for p in sorted(files)]
    index = {"version": dl.API_VERSION, "data_version": store.version(), "updated": date.isoformat(),
             "base": PREFIX, "credit": dl.CREDIT, "files": entries}
    files[dl.INDEX_NAME] = dl.pretty_json_bytes(index)
    return files, entries


def _write(root: Path) -> None:
    """Build into a temporary folder beside ``root`` and rename it into place (atomic)."""
    t0 = time.monotonic()
    files, _entries = build_files()
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        for rel, data in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.rename(tmp, root)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (root / dl.INDEX_NAME).is_file():
            raise
    log.info("nedlastinger bygget i %s (%.1f s, %d filer)", root, time.monotonic() - t0, len(files))
    _remove_stale(root)


def _remove_stale(keep: Path) -> None:
    now = time.time()
    for p in keep.parent.iterdir():
        if p != keep and p.is_dir() and now - p.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(p, ignore_errors=True)


def bundle() -> Bundle:
    """The file set of the loaded data version (built on first use, shared by the worker processes)."""
    return _BUNDLES.get(bundle_key(), _open_bundle)


def _open_bundle() -> Bundle:
    key = bundle_key()
    parent = cache_root()
    parent.mkdir(parents=True, exist_ok=True)
    root = parent / key
    if not (root / dl.INDEX_NAME).is_file():
        with open(parent / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building the same set
            try:
                if not (root / dl.INDEX_NAME).is_file():
                    _write(root)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    entries = tuple(json.loads((root / dl.INDEX_NAME).read_bytes())["files"])
    return Bundle(key=key, root=root, entries=entries, by_path={e["path"]: e for e in entries})


# ------------------------------------------------------------------------------------------------ routes
def _not_found(name: str):
    msg = _("Fant ikke «{name}» blant nedlastingene. Se {index} for alle filene.").format(
        name=name[:80], index=f"{PREFIX}/{dl.INDEX_NAME}")
    if name.endswith(".json"):
        resp = jsonify({"error": msg, "index": f"{PREFIX}/{dl.INDEX_NAME}"})
        resp.status_code = 404
    else:
        resp = Response(msg + "\n", status=404, mimetype="text/plain")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def serve(name: str):
    name = name or dl.INDEX_NAME
    try:
        if name not in expected_paths():
            return _not_found(name)
        b = bundle()
        if not (b.root / dl.INDEX_NAME).is_file():  # the shared folder was cleaned meanwhile: build again
            _BUNDLES.clear()
            b = bundle()
    except Exception as exc:  # noqa: BLE001 - a failed build is a 503 with a message, never a traceback
        log.error("Nedlasting feilet (%s): %s", name, exc, exc_info=(type(exc), exc, exc.__traceback__))
        resp = Response(_("Nedlastingene er ikke tilgjengelige akkurat nå. Prøv igjen senere.") + "\n", status=503,
                        mimetype="text/plain")
        resp.headers["Cache-Control"] = "no-store"
        return resp
    entry = b.by_path.get(name) if name != dl.INDEX_NAME else {"mediatype": "application/json"}
    if entry is None:
        return _not_found(name)
    resp = send_file(b.root / name, mimetype=entry["mediatype"], as_attachment=name != dl.INDEX_NAME,
                     download_name=name.rsplit("/", 1)[-1], etag=b.key, conditional=True, max_age=MAX_AGE,
                     last_modified=None)
    resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    links = [f'<{PREFIX}/LICENSE.txt>; rel="license"']
    if entry.get("schema"):
        links.append(f'<{PREFIX}/{entry["schema"]}>; rel="describedby"')
    resp.headers["Link"] = ", ".join(links)
    return resp


def register(server) -> None:
    """Add the download routes to the Flask server (app.py calls this once)."""
    if "oa_data_download" in server.view_functions:
        return
    server.add_url_rule(PREFIX + "/", "oa_data_index", lambda: serve(dl.INDEX_NAME), methods=["GET"])
    server.add_url_rule(PREFIX + "/<path:name>", "oa_data_download", serve, methods=["GET"])


# ---------------------------------------------------------------------------------------------- page
@callback(Output("downloads-list", "children"), Input("downloads-list", "id"))
def downloads_list(_id):
    """Fills «Last ned data» after the page has loaded (the first build of the files takes seconds)."""
    try:
        names = {f"indikator/{i}.json": pick(row, "name") for i, row in store.catalog().iterrows()}
        # plain links and a table: one pre-rendered block (as ~1 100 Dash components the browser spent ~1.5 s of
        # main thread rendering the answer, ~5 s on a slow phone)
        return static_html(dl.section(bundle().entries, titles=names))
    except Exception as exc:  # noqa: BLE001
        log.error("Nedlastingslisten feilet: %s", exc, exc_info=(type(exc), exc, exc.__traceback__))
        return dl.unavailable()
