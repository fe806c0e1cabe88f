#!/usr/bin/env bash
# Runs every test: unit, integration, UI component and browser tests on an optimised build, then the
# unit and integration tests again on an AddressSanitizer + UndefinedBehaviorSanitizer build; the
# PostgreSQL backend's against a private cluster it starts. Ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh || exit 1

# The web UI, for its component tests and the browser tests that the optimised build's ctest runs.
ui_built=1
scripts/build-ui.sh || ui_built=0

# A private PostgreSQL cluster on a free loopback port, for the tests of the PostgreSQL backend;
# removed when the run ends.
pg_dir=$(mktemp -d /tmp/clientele-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
CLIENTELE_TEST_PG=$(scripts/pg-cluster.sh start "$pg_dir") || exit 1
export CLIENTELE_TEST_PG

# ccache keyed by paths relative to the checkout, so a fresh clone (CI's) reuses what an earlier
# build of the same sources compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

passed=0
failed=0
# Builds into $1 with the extra CMake arguments that follow, then runs ctest there (with the
# ctest arguments in $CTEST_ARGS).
run_suite() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" > /dev/null || return 1
  cmake --build "$dir" || return 1
  local log
  log=$(mktemp)
  # shellcheck disable=SC2086
  (cd "$dir" && ctest --output-on-failure --timeout 1200 -j2 ${CTEST_ARGS:-}) | tee "$log"
  local summary
  summary=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1)
  rm -f "$log"
  if [ -z "$summary" ]; then
    failed=$((failed + 1))
    return 1
  fi
  local total fails
  fails=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
  total=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
  passed=$((passed + total - fails))
  failed=$((failed + fails))
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo || failed=$((failed + 1))
# Under the sanitizers: the unit and integration tests. The UI's tests and the spec's lint do not
# involve the C++ build, and the browser suite (minutes long) drives the same server code that the
# integration suite runs here: they run once, above.
CTEST_ARGS="-LE ^(ui|docs)$" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DCLIENTELE_SANITIZE=ON || failed=$((failed + 1))

[ "$ui_built" -eq 1 ] || failed=$((failed + 1))

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
