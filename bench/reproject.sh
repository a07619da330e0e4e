#!/usr/bin/env bash
# Re-projects every deployment's tiers, as a server does after the
# frameworks change, and prints the server's memory and pace: the register's
# projection is marked stale (its version in `projections`), so `serve`
# resets it (ProjectTiers) and projects every deployment again in the
# background. Every EVERY seconds (default 10) a line: the deployments
# still pending, the server's CPU and its resident memory; at the end the
# peak RSS (bench/memwatch.sh's last line), how long the reset took
# (until the first sample with deployments pending), and the projection's
# rate and CPU a deployment between the first and last samples with
# deployments pending. The reset ends at the first sample whose projection
# records a version of its own (neither 'stale' nor "resetting to …").
#
#   bash bench/reproject.sh DATA [BIN]   # DATA is changed: use a copy
#   RATE=20 bash bench/reproject.sh DATA # with 20 requests a second of bench/load, for LOAD_FOR (120s)
#   RESET_ONLY=1 bash bench/reproject.sh DATA   # the reset alone, timed to half a
#                                        # second, then the server stopped
#   WRITE_EVERY=3 bash bench/reproject.sh DATA  # and every 3 s an edit of one
#                                        # deployment, by `oversight import`,
#                                        # timed: how long a write waits for
#                                        # the reset and the projection's
#                                        # batches, and how many failed
#
# PORT (default random) serves the register on loopback; N is how many
# synthetic deployments it holds, for bench/load (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1
db=$data/oversight.db
PORT=${PORT:-$((20000 + RANDOM % 20000))}
EVERY=${EVERY:-10}
WORK=$(mktemp -d /tmp/oversight-reproject.XXXXXX)
trap 'kill $(cat "$WORK"/server.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
if [ -n "${2:-}" ]; then cp "$2" "$WORK/oversight"; else go build -o "$WORK/oversight" ./cmd/oversight; fi
sqlite3 "$db" "UPDATE projections SET version = 'stale' WHERE name = 'tiers'"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
began=$(date +%s.%N)
"$WORK/oversight" serve --data "$data" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
pid=$!
echo $pid >"$WORK/server.pid"
bash bench/memwatch.sh $pid >"$WORK/mem" &
if [ -n "${RATE:-}" ]; then
  go build -o "$WORK/load" ./bench/load
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  "$WORK/load" -url "http://127.0.0.1:$PORT" -deployments "${N:-1000000}" -rate "$RATE" -for "${LOAD_FOR:-120s}" -pid $pid >"$WORK/load.out" 2>&1 &
  loadpid=$!
fi
if [ -n "${WRITE_EVERY:-}" ]; then
  # The deployment edited, read from the file beside the server: its
  # state is the import format's record (jq makes each edit).
  sqlite3 -readonly "$db" "SELECT state FROM entities WHERE kind = 'deployment' AND id = 'synthetic-00000001'" >"$WORK/state.json"
  (
    n=0
    while kill -0 $pid 2>/dev/null; do
      n=$((n + 1))
      jq --arg t "Synthetic deployment 1 (edit $n $RANDOM)" '{deployments: [.title = $t]}' "$WORK/state.json" >"$WORK/one.json"
      t0=$(date +%s.%N)
      if "$WORK/oversight" import --data "$data" --reason "bench/reproject.sh" "$WORK/one.json" >"$WORK/import.out" 2>&1; then
        echo "$(date +%s) $(echo "$(date +%s.%N) - $t0" | bc)"
      else
        echo "$(date +%s) failed"
        echo "import failed: $(tail -1 "$WORK/import.out")" >&2
      fi
      sleep "$WRITE_EVERY"
    done
  ) >"$WORK/writes" &
fi
tck=$(getconf CLK_TCK)
resetting() {
  sqlite3 -readonly "$db" "SELECT count(*) FROM projections WHERE name = 'tiers' AND (version = 'stale' OR version LIKE 'resetting to %')" 2>/dev/null || echo "?"
}
if [ -n "${RESET_ONLY:-}" ]; then
  until [ "$(resetting)" = 0 ]; do
    kill -0 $pid 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
    sleep 0.5
  done
  awk -v t="$tck" -v s="$began" -v now="$(date +%s.%N)" '{ printf "reset: %.1f s, %.1f CPU s (the server'"'"'s start included)\n", now - s, ($14 + $15) / t }' /proc/$pid/stat
  exit 0
fi
echo "seconds pending cpu_s rss_mb resetting"
until grep -q 'projected tiers' "$WORK/server.log"; do
  kill -0 $pid 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep "$EVERY"
  n=$(sqlite3 -readonly "$db" "SELECT count(*) FROM tier_pending" 2>/dev/null || echo "?")
  r=$(resetting)
  cpu=$(awk -v t="$tck" '{ printf "%.1f", ($14 + $15) / t }' /proc/$pid/stat)
  echo "$(($(date +%s) - start)) $n $cpu $(awk '$1 == "VmRSS:" { print int($2 / 1024) }' /proc/$pid/status) $r"
done | tee "$WORK/samples"
if [ -n "${RATE:-}" ]; then
  wait $loadpid || true
  echo "== bench/load"
  cat "$WORK/load.out"
fi
end=$(date +%s)
kill $pid
wait $pid 2>/dev/null || true
# The reset ends at the first sample that records a version of its own.
reset=$(awk '$5 == "0" { print $1; exit }' "$WORK/samples")
if [ -n "${WRITE_EVERY:-}" ]; then
  # The writes made during the reset, and during the batches after it.
  for part in "reset $start $((start + ${reset:-0}))" "projection $((start + ${reset:-0})) $end"; do
    set -- $part
    awk -v from="$2" -v to="$3" '$1 >= from && $1 <= to { print $2 }' "$WORK/writes" | sort -n |
      awk -v what="$1" '$1 == "failed" { failed++; next } { v[++n] = $1 } END {
        printf "writes during the %s: %d, failed %d", what, n + failed, failed
        if (n) printf ", seconds each: median %.2f, p90 %.2f, max %.2f", v[int((n + 1) / 2)], v[int(n * 0.9 + 0.999)], v[n]
        print "" }'
  done
fi
sleep 1.5 # memwatch's last line
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peak (MB: rss anon file hwm threads conns): $(tail -1 "$WORK/mem" | cut -d' ' -f2-)"
# The projection's samples: from the reset's end to the last with any
# deployment pending.
awk -v reset="${reset:-0}" '$1 >= reset && $2 ~ /^[0-9]+$/ && $2 > 0 { if (!t1) { t1 = $1; p1 = $2; c1 = $3 } t2 = $1; p2 = $2; c2 = $3 }
  END { if (t2 > t1) printf "reset: %d s, %.1f CPU s; projected %d in %d s: %.0f deployments/s, %.0f µs of CPU a deployment\n",
    t1, c1, p1 - p2, t2 - t1, (p1 - p2) / (t2 - t1), (c2 - c1) * 1e6 / (p1 - p2) }' "$WORK/samples"
