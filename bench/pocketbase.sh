#!/usr/bin/env bash
# Oversight against PocketBase, uncached: both serve the same synthetic
# deployments on loopback, and bench/versus loads each in turn with queries
# neither was asked before (plain list, jurisdiction + technology + year
# range, a later page of it, full text, a country's deployments), run after
# run, and prints req/s, p50, p99 and the ratio for each kind, with the
# load average.
#
#   bash bench/pocketbase.sh                        # 100k deployments
#   SIZE=10000 RUNS=3 FOR=3s bash bench/pocketbase.sh
#   WORK=/tmp/pbw KEEP=1 bash bench/pocketbase.sh   # keep the registers for the next run
#
# PocketBase is built from its source at the release pinned in
# bench/pocketbase/go.mod (its own module, so Oversight does not depend on
# it) and loaded from `oversight export --format json` of the register
# `oversight gen` made. Needs sqlite3 to see when Oversight has projected
# every deployment's tiers, which serve does in the background after a
# bulk import: until then lists classify, which is not what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100000}
RUNS=${RUNS:-5}
FOR=${FOR:-5s}
CONNS=${CONNS:-16}
PORT=${PORT:-$(( 20000 + RANDOM % 20000 ))}
WORK=${WORK:-$(mktemp -d /tmp/oversight-pocketbase.XXXXXX)}
mkdir -p "$WORK"
stop() {
  for p in "$WORK"/*.pid; do [ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null; rm -f "$p"; done
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap stop EXIT
command -v sqlite3 >/dev/null || { echo "pocketbase.sh: needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
go build -o "$WORK/oversight" ./cmd/oversight
go build -o "$WORK/versus" ./bench/versus
(cd bench/pocketbase && go build -o "$WORK/pocketbase" .)
if [ ! -e "$WORK/data/oversight.db" ]; then
  echo "pocketbase.sh: generating $SIZE deployments" >&2
  "$WORK/oversight" gen --deployments "$SIZE" --data "$WORK/data" >/dev/null
fi
if [ ! -e "$WORK/pb_data/data.db" ]; then
  echo "pocketbase.sh: loading them into PocketBase" >&2
  "$WORK/oversight" export --data "$WORK/data" --format json -o "$WORK/export.json"
  "$WORK/pocketbase" load --dir "$WORK/pb_data" "$WORK/export.json"
  rm "$WORK/export.json"
fi
"$WORK/oversight" serve --data "$WORK/data" --addr "127.0.0.1:$PORT" >"$WORK/oversight.log" 2>&1 &
echo $! >"$WORK/oversight.pid"
"$WORK/pocketbase" serve --dir "$WORK/pb_data" --http "127.0.0.1:$((PORT + 1))" >"$WORK/pocketbase.log" 2>&1 &
echo $! >"$WORK/pocketbase.pid"
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && curl -fs "http://127.0.0.1:$((PORT + 1))/api/health" >/dev/null && break; sleep 0.2; done
while :; do
  pending=$(sqlite3 "file:$WORK/data/oversight.db?mode=ro" "SELECT count(*) FROM tier_pending")
  [ "$pending" = 0 ] && break
  echo "pocketbase.sh: waiting for Oversight to project the tiers of $pending deployments" >&2
  sleep 10
done
"$WORK/versus" -oversight "http://127.0.0.1:$PORT" -pocketbase "http://127.0.0.1:$((PORT + 1))" \
  -deployments "$SIZE" -runs "$RUNS" -for "$FOR" -conns "$CONNS" \
  -pids "$(cat "$WORK/oversight.pid"),$(cat "$WORK/pocketbase.pid")"
for s in oversight pocketbase; do
  echo "$s peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$(cat "$WORK/$s.pid")/status")"
done
