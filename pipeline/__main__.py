"""Command line: python -m pipeline build [--raw DIR] [--out DIR]"""
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
    args = p.parse_args(argv)
    try:
        build(args.raw, args.out)
    except PipelineError as exc:
        print(f"FEIL: {exc}", file=sys.stderr)
        print("data/ er ikke endret.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
