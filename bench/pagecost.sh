#!/usr/bin/env bash
# A request's own cost, two builds side by side (issue 18, "A request's own
# cost" in docs/performance.md): both servers serve the same register; for
# each page kind, N uncached API pages of 50 (each from another cursor, a
# random deployment's id, which no response cache has seen) are sent to one
# server then the other, the order alternating from round to round, by one
# curl that keeps its connection. For each it prints the server's CPU a
# request (user and system, from /proc, over the N requests) and the
# requests a second one client gets; then, per kind and server, the median
# of the rounds.
#
#   BIN_A=main/oversight BIN_B=new/oversight DATA=DIR bash bench/pagecost.sh
#
# DATA is a register made by oversight gen, its tiers projected (a server
# projecting tiers meanwhile would spend its CPU on that). DATA_B, a copy
# of it, is B's register instead, where B migrates it to a schema A does
# not read. PAGE is the path asked for, /api/v1/deployments unless set
# (/search: the search page, its counts included). Needs sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BIN_A:?BIN_A names a build}" "${BIN_B:?BIN_B names a build}" "${DATA:?DATA=DIR names a register}"
PORT=${PORT:-42510}
DATA_B=${DATA_B:-$DATA}
PAGE=${PAGE:-/api/v1/deployments}
# The API is asked for pages of 50; the search page lists 50 and refuses
# a limit.
lim="&limit=50"
case $PAGE in /api/*) ;; *) lim="" ;; esac
N=${N:-200}
ROUNDS=${ROUNDS:-4}
KINDS=${KINDS:-"plain| jurisdiction|jurisdiction=IN jur+tech+years|jurisdiction=IN&technology=cctv&year_from=2015&year_to=2020 certainty|certainty=unconfirmed"}
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing" >&2; exit 1; }
WORK=$(mktemp -d /tmp/oversight-pagecost.XXXXXX)
cleanup() {
  for p in "$WORK"/*.pid; do [ -f "$p" ] && kill -INT "$(cat "$p")" 2>/dev/null || true; done
  sleep 1
  rm -rf "$WORK"
}
trap cleanup EXIT
pids=() ports=()
for b in A B; do
  bin=BIN_$b port=$((PORT + ${#pids[@]})) data=$DATA
  [ "$b" = B ] && data=$DATA_B
  "${!bin}" serve --data "$data" --addr "127.0.0.1:$port" >"$WORK/$b.log" 2>&1 &
  echo $! >"$WORK/$b.pid"
  pids+=($!) ports+=("$port")
done
for port in "${ports[@]}"; do
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
done
for d in "$DATA" "$DATA_B"; do
  until [ "$(sqlite3 -readonly "$d/oversight.db" 'SELECT count(*) FROM tier_pending')" = 0 ]; do sleep 5; done
done
cpu() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1e6 / t }' "/proc/$1/stat"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$WORK/out
for r in $(seq "$ROUNDS"); do
  sqlite3 -readonly "$DATA/oversight.db" "SELECT id FROM deployments ORDER BY random() LIMIT $N" >"$WORK/ids"
  order="0 1"
  [ $((r % 2)) = 0 ] && order="1 0"
  for kv in $KINDS; do
    kind=${kv%%|*} q=${kv#*|}
    for i in $order; do
      port=${ports[$i]} pid=${pids[$i]}
      while read -r id; do
        c=$(printf %s "$id" | base64 -w0 | tr '+/' '-_' | tr -d '=')
        printf 'url = "http://127.0.0.1:%s%s?%s%s&cursor=%s"\noutput = "/dev/null"\n' "$port" "$PAGE" "$q" "$lim" "$c"
      done <"$WORK/ids" >"$WORK/urls"
      a=$(cpu "$pid") t0=$(date +%s.%N)
      curl -fsS -K "$WORK/urls"
      t1=$(date +%s.%N) b=$(cpu "$pid")
      name=A
      [ "$i" = 1 ] && name=B
      awk -v k="$kind" -v s="$name" -v r="$r" -v a="$a" -v b="$b" -v t0="$t0" -v t1="$t1" -v n="$N" \
        'BEGIN { printf "round %d %-14s %s: %6.0f us CPU a request, %6.1f req/s\n", r, k, s, (b - a) / n, n / (t1 - t0) }'
    done
  done
done | tee "$out"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Medians over the rounds, per kind and server.
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for kv in $KINDS; do
  kind=${kv%%|*}
  for s in A B; do
    c=$(awk -v k="$kind" -v s="$s:" '$3 == k && $4 == s { print $5 }' "$out" | med)
    q=$(awk -v k="$kind" -v s="$s:" '$3 == k && $4 == s { print $10 }' "$out" | med)
    printf "median %-14s %s: %6.0f us CPU a request, %6.1f req/s\n" "$kind" "$s" "$c" "$q"
  done
done
