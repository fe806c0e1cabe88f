#!/usr/bin/env bash
# Installs the Debian 12 packages Clientele builds, runs and tests with. Safe to run again: it
# only calls apt-get when something is missing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libicu-dev iso-codes libkainjow-mustache-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests and benchmarks
  python3 python3-pytest python3-requests python3-yaml python3-jsonschema curl wrk
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
