"""Command line: python -m pipeline build [--raw DIR] [--out DIR] [--online | --cache-only] [--refresh]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import DEFAULT_OUT, DEFAULT_RAW, build
from .errors import PipelineError


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m pipeline", description="Bygger data/ fra rådata.")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="bygg data/ fra rådata (offline)")
    b.add_argument("--raw", type=Path, default=DEFAULT_RAW, help=f"rådatamappe (standard {DEFAULT_RAW})")
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"utmappe (standard {DEFAULT_OUT})")
    g = b.add_mutually_exclusive_group()
    g.add_argument("--online", action="store_true",
                   help="hent også SSB-tabellene i pipeline/ssb_tables.toml (PxWebApi v2; mellomlagres)")
    g.add_argument("--cache-only", action="store_true",
                   help="som --online, men bare fra mellomlageret (ingen nettforespørsler)")
    b.add_argument("--refresh", action="store_true", help="med --online: hent på nytt selv om svaret er mellomlagret")
    b.add_argument("--cache-dir", type=Path, default=None, help="mellomlager for SSB-svar (standard .cache/ssb/)")
    b.add_argument("--ssb-config", type=Path, default=None, help="tabellkonfigurasjon (standard pipeline/ssb_tables.toml)")
    args = p.parse_args(argv)
    online = None
    if args.online or args.cache_only:
        from .online import OnlineOptions
        online = OnlineOptions(cache_only=args.cache_only, refresh=args.refresh)
        if args.cache_dir is not None:
            online.cache_dir = args.cache_dir
        if args.ssb_config is not None:
            online.config = args.ssb_config
    try:
        build(args.raw, args.out, online=online)
    except PipelineError as exc:
        print(f"FEIL: {exc}", file=sys.stderr)
        print("data/ er ikke endret.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
