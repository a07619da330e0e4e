#!/usr/bin/env bash
# Measures Oversight as the register grows and prints a table: import rate,
# API requests/s with p50 and p99 latency, beside the same response bytes
# served by nginx from disk and by a bare net/http server from memory (the
# limits), the server's peak resident memory, the time to classify every
# deployment and to verify the whole log.
#
#   bash bench/run.sh                      # 1k and 100k deployments, SQLite
#   SIZES="1000 100000 1000000" bash bench/run.sh
#   DB=postgres bash bench/run.sh          # the same on PostgreSQL
#
# DB=postgres starts a throwaway PostgreSQL cluster on loopback (Debian's
# postgresql) unless OBS_BENCH_POSTGRES names a server the bench may create
# databases on, as postgres://USER@HOST:PORT (no database name).
#
# Needs wrk and nginx (Debian packages; installed when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 100000"}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
DB=${DB:-sqlite}
case $DB in sqlite|postgres) ;; *) echo "bench: DB=$DB: want sqlite or postgres" >&2; exit 1 ;; esac

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
  fi
done

WORK=$(mktemp -d /tmp/oversight-bench.XXXXXX)
# mktemp makes the directory 0700, but nginx's workers run as www-data, not
# root: without this they answer 403 to every request.
chmod 755 "$WORK"
PGDIR=""; PGBIN=""; RUNAS=(); PGDB=""
cleanup() {
  kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true
  # On a server of OBS_BENCH_POSTGRES, drop the database an aborted run left.
  if [ -n "$PGDB" ] && [ -z "$PGDIR" ]; then
    sleep 0.5; "$PSQL" -X -q "$PGBASE/postgres?sslmode=disable" -c "DROP DATABASE IF EXISTS $PGDB" || true
  fi
  if [ -n "$PGDIR" ]; then
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
go build -o "$WORK/oversight" ./cmd/oversight
go build -o "$WORK/static" ./bench/static
OV="$WORK/oversight"

# PostgreSQL: a server on which every size gets a database of its own.
if [ "$DB" = postgres ]; then
  if [ -n "${OBS_BENCH_POSTGRES:-}" ]; then
    PGBASE=${OBS_BENCH_POSTGRES%/}
    PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
  else
    if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "bench: installing postgresql" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$PGBIN" ] || { echo "bench: PostgreSQL is missing (set OBS_BENCH_POSTGRES or install postgresql)" >&2; exit 1; }
    PSQL=$PGBIN/psql
    PGDIR=$(mktemp -d /tmp/oversight-bench-pg.XXXXXX)
    PGPORT=$(( 20000 + RANDOM % 20000 ))
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; RUNAS=(runuser -u postgres --); fi
    # --no-sync only skips initdb's own flush of the new cluster. The server
    # keeps fsync, synchronous_commit and full_page_writes on (the defaults):
    # every commit is durable, like SQLite's synchronous=FULL, so the two
    # engines are measured doing the same work.
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c max_connections=200" start >/dev/null
    PGBASE="postgres://app@127.0.0.1:$PGPORT"
  fi
  pgversion=$("$PSQL" -X -Atq "$PGBASE/postgres?sslmode=disable" -c 'show server_version')
  if [ -n "$PGDIR" ]; then
    echo "engine: PostgreSQL ${pgversion%% *} (throwaway cluster on 127.0.0.1:$PGPORT; fsync and synchronous_commit on)"
  else
    echo "engine: PostgreSQL ${pgversion%% *} (${PGBASE#*@}, from OBS_BENCH_POSTGRES)"
  fi
else
  echo "engine: SQLite (embedded, WAL, synchronous=FULL)"
fi
echo

# wrkstats URL -> "req/s p50_ms p99_ms". Fails when wrk saw an error
# response or a socket error: the figures would then measure errors.
# Call it as stats=$(wrkstats URL), not in <(...), so that set -e sees it.
wrkstats() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$1")
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' <<<"$out"; then
    echo "bench: wrk saw errors loading $1:" >&2
    grep -E 'Non-2xx or 3xx responses|Socket errors|requests in' <<<"$out" >&2
    return 1
  fi
  awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END {printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99)}' <<<"$out"
}

# check NAME URL: NAME must answer 200 with exactly the bytes of the API's
# page (www/page.json), or the comparison would not be of the same work.
check() {
  local code
  code=$(curl -s -o "$WORK/check.body" -w '%{http_code}' "$2" || true)
  if [ "$code" != 200 ]; then
    echo "bench: $1 answered HTTP $code for $2, not 200" >&2; exit 1
  fi
  if ! cmp -s "$WORK/check.body" "$WORK/www/page.json"; then
    echo "bench: $1's body for $2 differs from the API's ($(wc -c <"$WORK/check.body") vs $(wc -c <"$WORK/www/page.json") bytes)" >&2; exit 1
  fi
}

PORT=18180; NGINX_PORT=18190; STATIC_PORT=18200
printf "| deployments | import (deployments/s) | API req/s | p50 ms | p99 ms | nginx req/s | nginx p50 ms | nginx p99 ms | bare net/http req/s | net/http p50 ms | net/http p99 ms | API / nginx | API / net/http | peak RSS MB | classify all (s) | verify (s) |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for N in $SIZES; do
  # --data still holds the log's signing key when the tables are in PostgreSQL.
  DATA="$WORK/data-$N"; DBARGS=()
  if [ "$DB" = postgres ]; then
    "$PSQL" -X -q "$PGBASE/postgres?sslmode=disable" -c "CREATE DATABASE ov_$N"; PGDB=ov_$N
    DBARGS=(--db "$PGBASE/ov_$N?sslmode=disable")
  fi
  if ! import=$("$OV" gen --data "$DATA" "${DBARGS[@]}" --deployments "$N" 2>"$WORK/gen.log" | sed -E 's/.*\(([0-9]+)\/s\).*/\1/'); then
    echo "bench: oversight gen failed:" >&2; cat "$WORK/gen.log" >&2; exit 1
  fi
  "$OV" serve --data "$DATA" "${DBARGS[@]}" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 & echo $! >"$WORK/serve.pid"
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
  curl -sf http://127.0.0.1:$PORT/healthz >/dev/null || { echo "bench: oversight serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
  # The hot endpoint: a filtered page of 100 deployments, the same URL each time.
  URL="/api/v1/deployments?jurisdiction=PK,IN,MM&limit=100"
  mkdir -p "$WORK/www"; chmod 755 "$WORK/www"
  curl -sf "http://127.0.0.1:$PORT$URL" >"$WORK/www/page.json"   # the reference bytes; warms the caches
  chmod 644 "$WORK/www/page.json"
  check "oversight" "http://127.0.0.1:$PORT$URL"
  stats=$(wrkstats "http://127.0.0.1:$PORT$URL"); read rps p50 p99 <<<"$stats"
  rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/"$(cat "$WORK/serve.pid")"/status)
  kill "$(cat "$WORK/serve.pid")"; wait "$(cat "$WORK/serve.pid")" 2>/dev/null || true; rm -f "$WORK/serve.pid"
  # nginx serving the same bytes from disk.
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; location / { default_type application/json; } } }
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
  check "nginx" "http://127.0.0.1:$NGINX_PORT/page.json"
  stats=$(wrkstats "http://127.0.0.1:$NGINX_PORT/page.json"); read nrps np50 np99 <<<"$stats"
  kill "$(cat "$WORK/nginx.pid")"; rm -f "$WORK/nginx.pid"
  # Go's own HTTP stack serving the same bytes from memory: the ceiling for
  # any Go server on this machine.
  "$WORK/static" -addr 127.0.0.1:$STATIC_PORT "$WORK/www/page.json" 2>"$WORK/static.log" & echo $! >"$WORK/static.pid"
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$STATIC_PORT/" && break; sleep 0.1; done
  check "bare net/http" "http://127.0.0.1:$STATIC_PORT/page.json"
  stats=$(wrkstats "http://127.0.0.1:$STATIC_PORT/page.json"); read grps gp50 gp99 <<<"$stats"
  kill "$(cat "$WORK/static.pid")"; wait "$(cat "$WORK/static.pid")" 2>/dev/null || true; rm -f "$WORK/static.pid"
  cstart=$(date +%s.%N); "$OV" classify --all --data "$DATA" "${DBARGS[@]}" >/dev/null; cend=$(date +%s.%N)
  vstart=$(date +%s.%N); "$OV" verify --data "$DATA" "${DBARGS[@]}" >/dev/null; vend=$(date +%s.%N)
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN {printf "%.2f", a/b}')
  gratio=$(awk -v a="$rps" -v b="$grps" 'BEGIN {printf "%.2f", a/b}')
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n" "$N" "$import" "$rps" "$p50" "$p99" \
    "$nrps" "$np50" "$np99" "$grps" "$gp50" "$gp99" "$ratio" "$gratio" "$rss" \
    "$(echo "$cend - $cstart" | bc)" "$(echo "$vend - $vstart" | bc)"
  rm -rf "$DATA"
  if [ "$DB" = postgres ]; then "$PSQL" -X -q "$PGBASE/postgres?sslmode=disable" -c "DROP DATABASE ov_$N"; PGDB=""; fi
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk -t2 -c$CONNS -d$DURATION; $(date -u +%Y-%m-%d)"
