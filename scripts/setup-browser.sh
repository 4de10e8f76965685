#!/usr/bin/env bash
# Install what the browser tests need: Debian's chromium, Playwright's Python package (its wheel ships the
# driver; `playwright install` is never run, the tests launch /usr/bin/chromium) and axe-core from npm.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
    "$PYTHON" -m pip install -q "playwright>=1.40"
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    if [ -f package-lock.json ]; then
        npm ci --silent --no-audit --no-fund
    else
        npm install --silent --no-audit --no-fund
    fi
fi
