#!/usr/bin/env bash
# Clientele benchmark, end to end. See bench/README.md.
#
# For each database size: fresh database with demo data (timed), an operator and
# an API token, then wrk against hello_server (the ceiling) and against
# `clientele serve` for each scenario. Prints a table per size and appends it,
# in Markdown, to bench/out/results.md.
#
# Settings (environment):
#   SIZES="100000 1000000"  customer counts, one fresh database each
#   CONN=64  DUR=15s        wrk connections and duration (wrk always runs -t1 --latency)
#   WRK_TIMEOUT=10s         wrk --timeout; slower requests count as timeouts
#   ORDERS=2                demo orders per customer (demo-data --orders SIZE*ORDERS); 0: none
#   SCENARIOS="get_customer get_buyer list_page search create push_order update"
#   BUILD_DIR=<repo>/build-release   configured as Release (Ninja) if it is not yet
#   NO_BUILD=1              do not run cmake; use the binaries already there
#   CLT_BIN, HELLO_BIN      explicit paths to the binaries (imply nothing about building)
#   HELLO_THREADS=2         hello_server --threads
#   SERVE_ARGS=""           extra arguments for `clientele serve`
#   KEEP_DB=1               keep each database (default: delete it after its size is done)
#   STARTUP_TIMEOUT=60      seconds a server gets to print `listening on`
#   STORE=sqlite            or postgres: a private PostgreSQL cluster (scripts/pg-cluster.sh) in
#                           the run's folder, a database per size
#   INSTANCES=1             with STORE=postgres, 3 (say) runs that many instances behind nginx
#                           (deploy/local-cluster.sh) and measures through nginx
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)

BUILD_DIR=${BUILD_DIR:-$REPO/build-release}
SIZES=${SIZES:-100000 1000000}
CONN=${CONN:-64}
DUR=${DUR:-15s}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
ORDERS=${ORDERS:-2}
SCENARIOS=${SCENARIOS:-get_customer get_buyer list_page search create push_order update}
HELLO_THREADS=${HELLO_THREADS:-2}
SERVE_ARGS=${SERVE_ARGS:-}
NO_BUILD=${NO_BUILD:-0}
KEEP_DB=${KEEP_DB:-0}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-60}
STORE=${STORE:-sqlite}
INSTANCES=${INSTANCES:-1}

OUT_DIR=$BENCH_DIR/out
RESULTS_MD=$OUT_DIR/results.md
STAMP=$(date -u +%Y%m%d-%H%M%S)
RUN_DIR=$OUT_DIR/run-$STAMP

# ---------------------------------------------------------------- helpers ----

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  printf '\n[bench] FAILED: %s\n' "$*" >&2
  exit 1
}

# Servers this script started; stopped (by pid) on any exit.
PIDS=()
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
cleanup() {
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  PIDS=()
  if [[ -n ${LOCAL_CLUSTER_DIR:-} ]]; then "$REPO/deploy/local-cluster.sh" stop "$LOCAL_CLUSTER_DIR" || true; fi
  if [[ -n ${PG_DIR:-} ]]; then "$REPO/scripts/pg-cluster.sh" stop "$PG_DIR" || true; fi
}
trap cleanup EXIT
trap 'log "SIGINT: stopping"; exit 130' INT
trap 'log "SIGTERM: stopping"; exit 143' TERM

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed"; }

# "15s" / "2m" / "1h" / "15" -> seconds
dur_seconds() {
  local d=$1
  case $d in
    *ms) echo 1 ;;
    *s) echo "${d%s}" ;;
    *m) echo $((${d%m} * 60)) ;;
    *h) echo $((${d%h} * 3600)) ;;
    *) echo "$d" ;;
  esac
}

now() { date +%s.%N; }

# How busy all CPUs are over one second, in percent (from /proc/stat).
cpu_busy_pct() {
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat 2>/dev/null) || { echo "?"; return; }
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat 2>/dev/null) || { echo "?"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    busy = y[1] - x[1]; idle = y[2] - x[2]
    if (busy + idle > 0) printf "%.0f", 100 * busy / (busy + idle); else print "?"
  }'
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Peak resident set size: VmHWM from /proc. Writing 5 to clear_refs resets the
# peak to the current RSS (Linux >= 4.0), which gives a peak per scenario;
# where that is not allowed the figure is the peak since the server started.
RSS_MODE=per-scenario
reset_peak_rss() {
  if ! { echo 5 >"/proc/$1/clear_refs"; } 2>/dev/null; then
    RSS_MODE="cumulative (since server start)"
  fi
}
peak_rss_mib() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "?" }' \
    "/proc/$1/status" 2>/dev/null || echo "?"
}
# RssAnon: the heap and stacks alone. VmRSS/VmHWM also count the pages of the database file
# that SQLite reads through mmap, which the OS page cache holds anyway.
anon_rss_mib() {
  awk '/^RssAnon:/ { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "?" }' \
    "/proc/$1/status" 2>/dev/null || echo "?"
}
rss_mib() {
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024; found = 1 } END { if (!found) print "?" }' \
    "/proc/$1/status" 2>/dev/null || echo "?"
}

# start_server NAME LOGFILE CMD... : runs CMD in the background, waits for the
# `listening on http://HOST:PORT` line; sets SERVER_PID and SERVER_URL.
start_server() {
  local name=$1 logfile=$2
  shift 2
  local launcher=()
  # Line-buffer stdio in case the server's stdout is block-buffered into the file.
  command -v stdbuf >/dev/null 2>&1 && launcher=(stdbuf -oL -eL)
  "${launcher[@]}" "$@" >"$logfile" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local deadline=$((SECONDS + STARTUP_TIMEOUT)) line=""
  while :; do
    line=$(grep -a -m1 -o 'listening on http://[^[:space:]]*' "$logfile" 2>/dev/null || true)
    [[ -n $line ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null && rc=0 || rc=$?
      forget_pid "$SERVER_PID"
      printf '%s\n' "--- last lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2 || true
      die "$name exited (status $rc) before printing 'listening on'. Command: $*"
    fi
    if ((SECONDS >= deadline)); then
      printf '%s\n' "--- last lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2 || true
      die "$name did not print 'listening on http://HOST:PORT' within ${STARTUP_TIMEOUT}s. Command: $*"
    fi
    sleep 0.1
  done
  SERVER_URL=${line#listening on }
  SERVER_URL=${SERVER_URL%/}
  log "$name is up at $SERVER_URL (pid $SERVER_PID)"
}

assert_alive() { # PID NAME LOGFILE WHEN
  if ! kill -0 "$1" 2>/dev/null; then
    tail -n 30 "$3" >&2 || true
    die "$2 (pid $1) died $4; its log: $3"
  fi
}

# http_status URL [curl args...] -> prints the status code (000 if no answer)
http_status() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@" "$url" || true
}

# Result rows for the size being run (parallel arrays).
ROW_NAME=() ROW_RPS=() ROW_P50=() ROW_P99=() ROW_RSS=() ROW_ERR=() ROW_SOCK=()

# run_wrk NAME SCRIPT URL PID SERVERLOG [script args...]
run_wrk() {
  local name=$1 script=$2 url=$3 pid=$4 serverlog=$5
  shift 5
  local out=$SIZE_DIR/wrk-$name.txt
  local limit=$(($(dur_seconds "$DUR") + 120))
  reset_peak_rss "$pid"
  log "wrk $name: -t1 -c$CONN -d$DUR against $url"
  local rc=0
  TOKEN=${TOKEN_VALUE:-} N=$SIZE IDS=${IDS_FILE:-} timeout --foreground "$limit" \
    wrk -t1 -c"$CONN" -d"$DUR" --timeout "$WRK_TIMEOUT" --latency -s "$BENCH_DIR/$script" \
    "$url" -- "$@" >"$out" 2>&1 || rc=$?
  local rss
  rss=$(peak_rss_mib "$pid")
  assert_alive "$pid" "$name's server" "$serverlog" "during the $name run"
  ((rc == 0)) || { cat "$out" >&2; die "wrk failed for $name (status $rc); output in $out"; }
  local line
  line=$(grep -a '^RESULT ' "$out" | tail -n1 || true)
  [[ -n $line ]] || { cat "$out" >&2; die "no RESULT line from wrk for $name; output in $out"; }
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  ROW_NAME+=("$name")
  ROW_RPS+=("$(field rps)")
  ROW_P50+=("$(field p50_ms)")
  ROW_P99+=("$(field p99_ms)")
  ROW_RSS+=("$rss")
  ROW_ERR+=("$(field errors)")
  ROW_SOCK+=("$(field socket_errors)/$(field timeouts)")
  local errs
  errs=$(field errors)
  if [[ $errs != 0 ]]; then
    log "WARNING: $name had $errs responses with status >= 400 (of $(field requests))"
  fi
  printf '%s\n' "$line" >&2
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "-" }'; }

print_table() { # to stdout, aligned
  local i hello=${ROW_RPS[0]}
  printf '%-14s %10s %9s %9s %13s %11s %8s %12s\n' \
    scenario "req/s" "p50 ms" "p99 ms" "peak RSS MiB" "% of hello" "4xx/5xx" "sock/timeout"
  for i in "${!ROW_NAME[@]}"; do
    printf '%-14s %10s %9s %9s %13s %11s %8s %12s\n' \
      "${ROW_NAME[$i]}" "${ROW_RPS[$i]}" "${ROW_P50[$i]}" "${ROW_P99[$i]}" "${ROW_RSS[$i]}" \
      "$(pct "${ROW_RPS[$i]}" "$hello")" "${ROW_ERR[$i]}" "${ROW_SOCK[$i]}"
  done
}

print_markdown() {
  local i hello=${ROW_RPS[0]}
  echo "| scenario | req/s | p50 ms | p99 ms | peak RSS MiB | % of hello | 4xx/5xx | socket errors / timeouts |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for i in "${!ROW_NAME[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
      "${ROW_NAME[$i]}" "${ROW_RPS[$i]}" "${ROW_P50[$i]}" "${ROW_P99[$i]}" "${ROW_RSS[$i]}" \
      "$(pct "${ROW_RPS[$i]}" "$hello")" "${ROW_ERR[$i]}" "${ROW_SOCK[$i]}"
  done
}

# ------------------------------------------------------------------ build ----

need wrk
need awk
need timeout
HAVE_CURL=1
command -v curl >/dev/null 2>&1 || HAVE_CURL=0

for s in $SCENARIOS; do
  [[ -f $BENCH_DIR/$s.lua ]] || die "unknown scenario '$s' (no bench/$s.lua)"
done

if [[ $NO_BUILD != 1 && -z ${CLT_BIN:-} && -z ${HELLO_BIN:-} ]]; then
  need cmake
  if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    log "configuring $BUILD_DIR (Release)"
    cmake -S "$REPO" -B "$BUILD_DIR" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >&2 ||
      die "cmake configure failed"
  else
    bt=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")
    [[ $bt == Release ]] || log "WARNING: $BUILD_DIR is configured as '$bt', not Release"
  fi
  log "building clientele and hello_server in $BUILD_DIR"
  cmake --build "$BUILD_DIR" --target clientele hello_server >&2 || die "build failed"
fi

find_bin() { # NAME DEFAULT
  if [[ -x $2 ]]; then
    echo "$2"
  elif [[ -d $BUILD_DIR ]]; then
    find "$BUILD_DIR" -type f -name "$1" -perm -u+x 2>/dev/null | head -n1
  fi
}
CLT=${CLT_BIN:-$(find_bin clientele "$BUILD_DIR/server/clientele")}
HELLO=${HELLO_BIN:-$(find_bin hello_server "$BUILD_DIR/bench/hello_server")}
[[ -n $CLT && -x $CLT ]] || die "no clientele binary (looked in $BUILD_DIR; set CLT_BIN)"
[[ -n $HELLO && -x $HELLO ]] || die "no hello_server binary (looked in $BUILD_DIR; set HELLO_BIN)"

# ---------------------------------------------------------------- context ----

mkdir -p "$RUN_DIR"
CORES=$(nproc)
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ -n $(git -C "$REPO" status --porcelain 2>/dev/null | head -n1) ]]; then
  COMMIT="$COMMIT + uncommitted changes"
fi
SHARE_NOTE="wrk (1 thread) and the servers run on the same ${CORES}-core machine and compete for its cores: absolute req/s are lower than with a separate load generator; compare scenarios with each other and with hello."

log "clientele:    $CLT"
log "hello_server: $HELLO"
log "output:       $RUN_DIR"
log "sizes: $SIZES; wrk -t1 -c$CONN -d$DUR --timeout $WRK_TIMEOUT; scenarios: $SCENARIOS"
log "NOTE: $SHARE_NOTE"

if [[ ! -f $RESULTS_MD ]]; then
  printf '# Clientele benchmark results\n\nAppended by bench/run.sh; see bench/README.md for how to read them.\n' >"$RESULTS_MD"
fi

SUMMARY=""

[[ $STORE == sqlite || $STORE == postgres ]] || die "STORE is sqlite or postgres, not '$STORE'"
[[ $INSTANCES == 1 || $STORE == postgres ]] || die "INSTANCES > 1 needs STORE=postgres"
if [[ $STORE == postgres ]]; then
  PG_DIR=$(mktemp -d /tmp/clientele-bench-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  PG_URL=$("$REPO/scripts/pg-cluster.sh" start "$PG_DIR/pg") || die "cannot start PostgreSQL"
  PG_DIR=$PG_DIR/pg
  log "PostgreSQL at $PG_URL; $INSTANCES instance(s)"
fi

# ------------------------------------------------------------------ sizes ----

for SIZE in $SIZES; do
  [[ $SIZE =~ ^[0-9]+$ && $SIZE -gt 0 ]] || die "bad size '$SIZE'"
  SIZE_DIR=$RUN_DIR/size-$SIZE
  DB_DIR=$SIZE_DIR/db
  DB=$DB_DIR/clientele.db
  mkdir -p "$DB_DIR"
  if [[ $STORE == postgres ]]; then
    psql -q "$PG_URL" -c "CREATE DATABASE bench_$SIZE" || die "cannot create the database"
    DB=${PG_URL%/*}/bench_$SIZE
  fi
  ROW_NAME=() ROW_RPS=() ROW_P50=() ROW_P99=() ROW_RSS=() ROW_ERR=() ROW_SOCK=()

  log "=== size $SIZE: database $DB"
  BUSY=$(cpu_busy_pct)
  if [[ $BUSY != "?" ]] && ((${BUSY%.*} >= 10)); then
    log "WARNING: the CPUs are ${BUSY}% busy before any server runs: something else is using them, expect lower, noisier figures"
  fi
  "$CLT" migrate --db "$DB" >"$SIZE_DIR/migrate.log" 2>&1 ||
    { cat "$SIZE_DIR/migrate.log" >&2; die "clientele migrate failed"; }

  [[ $ORDERS =~ ^[0-9]+$ ]] || die "ORDERS is a number of orders per customer, not '$ORDERS'"
  SIZE_ORDERS=$((SIZE * ORDERS))
  log "demo-data: $SIZE customers, $SIZE_ORDERS orders"
  t0=$(now)
  orders_arg=()  # none at 0: a binary from before demo-data had --orders runs too
  ((SIZE_ORDERS == 0)) || orders_arg=(--orders "$SIZE_ORDERS")
  "$CLT" demo-data --db "$DB" --customers "$SIZE" "${orders_arg[@]}" >"$SIZE_DIR/demo-data.log" 2>&1 ||
    { tail -n 30 "$SIZE_DIR/demo-data.log" >&2; die "clientele demo-data failed"; }
  t1=$(now)
  DEMO_SECS=$(elapsed "$t0" "$t1")
  if [[ $STORE == postgres ]]; then
    DB_MIB=$(psql -At "$DB" -c "SELECT pg_database_size(current_database()) / 1048576")
  else
    DB_MIB=$(du -sm "$DB_DIR" | awk '{ print $1 }')
  fi
  log "demo-data took ${DEMO_SECS}s; database dir ${DB_MIB} MiB"
  # get_buyer's customers: the 1,000 whose order count is nearest 50.
  IDS_FILE="" BUYERS="-"
  if [[ " $SCENARIOS " == *" get_buyer "* ]]; then
    IDS_FILE=$SIZE_DIR/buyer-ids.txt
    BUYERS_SQL="SELECT id, order_count FROM customers WHERE tenant_id = 1 AND deleted_at IS NULL
      ORDER BY abs(order_count - 50), id LIMIT 1000"
    if [[ $STORE == postgres ]]; then
      psql -At -F ' ' "$DB" -c "$BUYERS_SQL" >"$IDS_FILE.counts" || die "cannot read the buyers' ids"
    else
      need sqlite3
      sqlite3 -separator ' ' "$DB" "$BUYERS_SQL" >"$IDS_FILE.counts" || die "cannot read the buyers' ids"
    fi
    awk '{ print $1 }' "$IDS_FILE.counts" >"$IDS_FILE"
    BUYERS=$(awk 'NR == 1 { lo = hi = $2 } { if ($2 < lo) lo = $2; if ($2 > hi) hi = $2 }
      END { printf "%d customers with %d to %d orders", NR, lo, hi }' "$IDS_FILE.counts")
    log "get_buyer asks for $BUYERS"
  fi

  ADMIN_EMAIL=bench@example.com
  ADMIN_PASSWORD="Bench-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')-9Z!"
  "$CLT" create-admin --db "$DB" --email "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD" \
    --name "Bench Operator" >"$SIZE_DIR/create-admin.log" 2>&1 ||
    { cat "$SIZE_DIR/create-admin.log" >&2; die "clientele create-admin failed"; }
  TOKEN_OUT=$("$CLT" token create --db "$DB" --email "$ADMIN_EMAIL" --name bench \
    2>"$SIZE_DIR/token-create.err") ||
    { cat "$SIZE_DIR/token-create.err" >&2; die "clientele token create failed"; }
  TOKEN_VALUE=$(printf '%s\n' "$TOKEN_OUT" | awk 'NF { last = $NF } END { print last }')
  [[ -n $TOKEN_VALUE ]] || die "clientele token create printed no token"

  # --- hello_server: the ceiling
  start_server hello_server "$SIZE_DIR/hello_server.log" \
    "$HELLO" --listen 127.0.0.1:0 --threads "$HELLO_THREADS"
  HELLO_PID=$SERVER_PID HELLO_URL=$SERVER_URL
  if ((HAVE_CURL)); then
    body=$(curl -s --max-time 10 "$HELLO_URL/" || true)
    [[ $body == hello ]] || die "hello_server at $HELLO_URL answered '$body', not 'hello'"
  fi
  run_wrk hello hello.lua "$HELLO_URL" "$HELLO_PID" "$SIZE_DIR/hello_server.log"
  stop_pid "$HELLO_PID"
  forget_pid "$HELLO_PID"

  # --- clientele
  if ((INSTANCES > 1)); then
    # Several instances behind nginx; the figures are nginx's, the RSS the first instance's.
    LOCAL_CLUSTER_DIR=$SIZE_DIR/cluster
    CLT_URL=$(DB_URL=$DB "$REPO/deploy/local-cluster.sh" start "$LOCAL_CLUSTER_DIR" "$CLT") ||
      die "deploy/local-cluster.sh failed"
    CLT_PID=$(awk -F'"' '/^PIDS=/ { split($2, p, " "); print p[1] }' "$LOCAL_CLUSTER_DIR/cluster.env")
  else
    # shellcheck disable=SC2086 # SERVE_ARGS is split on purpose
    start_server clientele "$SIZE_DIR/clientele.log" \
      "$CLT" serve --db "$DB" --listen 127.0.0.1:0 $SERVE_ARGS
    CLT_PID=$SERVER_PID CLT_URL=$SERVER_URL
  fi
  RSS_START=$(rss_mib "$CLT_PID")
  if ((HAVE_CURL)); then
    auth=(-H "Authorization: Bearer $TOKEN_VALUE")
    code=$(http_status "$CLT_URL/readyz")
    [[ $code == 200 ]] || die "clientele /readyz answered $code, not 200"
    code=$(http_status "$CLT_URL/api/customers?limit=1" "${auth[@]}")
    [[ $code == 200 ]] || die "GET /api/customers?limit=1 with the bench token answered $code, not 200 (token or auth broken?)"
    for id in 1 "$SIZE"; do
      code=$(http_status "$CLT_URL/api/customers/$id" "${auth[@]}")
      [[ $code == 200 ]] ||
        log "WARNING: GET /api/customers/$id answered $code: ids are not 1..$SIZE, get_customer/update will see 404s"
    done
    if [[ " $SCENARIOS " == *" push_order "* ]]; then
      code=$(http_status "$CLT_URL/api/orders" "${auth[@]}" -X POST -H 'Content-Type: application/json' \
        --data '{"number":"bench-preflight-'"$STAMP"'","customer_id":1,"currency":"USD","status":"paid","placed_at":"2026-01-01T00:00:00Z","lines":[{"sku":"A","name":"A","quantity":1,"unit_price":100}],"total":100}')
      [[ $code == 201 ]] || die "POST /api/orders answered $code, not 201: push_order needs the orders route (leave it out of SCENARIOS)"
    fi
  else
    log "curl not found: skipping the pre-flight checks"
  fi
  for s in $SCENARIOS; do
    run_wrk "$s" "$s.lua" "$CLT_URL" "$CLT_PID" "$SIZE_DIR/clientele.log"
  done
  RSS_END=$(rss_mib "$CLT_PID")
  ANON_END=$(anon_rss_mib "$CLT_PID")
  if ((INSTANCES > 1)); then
    "$REPO/deploy/local-cluster.sh" stop "$LOCAL_CLUSTER_DIR"
    LOCAL_CLUSTER_DIR=""
  else
    stop_pid "$CLT_PID"
    forget_pid "$CLT_PID"
  fi

  # --- report
  TABLE=$(print_table)
  HEADER="size $SIZE customers, $SIZE_ORDERS orders ($STORE, $INSTANCES instance(s)): demo-data ${DEMO_SECS}s, database ${DB_MIB} MiB; clientele RSS ${RSS_START} MiB after start, ${RSS_END} MiB at the end (${ANON_END} MiB of it heap, the rest mapped database pages)"
  printf '\n== %s\n%s\n' "$HEADER" "$TABLE"
  printf '(peak RSS: %s; wrk -t1 -c%s -d%s --timeout %s)\n' "$RSS_MODE" "$CONN" "$DUR" "$WRK_TIMEOUT"
  printf 'NOTE: %s\n\n' "$SHARE_NOTE"
  SUMMARY+=$'\n'"== $HEADER"$'\n'"$TABLE"$'\n'

  {
    printf '\n## %s UTC: %s customers\n\n' "$(date -u '+%Y-%m-%d %H:%M')" "$SIZE"
    printf -- '- commit: %s; build: %s; store: %s, %s instance(s)\n' "$COMMIT" "$BUILD_DIR" "$STORE" "$INSTANCES"
    printf -- '- machine: %s cores (%s); wrk -t1 -c%s -d%s --latency --timeout %s\n' \
      "$CORES" "${CPU:-unknown CPU}" "$CONN" "$DUR" "$WRK_TIMEOUT"
    printf -- '- %s CPU busy before this size started (other processes): %s%%.\n' "$SHARE_NOTE" "$BUSY"
    printf -- '- demo-data: %s customers and %s orders in %s s; database dir %s MiB; get_buyer: %s\n' \
      "$SIZE" "$SIZE_ORDERS" "$DEMO_SECS" "$DB_MIB" "$BUYERS"
    printf -- '- clientele RSS: %s MiB after start, %s MiB after the last scenario; peak RSS column: %s\n' \
      "$RSS_START" "$RSS_END" "$RSS_MODE"
    if [[ -n $SERVE_ARGS ]]; then printf -- "- serve arguments: %s\n" "$SERVE_ARGS"; fi
    printf -- '- raw wrk output: %s\n\n' "${SIZE_DIR#"$REPO"/}"
    print_markdown
  } >>"$RESULTS_MD"

  if [[ $KEEP_DB != 1 ]]; then
    rm -rf "$DB_DIR"
  fi
done

printf '\n==== summary (also appended to %s)%s\n' "${RESULTS_MD#"$REPO"/}" "$SUMMARY"
printf 'NOTE: %s\n' "$SHARE_NOTE"
