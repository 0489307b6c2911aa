#!/usr/bin/env bash
# Install the pinned axe-core (npm) outside the git-tracked files: <repo>/.cache/node/node_modules/axe-core.
# Idempotent: does nothing when the pinned version is already there. Used by tests/a11y (fixture) and CI.
set -euo pipefail
AXE_VERSION="${AXE_VERSION:-4.14.1}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="$REPO/.cache/node"
PKG="$PREFIX/node_modules/axe-core/package.json"
if [ -f "$PKG" ] && [ -f "$PREFIX/node_modules/axe-core/axe.min.js" ] \
   && grep -q "\"version\": \"$AXE_VERSION\"" "$PKG"; then
  exit 0
fi
mkdir -p "$PREFIX"
npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$PREFIX" "axe-core@$AXE_VERSION" >&2
test -f "$PREFIX/node_modules/axe-core/axe.min.js"
