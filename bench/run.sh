#!/usr/bin/env bash
# Measures Oversight as the register grows and prints a table: import rate,
# API requests/s with p50 and p99 latency (and nginx serving the same bytes
# from disk, the limit), the server's peak resident memory, the time to
# classify every deployment and to verify the whole log.
#
#   bash bench/run.sh                      # 1k and 100k deployments
#   SIZES="1000 100000 1000000" bash bench/run.sh
#
# Needs wrk and nginx (Debian packages; installed when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 100000"}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
  fi
done

WORK=$(mktemp -d /tmp/oversight-bench.XXXXXX)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
go build -o "$WORK/oversight" ./cmd/oversight
OV="$WORK/oversight"

# wrkstats URL -> "req/s p50_ms p99_ms"
wrkstats() {
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99)}'
}

PORT=18180; NGINX_PORT=18190
printf "| deployments | import (deployments/s) | API req/s | p50 ms | p99 ms | nginx req/s | nginx p50 ms | nginx p99 ms | API / nginx | peak RSS MB | classify all (s) | verify (s) |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for N in $SIZES; do
  DATA="$WORK/data-$N"
  import=$("$OV" gen --data "$DATA" --deployments "$N" 2>/dev/null | sed -E 's/.*\(([0-9]+)\/s\).*/\1/')
  "$OV" serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 & echo $! >"$WORK/serve.pid"
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
  # The hot endpoint: a filtered page of 100 deployments, the same URL each time.
  URL="/api/v1/deployments?jurisdiction=PK,IN,MM&limit=100"
  curl -sf "http://127.0.0.1:$PORT$URL" >/dev/null   # warm the caches
  read rps p50 p99 < <(wrkstats "http://127.0.0.1:$PORT$URL")
  rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/"$(cat "$WORK/serve.pid")"/status)
  # nginx serving the same bytes from disk.
  mkdir -p "$WORK/www"; curl -sf "http://127.0.0.1:$PORT$URL" >"$WORK/www/page.json"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; location / { default_type application/json; } } }
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  sleep 0.5
  read nrps np50 np99 < <(wrkstats "http://127.0.0.1:$NGINX_PORT/page.json")
  kill "$(cat "$WORK/nginx.pid")"; rm -f "$WORK/nginx.pid"
  kill "$(cat "$WORK/serve.pid")"; wait "$(cat "$WORK/serve.pid")" 2>/dev/null || true; rm -f "$WORK/serve.pid"
  cstart=$(date +%s.%N); "$OV" classify --all --data "$DATA" >/dev/null; cend=$(date +%s.%N)
  vstart=$(date +%s.%N); "$OV" verify --data "$DATA" >/dev/null; vend=$(date +%s.%N)
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN {printf "%.2f", a/b}')
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n" "$N" "$import" "$rps" "$p50" "$p99" "$nrps" "$np50" "$np99" "$ratio" "$rss" \
    "$(echo "$cend - $cstart" | bc)" "$(echo "$vend - $vstart" | bc)"
  rm -rf "$DATA"
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t2 -c$CONNS -d$DURATION; $(date -u +%Y-%m-%d)"
