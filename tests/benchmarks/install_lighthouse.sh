#!/usr/bin/env bash
# Install the pinned Lighthouse (npm) outside the git-tracked files, for tests/benchmarks/lighthouse.py:
# <repo>/.cache/lighthouse/node_modules/lighthouse (a prefix of its own, apart from the tests' axe-core in
# .cache/node: Lighthouse brings its own axe-core). Idempotent (tests/npm_pinned.sh).
# 12.2.3: the newest release that runs on Debian's Node 20 (Lighthouse 13 needs Node 22).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../npm_pinned.sh" lighthouse lighthouse "${LIGHTHOUSE_VERSION:-12.2.3}" cli/index.js
