#!/usr/bin/env bash
# Overload: measures the server's capacity (the requests it accepts each
# second, closed loop) on a mix of cached and uncached requests, then
# offers twice that rate (FACTOR times it) for a minute, open loop, and
# prints what it answered: statuses (5xx other than 503 with Retry-After
# should be 0), the latency of the requests it accepted (p50, p95, p99:
# all, the uncached kinds together, each kind), and its peak memory.
#
#   bash bench/overload.sh                    # 100k synthetic deployments
#   SIZE=1000000 bash bench/overload.sh       # 1M (the import takes a minute)
#   DATA=/path/to/dir bash bench/overload.sh  # a register already generated
#   BIN=/path/to/oversight bash bench/overload.sh  # serve with another build
#   MEMLOG=FILE bash bench/overload.sh        # the server's memory each second
#   SLOW=5s bash bench/overload.sh            # list each request slower than 5 s or timed out
#   FACTOR=1 bash bench/overload.sh           # offer the capacity itself (issue 18's p99), not twice it
#   CAP=230 bash bench/overload.sh            # skip the capacity phase: offer FACTOR × 230 req/s
#   SEED=7 bash bench/overload.sh             # the requests' sequence (default: a new one each run)
#   CACHED=0 bash bench/overload.sh           # no URL asked again: every request uncached (default 0.5)
#   WARM_FOR=0s bash bench/overload.sh        # no warm load before the capacity (default 15 s)
#
# MEMLOG is bench/memwatch.sh's timeline (anonymous and file-backed memory,
# SQLite connections), with the phases of the run marked in it.
# The register is generated with `oversight gen` and served on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100000}
LOAD_FOR=${LOAD_FOR:-60s}
PORT=${PORT:-$(( 20000 + RANDOM % 20000 ))}
WORK=$(mktemp -d /tmp/oversight-overload.XXXXXX)
[ -z "${KEEP:-}" ] || echo "overload: server log and binaries kept in $WORK" >&2
trap 'kill $(cat "$WORK"/server.pid 2>/dev/null) 2>/dev/null || true; [ -z "${KEEP:-}" ] && rm -rf "$WORK"' EXIT
if [ -n "${BIN:-}" ]; then cp "$BIN" "$WORK/oversight"; else go build -o "$WORK/oversight" ./cmd/oversight; fi
go build -o "$WORK/load" ./bench/load
DATA=${DATA:-$WORK/data}
if [ ! -e "$DATA/oversight.db" ]; then
  echo "overload: generating $SIZE deployments" >&2
  "$WORK/oversight" gen --deployments "$SIZE" --data "$DATA" >/dev/null
fi
"$WORK/oversight" serve --data "$DATA" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
echo $! >"$WORK/server.pid"
phase() { echo "$*"; [ -z "${MEMLOG:-}" ] || echo "$(date +%T) == $*" >>"$MEMLOG"; }
if [ -n "${MEMLOG:-}" ]; then
  : >"$MEMLOG"
  bash bench/memwatch.sh "$(cat "$WORK/server.pid")" >>"$MEMLOG" &
fi
phase "== warm-up"
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT"
# Warm the whole-register figures, as a running server has them: they are
# computed in the background (a minute or more at 1M deployments), and
# until then these pages answer 503.
for path in / /api/v1/index /search; do
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL$path")" = 200 ] && break
    sleep 1
  done
done
FACTOR=${FACTOR:-2}
# Each phase asks for URLs no phase or run before asked for, so that the
# uncached kinds are not answered from the response cache.
SEED=${SEED:-$(( (RANDOM << 15) | RANDOM ))}
echo "seed: $SEED"
# A server just opened sheds more while its readers' caches fill (7-14% of
# 600 req/s at 1M in its first 20 s): warm it on URLs of their own first,
# so that what follows measures it running.
phase "== warm load (4 clients, ${WARM_FOR:-15s})"
"$WORK/load" -url "$URL" -deployments "$SIZE" -rate 0 -conns 4 -for "${WARM_FOR:-15s}" -seed "$((SEED + 2))" -cached "${CACHED:-0.5}" >/dev/null
if [ -z "${CAP:-}" ]; then
  phase "== capacity (closed loop, 16 clients, 15 s)"
  # (Not `tee /dev/stderr`: with stderr sent to a file, tee opens it anew and
  # empties it, losing what the script printed before.)
  CAPOUT=$("$WORK/load" -url "$URL" -deployments "$SIZE" -rate 0 -conns 16 -for 15s -seed "$SEED" -cached "${CACHED:-0.5}")
  echo "$CAPOUT" >&2
  CAP=$(echo "$CAPOUT" | sed -n 's/^capacity: \([0-9]*\) req\/s.*/\1/p')
fi
RATE=$(awk -v c="$CAP" -v f="$FACTOR" 'BEGIN { printf "%d", c * f + 0.5 }')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "== load: $RATE req/s offered ($FACTOR × capacity $CAP) for $LOAD_FOR, open loop"
"$WORK/load" -url "$URL" -deployments "$SIZE" -rate "$RATE" -for "$LOAD_FOR" -seed "$((SEED + 1))" -cached "${CACHED:-0.5}" -pid "$(cat "$WORK/server.pid")" -slow "${SLOW:-0}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); size: $SIZE deployments"
