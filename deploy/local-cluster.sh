#!/usr/bin/env bash
# The multi-instance set-up of docs/scaling.md on one machine, all on loopback: a private
# PostgreSQL cluster, three Clientele instances sharing its database, and nginx in front of them
# with deploy/nginx.conf.
#   deploy/local-cluster.sh start DIR [BINARY]   starts it; prints nginx's URL; DIR/cluster.env
#                                                 holds the addresses (NGINX_URL, DB_URL, INSTANCES)
#   deploy/local-cluster.sh stop DIR              stops everything and removes DIR
# BINARY defaults to the release build of ./run.sh. With DB_URL set, the instances use that
# (migrated) database instead of a cluster of their own (bench/run.sh does so).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
action=${1:?start or stop}
dir=${2:?a directory}
bin=${3:-$here/../build-release/server/clientele}
instances=3

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until $1 answers /readyz with 200 (at most 20 s).
wait_ready() {
  for _ in $(seq 200); do
    if curl -fsS -o /dev/null "$1/readyz" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$1 did not become ready" >&2
  return 1
}

stop_all() {
  if [ -f "$dir/nginx/nginx.pid" ]; then
    kill -QUIT "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
  fi
  for pid_file in "$dir"/instance*.pid; do
    [ -f "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
  if [ -d "$dir/pg" ]; then
    "$here/../scripts/pg-cluster.sh" stop "$dir/pg"
  fi
  rm -rf "$dir"
}

case "$action" in
start)
  mkdir -p "$dir"
  if [ -n "${DB_URL:-}" ]; then
    db_url=$DB_URL
  else
    pg_url=$("$here/../scripts/pg-cluster.sh" start "$dir/pg")
    db_url="${pg_url%/*}/clientele"
    psql -q "$pg_url" -c "CREATE DATABASE clientele"
  fi
  "$bin" migrate --db "$db_url" > "$dir/migrate.log" 2>&1

  urls=()
  upstreams=""
  for i in $(seq "$instances"); do
    port=$(free_port)
    "$bin" serve --db "$db_url" --listen "127.0.0.1:$port" --trusted-proxy 127.0.0.1 \
      --no-access-log > "$dir/instance$i.log" 2>&1 &
    echo $! > "$dir/instance$i.pid"
    urls+=("http://127.0.0.1:$port")
    upstreams+="    server 127.0.0.1:$port max_fails=3 fail_timeout=5s;\n"
  done
  for url in "${urls[@]}"; do
    wait_ready "$url"
  done

  # deploy/nginx.conf with these instances and a free port, inside a main configuration of its own
  # (pid, logs and temporary files in DIR), so that no system nginx is touched.
  mkdir -p "$dir/nginx"
  nginx_port=$(free_port)
  awk -v upstreams="$upstreams" -v listen="    listen 127.0.0.1:$nginx_port;" '
    /^    server 127\.0\.0\.1:[0-9]+ / { if (!done) { printf "%s", upstreams; done = 1 } next }
    /^    listen / { print listen; next }
    { print }' "$here/nginx.conf" > "$dir/nginx/clientele.conf"
  cat > "$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $dir/nginx/body;
    proxy_temp_path $dir/nginx/proxy;
    fastcgi_temp_path $dir/nginx/fastcgi;
    uwsgi_temp_path $dir/nginx/uwsgi;
    scgi_temp_path $dir/nginx/scgi;
    include $dir/nginx/clientele.conf;
}
EOF
  nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log"
  wait_ready "http://127.0.0.1:$nginx_port"

  {
    echo "NGINX_URL=http://127.0.0.1:$nginx_port"
    echo "DB_URL=$db_url"
    echo "INSTANCES=\"${urls[*]}\""
    echo "PIDS=\"$(cat "$dir"/instance*.pid | tr '\n' ' ')\""
  } > "$dir/cluster.env"
  echo "http://127.0.0.1:$nginx_port"
  ;;
stop)
  stop_all
  ;;
*)
  echo "usage: $0 start|stop DIR [BINARY]" >&2
  exit 2
  ;;
esac
