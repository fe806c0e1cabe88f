#!/usr/bin/env bash
# Builds the web UI (ui/) into ui/dist, which the server serves (--ui-dir).
#
# `npm ci` installs exactly what ui/package-lock.json locks. It starts from an empty node_modules
# each time (about a minute here), so it is skipped while node_modules was installed from this
# very lock (a stamp of the lock's hash).
set -euo pipefail
cd "$(dirname "$0")/../ui"
stamp=node_modules/.clientele-lock.sha256
if ! sha256sum --check --status "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
fi
npm run build --silent
