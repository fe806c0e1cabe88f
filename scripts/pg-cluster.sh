#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for tests, on a free loopback port, in a directory of its own.
#   scripts/pg-cluster.sh start DIR   initialises and starts it; prints its URL (postgres://...)
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR
#   scripts/pg-cluster.sh halt DIR    stops the server, keeping its data (a failure, for tests)
#   scripts/pg-cluster.sh resume DIR  starts a halted server again on the same port
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory}
bin=/usr/lib/postgresql/15/bin
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi

start_server() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
    "-p $1 -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" \
    start > /dev/null
}

case "$action" in
start)
  install -d -m 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log"
  # fsync stays on: the tests check durability claims, and the suite is small.
  start_server "$port"
  echo "$port" > "$dir/port"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || true
  fi
  rm -rf "$dir"
  ;;
halt)
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null
  ;;
resume)
  start_server "$(cat "$dir/port")"
  ;;
*)
  echo "usage: $0 start|stop|halt|resume DIR" >&2
  exit 2
  ;;
esac
