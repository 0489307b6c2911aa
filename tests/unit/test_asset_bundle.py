"""asset_bundle.py: the app's CSS and JS as one file each, in Dash's order, at a hash-named URL."""
from __future__ import annotations

import re

import pytest

import app as app_module
from asset_bundle import AssetBundles


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "10-a.css").write_text("body { color: #111; }\n", encoding="utf-8")
    (tmp_path / "20-b.css").write_text("@media print { p { display: none; } }", encoding="utf-8")
    (tmp_path / "05-x.js").write_text("window.first = 1", encoding="utf-8")  # no trailing ";"
    (tmp_path / "30-y.js").write_text("(function () { window.second = window.first + 1; })();", encoding="utf-8")
    return tmp_path


CSS = ('<link rel="stylesheet" href="/vendor/bootstrap.min.css?v=1">\n'
       '<link rel="stylesheet" href="/assets/10-a.css?m=1.5">\n<link rel="stylesheet" href="/assets/20-b.css?m=2.5">')
SCRIPTS = ('<script src="/_dash-component-suites/dash/deps/react.js"></script>\n'
           '<script src="/assets/05-x.js?m=1"></script>\n<script src="/assets/30-y.js?m=2"></script>\n'
           '<script src="/_dash-component-suites/dash/dash-renderer/build/dash_renderer.js"></script>')


def test_one_tag_each_in_place_and_in_order(folder):
    bundles = AssetBundles(folder)
    css, scripts = bundles.rewrite(CSS, SCRIPTS)
    assert "/assets/" not in css and "/assets/" not in scripts
    assert css.startswith('<link rel="stylesheet" href="/vendor/bootstrap.min.css?v=1">')  # Bootstrap stays first
    js_url = re.search(r'src="/bundle/(app-[0-9a-f]{16}\.js)"', scripts).group(1)
    # after React, before the renderer
    assert scripts.index("react.js") < scripts.index(js_url) < scripts.index("dash_renderer.js")
    data, mimetype = bundles.get(js_url)
    assert mimetype == "text/javascript"
    text = data.decode()
    assert text.index("window.first = 1") < text.index("window.second")
    assert "window.first = 1\n;" in text  # a file without a final ";" cannot run into the next one
    css_name = re.search(r'href="/bundle/(app-[0-9a-f]{16}\.css)"', css).group(1)
    data, mimetype = bundles.get(css_name)
    assert mimetype == "text/css" and data.decode().index("color: #111") < data.decode().index("@media print")


def test_changed_file_gets_a_new_name(folder):
    import os
    bundles = AssetBundles(folder)
    before, _ = bundles.rewrite(CSS, "")
    (folder / "20-b.css").write_text("p { margin: 0; }", encoding="utf-8")
    os.utime(folder / "20-b.css", ns=(1, 10**18))
    after, _ = bundles.rewrite(CSS, "")
    assert before != after and "/bundle/app-" in after


def test_left_alone_when_not_side_by_side_missing_or_single(folder):
    bundles = AssetBundles(folder)
    apart = ('<script src="/assets/05-x.js?m=1"></script>\n<script src="/other.js"></script>\n'
             '<script src="/assets/30-y.js?m=2"></script>')
    assert bundles.rewrite("", apart)[1] == apart  # bundling would move 30-y.js before other.js
    missing = '<script src="/assets/05-x.js?m=1"></script><script src="/assets/nope.js?m=1"></script>'
    assert bundles.rewrite("", missing)[1] == missing
    outside = '<script src="/assets/05-x.js?m=1"></script><script src="/assets/../../etc/passwd.js?m=1"></script>'
    assert bundles.rewrite("", outside)[1] == outside
    single = '<script src="/assets/05-x.js?m=1"></script>'
    assert bundles.rewrite("", single)[1] == single
    assert bundles.get("app-0000000000000000.js") is None


def test_the_app_serves_its_bundles_compressed_and_immutable():
    client = app_module.server.test_client()
    page = client.get("/om-dataene").get_data(as_text=True)
    urls = re.findall(r'"(/bundle/app-[0-9a-f]{16}\.(?:css|js))"', page)
    assert len(urls) == 2 and not re.search(r'"/assets/[^"]+\.(css|js)\?m=', page)
    for url in urls:
        resp = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert resp.status_code == 200
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert resp.headers.get("Content-Encoding") == "gzip"
        plain = client.get(url)
        assert plain.headers.get("Content-Encoding") is None
        assert client.get(url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    assert client.get("/bundle/app-0123456789abcdef.js").status_code == 404
    js = client.get(urls[1] if urls[1].endswith(".js") else urls[0]).get_data(as_text=True)
    assert "window.omsorgsatlas.HtmlBlock" in js and "/* 05-htmlblock.js */" in js
