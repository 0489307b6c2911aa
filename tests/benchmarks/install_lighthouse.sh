#!/usr/bin/env bash
# Install the pinned Lighthouse (npm) outside the git-tracked files, for tests/benchmarks/lighthouse.py:
# <repo>/.cache/lighthouse/node_modules/lighthouse (a prefix of its own, apart from the tests' axe-core in
# .cache/node: Lighthouse brings its own axe-core). Idempotent: nothing to do when the pinned version is there.
# 12.2.3: the newest release that runs on Debian's Node 20 (Lighthouse 13 needs Node 22).
set -euo pipefail
LIGHTHOUSE_VERSION="${LIGHTHOUSE_VERSION:-12.2.3}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$REPO/.cache/lighthouse"
PKG="$PREFIX/node_modules/lighthouse/package.json"
if [ -f "$PKG" ] && [ -x "$PREFIX/node_modules/.bin/lighthouse" ] \
   && grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" "$PKG"; then
  exit 0
fi
mkdir -p "$PREFIX"
npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$PREFIX" "lighthouse@$LIGHTHOUSE_VERSION" >&2
test -x "$PREFIX/node_modules/.bin/lighthouse"
