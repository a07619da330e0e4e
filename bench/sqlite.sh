#!/usr/bin/env bash
# The SQLite yardstick (issue 18): for each of a fixed list of filtered
# pages of 50 deployments, Oversight's uncached API answer against sqlite3
# running a hand-written statement for the same 50 current states on the
# same database file, with the ratio of their times (bench/sqlitecmp).
# Issue 18's figure: each page within 10x of SQLite's own time.
#
#   bash bench/sqlite.sh                # a register of 100k synthetic deployments
#   DATA=DIR bash bench/sqlite.sh       # an existing one (oversight gen), left as it is
#   BIN=path/to/oversight bash bench/sqlite.sh   # serve with another build
#
#   BARE=1 bash bench/sqlite.sh  # then the same pages from the bare floor server
#                                # (sqlitecmp -bare: net/http and the same driver
#                                # running each hand-written statement), BARE_N
#                                # requests each (300), ONLY= a query's name.
#                                # Its statement for "subregion + years, page 2"
#                                # took 162 s a request in the driver's SQLite
#                                # (3.54.1; 56 ms in sqlite3 3.40.1), so each page
#                                # sends its requests for a minute at most (-for)
#
# The server projects the register's tiers before the timing starts (for a
# new register of 100k, minutes on 2 cores). Needs sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100000}
PORT=${PORT:-41050}
N=${N:-90}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing" >&2; exit 1; }

WORK=$(mktemp -d /tmp/oversight-sqlite.XXXXXX)
cleanup() {
  [ -f "$WORK/serve.pid" ] && kill "$(cat "$WORK/serve.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -n "${BIN:-}" ]; then cp "$BIN" "$WORK/oversight"; else go build -o "$WORK/oversight" ./cmd/oversight; fi
go build -o "$WORK/sqlitecmp" ./bench/sqlitecmp
if [ -z "${DATA:-}" ]; then
  DATA="$WORK/data"
  "$WORK/oversight" gen --data "$DATA" --deployments "$SIZE" >/dev/null 2>"$WORK/gen.log" || { cat "$WORK/gen.log" >&2; exit 1; }
fi
"$WORK/oversight" serve --data "$DATA" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
echo $! >"$WORK/serve.pid"
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
# Tier filters classify as they read until no deployment is pending.
until [ "$(sqlite3 -readonly "$DATA/oversight.db" 'SELECT count(*) FROM tier_pending')" = 0 ]; do sleep 5; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(sqlite3 -readonly "$DATA/oversight.db" 'SELECT count(*) FROM deployments') deployments"
"$WORK/sqlitecmp" -url "http://127.0.0.1:$PORT" -db "$DATA/oversight.db" -pid "$(cat "$WORK/serve.pid")" -n "$N" -only "${ONLY:-}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BARE:-}" ]; then
  kill "$(cat "$WORK/serve.pid")"
  "$WORK/sqlitecmp" -bare "127.0.0.1:$((PORT + 1))" -db "$DATA/oversight.db" >"$WORK/bare.log" 2>&1 &
  echo $! >"$WORK/serve.pid"
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$((PORT + 1))/" && break
    sleep 0.1
  done
  echo "the bare floor server (the same URI each time, no cache to miss):"
  "$WORK/sqlitecmp" -url "http://127.0.0.1:$((PORT + 1))" -db "$DATA/oversight.db" -pid "$(cat "$WORK/serve.pid")" -n "${BARE_N:-300}" -same -only "${ONLY:-}"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
