#!/usr/bin/env bash
# Builds the web UI (ui/) into ui/dist, which the server serves (--ui-dir).
#
# `npm install` with the committed ui/package-lock.json installs exactly the locked versions (and
# leaves the lock as it is). Not `npm ci`: npm 11's `ci` refuses a lock that lacks entries for
# Rollup's native packages of other platforms, which npm itself does not write into the lock on
# Linux (npm/cli#4828, #9083).
set -euo pipefail
cd "$(dirname "$0")/../ui"
npm install --no-audit --no-fund --loglevel=error
npm run build --silent
