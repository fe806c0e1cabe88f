#!/usr/bin/env bash
# Builds the web UI (ui/) into ui/dist, which the server serves (--ui-dir). npm ci installs
# exactly what ui/package-lock.json records, from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/../ui"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
