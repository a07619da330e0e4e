#!/usr/bin/env bash
# Runs bench/overload.sh's two phases on two servers at once, already
# running on copies of the same register (two builds, say): capacity with
# 16 clients each for 15 s, then twice each one's capacity for LOAD_FOR,
# so that both meet the same load from the rest of the machine. It does not
# wait for the whole-register figures (WARM=1 does, as overload.sh).
#
#   bash bench/overloadpair.sh PID-A PORT-A PID-B PORT-B
#
# SIZE is the registers' deployments (1,000,000 by default); MEMLOG_A and
# MEMLOG_B, bench/memwatch.sh logs of the two servers, get the phases
# marked in them.
set -euo pipefail
cd "$(dirname "$0")/.."
pa=$1 porta=$2 pb=$3 portb=$4
SIZE=${SIZE:-1000000}
LOAD_FOR=${LOAD_FOR:-60s}
WORK=$(mktemp -d /tmp/oversight-pair.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
go build -o "$WORK/load" ./bench/load
phase() {
  echo "$(date +%T) $*"
  for f in "${MEMLOG_A:-}" "${MEMLOG_B:-}"; do [ -z "$f" ] || echo "$(date +%T) == $*" >>"$f"; done
}
if [ -n "${WARM:-}" ]; then
  phase "== warm-up"
  for port in "$porta" "$portb"; do
    for path in / /api/v1/index /search; do
      for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")" = 200 ] && break
        sleep 1
      done
    done
  done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "== capacity (closed loop, 16 clients each, 15 s)"
"$WORK/load" -url "http://127.0.0.1:$porta" -deployments "$SIZE" -rate 0 -conns 16 -for 15s >"$WORK/cap.a" &
"$WORK/load" -url "http://127.0.0.1:$portb" -deployments "$SIZE" -rate 0 -conns 16 -for 15s >"$WORK/cap.b"
wait
capa=$(sed -n 's/^capacity: \([0-9]*\) req\/s.*/\1/p' "$WORK/cap.a")
capb=$(sed -n 's/^capacity: \([0-9]*\) req\/s.*/\1/p' "$WORK/cap.b")
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "== overload: A $((capa * 2)) req/s, B $((capb * 2)) req/s for $LOAD_FOR, open loop"
"$WORK/load" -url "http://127.0.0.1:$porta" -deployments "$SIZE" -rate "$((capa * 2))" -for "$LOAD_FOR" -pid "$pa" >"$WORK/over.a" &
"$WORK/load" -url "http://127.0.0.1:$portb" -deployments "$SIZE" -rate "$((capb * 2))" -for "$LOAD_FOR" -pid "$pb" >"$WORK/over.b"
wait
phase "== done"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for s in a b; do
  echo "== server ${s^^}"
  cat "$WORK/cap.$s" "$WORK/over.$s"
done
