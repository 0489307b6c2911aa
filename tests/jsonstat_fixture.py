"""FIXTURE builder shared by the pipeline tests of the online build (tests/pipeline/test_ssb_api.py: the fake HTTP
layer; tests/pipeline/test_online_fixture_server.py: the local server in SSB's format): a JSON-stat2 dataset in
the layout SSB's PxWebApi v2 returns (checked against the real 07459 sample in raw/). Hand-made, labelled
«FIXTURE (ikke SSB-data)»; never flows into data/."""
from __future__ import annotations

from typing import Mapping, Sequence


def jsonstat_dataset(table: str, dims: Sequence[tuple[str, str, Mapping[str, str], bool]], values=None,
                     status: Mapping[str, str] | None = None, *, source: str, updated: str,
                     decimals: int) -> dict:
    """``dims``: (dimension id, its label, {value code: its label} in order, elimination allowed). Without
    ``values``: the table's metadata (no value/status)."""
    doc = {"version": "2.0", "class": "dataset", "label": f"{table}: FIXTURE (ikke SSB-data)",
           "source": source, "updated": updated,
           "id": [d[0] for d in dims], "size": [len(d[2]) for d in dims],
           "dimension": {i: {"label": lab, "category": {"index": {c: n for n, c in enumerate(codes)},
                                                         "label": dict(codes)},
                             "extension": {"elimination": el}} for i, lab, codes, el in dims},
           "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
           "extension": {"px": {"tableid": table, "decimals": decimals}}}
    if values is not None:
        doc["value"] = list(values)
        if status:
            doc["status"] = dict(status)
    return doc


def send_json(handler, code: int, body: bytes) -> None:
    """Answer an http.server request the way SSB's API does: status, JSON content type, length, body."""
    handler.send_response(code)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released): a connection to it is refused."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
