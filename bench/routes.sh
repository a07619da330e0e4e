#!/usr/bin/env bash
# Every route once, uncached (issue 18): serves a register and asks for
# each page and API answer of bench/routes/routes.txt (LIST= another
# file), three times under URIs the response cache has not seen, printing
# the first request's wall-clock time and server CPU apart from the
# others' (bench/routes). With BASE, a second build serves the same
# register beside the first, and each request goes to both in turn.
#
#   DATA=DIR bash bench/routes.sh                        # this tree's build
#   DATA=DIR BIN=new/oversight BASE=main/oversight bash bench/routes.sh
#   DATA=DIR COPY=DIR2 BIN=new BASE=main bash bench/routes.sh  # BIN on a copy it migrates
#   DATA=DIR LIST=file N=1 TIMEOUT=10m bash bench/routes.sh     # each path once, waiting up to 10 minutes
#
# DATA is a register made by oversight gen, its tiers projected. COPY, a
# copy of it, is served by BIN where BIN migrates the register to a
# version BASE cannot open.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATA:?DATA=DIR names a register}"
PORT=${PORT:-42900}
WORK=$(mktemp -d /tmp/oversight-routes.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -n "${BIN:-}" ]; then cp "$BIN" "$WORK/a"; else go build -o "$WORK/a" ./cmd/oversight; fi
go build -o "$WORK/routes" ./bench/routes
serve() { # serve BINARY PORT DATA
  "$1" serve --data "$3" --addr "127.0.0.1:$2" >"$WORK/serve-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do
    curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "bench: the server on port $2 did not start" >&2
  exit 1
}
serve "$WORK/a" "$PORT" "${COPY:-$DATA}"
args=(-url "http://127.0.0.1:$PORT" -pid "${pids[0]}")
if [ -n "${BASE:-}" ]; then
  cp "$BASE" "$WORK/b"
  serve "$WORK/b" "$((PORT + 1))" "$DATA"
  args+=(-base "http://127.0.0.1:$((PORT + 1))" -basepid "${pids[1]}")
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$WORK/routes" "${args[@]}" ${LIST:+-list "$LIST"} ${N:+-n "$N"} ${TIMEOUT:+-timeout "$TIMEOUT"}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
