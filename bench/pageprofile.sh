#!/usr/bin/env bash
# A CPU profile of uncached API pages of 50 (issue 18, "A page's tiers in
# one row" in docs/performance.md): the server, built from this tree, is
# profiled (OVERSIGHT_CPUPROFILE) while it answers N requests of each of
# five filtered pages, each from another cursor (a random deployment's
# id), which the response cache has never seen. Prints the server's CPU a
# request; then read the profile with go tool pprof.
#
#   DATA=DIR OUT=cpu.out bash bench/pageprofile.sh   # a register made by oversight gen
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATA:?DATA=DIR names a register}"
PORT=${PORT:-41060}
N=${N:-100}
OUT=${OUT:-cpu.out}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing" >&2; exit 1; }
WORK=$(mktemp -d /tmp/oversight-pageprofile.XXXXXX)
cleanup() {
  [ -f "$WORK/serve.pid" ] && kill -INT "$(cat "$WORK/serve.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$WORK"
}
trap cleanup EXIT
go build -o "$WORK/oversight" ./cmd/oversight
OVERSIGHT_CPUPROFILE="$OUT" "$WORK/oversight" serve --data "$DATA" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID=$!
echo $PID >"$WORK/serve.pid"
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
until [ "$(sqlite3 -readonly "$DATA/oversight.db" 'SELECT count(*) FROM tier_pending')" = 0 ]; do sleep 5; done
sqlite3 -readonly "$DATA/oversight.db" "SELECT id FROM deployments ORDER BY random() LIMIT $N" >"$WORK/ids"
before=$(awk '{print $14 + $15}' "/proc/$PID/stat")
n=0
for q in "" "jurisdiction=IN" "jurisdiction=IN&technology=cctv&year_from=2015&year_to=2020" \
  "technology=place_based_predictive_policing&status=suspended" "certainty=unconfirmed"; do
  while read -r id; do
    cursor=$(printf %s "$id" | base64 -w0 | tr '+/' '-_' | tr -d '=')
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/v1/deployments?$q&limit=50&cursor=$cursor"
    n=$((n + 1))
  done <"$WORK/ids"
done
after=$(awk '{print $14 + $15}' "/proc/$PID/stat")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $n requests, server CPU $(( (after - before) * 10 )) ms, $(( (after - before) * 10000 / n )) us a request (start-up not included); profile in $OUT (with start-up)"
kill -INT "$PID"
wait "$PID" || true
rm -f "$WORK/serve.pid"
