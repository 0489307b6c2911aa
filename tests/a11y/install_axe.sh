#!/usr/bin/env bash
# Install the pinned axe-core (npm) outside the git-tracked files: <repo>/.cache/node/node_modules/axe-core.
# Idempotent (tests/npm_pinned.sh). Used by tests/a11y (fixture) and CI.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../npm_pinned.sh" node axe-core "${AXE_VERSION:-4.14.1}" axe.min.js
