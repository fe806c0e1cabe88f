#!/usr/bin/env bash
# Installs the Debian 12 packages Clientele builds, runs and tests with. Safe to run again: it
# only calls apt-get when something is missing.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libicu-dev iso-codes libkainjow-mustache-dev
  libphonenumber8 libprotobuf-dev libabsl-dev libgd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # tests and benchmarks
  python3 python3-pytest python3-requests python3-yaml python3-jsonschema python3-pil curl wrk
  # the PostgreSQL backend's tests start a private cluster of their own
  postgresql-15 postgresql-contrib
  # the scale-out test: nginx in front of three instances (deploy/local-cluster.sh)
  nginx
  # browser tests: Debian's Chromium, driven by playwright-core (ui/e2e)
  chromium
)
# The web UI builds with Node.js and npm: Debian's, unless the machine has its own already.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# libphonenumber's headers. Debian 12's libphonenumber-dev cannot be installed: it depends on
# libboost-thread-dev (Boost 1.74), which conflicts with the Boost 1.81 packages above, although
# the library itself (libphonenumber8) uses no Boost. So the headers of the -dev package of the
# same version are unpacked into /usr/local/include, and the build links libphonenumber.so.8.
phonenumber_headers=/usr/local/include/phonenumbers
phonenumber_version=$(dpkg-query -W -f='${Version}' libphonenumber8)
if [ "$(cat "$phonenumber_headers/.version" 2>/dev/null)" != "$phonenumber_version" ]; then
  echo "unpacking the headers of libphonenumber-dev $phonenumber_version"
  download=$(mktemp -d)
  chmod 777 "$download"  # apt-get download runs as the _apt user where it can
  (cd "$download" && apt-get download -qq "libphonenumber-dev=$phonenumber_version")
  dpkg-deb -x "$download"/libphonenumber-dev_*.deb "$download/root"
  $sudo rm -rf "$phonenumber_headers"
  $sudo cp -r "$download/root/usr/include/phonenumbers" "$phonenumber_headers"
  echo "$phonenumber_version" | $sudo tee "$phonenumber_headers/.version" >/dev/null
  rm -rf "$download"
fi
