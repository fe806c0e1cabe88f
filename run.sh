#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running Clientele: installs the packages, builds
# the server and the web UI, creates the database with demo customers (DEMO_CUSTOMERS, 10,000),
# their orders and points (DEMO_ORDERS, 40,000) and an operator login, and serves on
# http://127.0.0.1:8080 (CLIENTELE_LISTEN and CLIENTELE_DB change that).
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build-release --target clientele
scripts/build-ui.sh  # the web UI, served by the server from ui/dist

bin=build-release/server/clientele
db=${CLIENTELE_DB:-data/clientele.db}
login_file="$(dirname "$db")/operator-login.txt"
if [ ! -f "$db" ]; then
  (umask 077 && mkdir -p "$(dirname "$db")")  # the data folder is the server user's only
  password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 16)
  # On standard input, not the command line, which anyone can read in the process list.
  printf '%s\n' "$password" |
    "$bin" create-admin --db "$db" --email admin@example.com --password-stdin --name Operator
  # Orders with them (a few per customer), so profiles show purchase history, value and points.
  "$bin" demo-data --db "$db" --customers "${DEMO_CUSTOMERS:-10000}" --orders "${DEMO_ORDERS:-40000}"
  (umask 077 && printf 'email: admin@example.com\npassword: %s\n' "$password" > "$login_file")
fi
echo
echo "Operator login (kept in $login_file):"
sed 's/^/  /' "$login_file"
echo
exec "$bin" serve --db "$db" --listen "${CLIENTELE_LISTEN:-127.0.0.1:8080}"
