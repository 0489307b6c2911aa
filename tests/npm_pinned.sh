#!/usr/bin/env bash
# Install one pinned npm package outside the git-tracked files, into <repo>/.cache/<prefix>/node_modules.
# Idempotent: nothing to do when the pinned version is there and FILE (relative to the package folder) exists.
#   bash tests/npm_pinned.sh PREFIX PACKAGE VERSION FILE
# Used by tests/a11y/install_axe.sh and tests/benchmarks/install_lighthouse.sh (and so by CI).
set -euo pipefail
PREFIX_NAME="$1" PACKAGE="$2" VERSION="$3" FILE="$4"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$REPO/.cache/$PREFIX_NAME"
PKG_DIR="$PREFIX/node_modules/$PACKAGE"
if [ -f "$PKG_DIR/package.json" ] && [ -e "$PKG_DIR/$FILE" ] \
   && grep -q "\"version\": \"$VERSION\"" "$PKG_DIR/package.json"; then
  exit 0
fi
mkdir -p "$PREFIX"
npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$PREFIX" "$PACKAGE@$VERSION" >&2
test -e "$PKG_DIR/$FILE"
