#!/usr/bin/env bash
# Measures how fast Oversight serves its log's tiles (C2SP tlog-tiles under
# /log/) against nginx serving the same files from disk: both are loaded
# with every tile path of the log in turn (hash tiles of every level and
# the entry bundles), by wrk, in alternation (Oversight, nginx, Oversight,
# …), and the median of each is printed with their ratio. Issue 14's
# figure: Oversight ≥ 0.7× nginx. A bare net/http server (bench/baretiles)
# serving the same files with the same system calls as Oversight is
# loaded too: the ceiling of a Go server here. For each server it also
# prints its CPU time a request (µs, its processes' user and system time
# from /proc over the run), which the machine's load moves less than the
# rate does.
#
#   bash bench/tiles.sh                 # a register of 100k synthetic deployments
#   SIZE=1000000 bash bench/tiles.sh
#   DATA=DIR bash bench/tiles.sh        # an existing register, left as it is
#   PORT=N NGINX_PORT=M bash bench/tiles.sh   # other ports than 18280 and 18290
#   BIN=FILE bash bench/tiles.sh        # serve with this build of oversight (another commit's, say)
#   BIN="FILE1 FILE2" bash bench/tiles.sh   # several builds, each on its own port from PORT up, in turn
#   SHED_OK=1 bash bench/tiles.sh       # count requests shed (503) out of the rate instead of failing
#
# It also prints the server's peak resident memory (VmHWM) over the whole
# run, the mirroring of every tile included.
#
# Needs wrk and nginx (Debian packages; installed when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-100000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
  fi
done

WORK=$(mktemp -d /tmp/oversight-tiles.XXXXXX)
chmod 755 "$WORK" # nginx's workers run as www-data
cleanup() {
  kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# The builds to measure, each as oversight-N in WORK, served on PORT+N.
bins=()
if [ -n "${BIN:-}" ]; then
  for b in $BIN; do cp "$b" "$WORK/oversight-${#bins[@]}"; bins+=("$b"); done
else
  go build -o "$WORK/oversight-0" ./cmd/oversight; bins=(oversight)
fi
go build -o "$WORK/tilelist" ./bench/tilelist
go build -o "$WORK/baretiles" ./bench/baretiles
if [ -z "${DATA:-}" ]; then
  DATA="$WORK/data"
  "$WORK/oversight-0" gen --data "$DATA" --deployments "$SIZE" >/dev/null 2>"$WORK/gen.log" || { cat "$WORK/gen.log" >&2; exit 1; }
fi

PORT=${PORT:-18280}; NGINX_PORT=${NGINX_PORT:-18290}; BARE_PORT=${BARE_PORT:-$((NGINX_PORT + 1))}
for i in "${!bins[@]}"; do
  "$WORK/oversight-$i" serve --data "$DATA" --addr 127.0.0.1:$((PORT + i)) >"$WORK/serve-$i.log" 2>&1 & echo $! >"$WORK/serve-$i.pid"
done
for i in "${!bins[@]}"; do
  p=$((PORT + i))
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$p/healthz >/dev/null && break; sleep 0.2; done
  curl -sf http://127.0.0.1:$p/healthz >/dev/null || { echo "bench: oversight serve did not start:" >&2; cat "$WORK/serve-$i.log" >&2; exit 1; }
done

# The tiles of the log as its checkpoint stands, mirrored to disk byte for
# byte: nginx then serves exactly what Oversight serves. A server that has
# just started may shed a request (503) while it computes its first
# figures; curl retries those.
size=$(curl -sf http://127.0.0.1:$PORT/log/checkpoint | sed -n 2p)
"$WORK/tilelist" -size "$size" >"$WORK/paths"
# One curl for them all, four at a time: a log of 1M has 7,831 tiles,
# and a process each took minutes on a loaded machine.
start=$(date +%s)
awk -v base="http://127.0.0.1:$PORT/log/" -v dir="$WORK/www/log/" '{print "url = \"" base $0 "\"\noutput = \"" dir $0 "\""}' "$WORK/paths" >"$WORK/curl.conf"
curl -sf --no-progress-meter --parallel --parallel-max 4 --create-dirs --retry 10 --retry-delay 1 -K "$WORK/curl.conf" ||
  { echo "bench: a GET of a tile failed" >&2; exit 1; }
mirrored=$(( $(date +%s) - start ))
chmod -R a+rX "$WORK/www"
tiles=$(wc -l <"$WORK/paths")
bytes=$(du -sb "$WORK/www/log" | cut -f1)

cat >"$WORK/nginx.conf" <<CONF
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; location / { default_type application/octet-stream; } } }
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && break; sleep 0.1; done
"$WORK/baretiles" -addr 127.0.0.1:$BARE_PORT "$WORK/www/log" 2>"$WORK/bare.log" & echo $! >"$WORK/bare.pid"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$BARE_PORT/" && break; sleep 0.1; done

# Each wrk connection walks the path list from its own offset.
{
  echo 'local paths = {}'
  while read -r p; do echo "paths[#paths+1] = \"/log/$p\""; done <"$WORK/paths"
  cat <<'LUA'
local i = 0
function setup(thread) thread:set("offset", math.random(#paths)) end
function request()
  i = i + 1
  return wrk.format("GET", paths[(offset + i) % #paths + 1])
end
LUA
} >"$WORK/tiles.lua"

tick=$(getconf CLK_TCK)
# cpu PID... -> the processes' user and system time, in clock ticks.
cpu() { local s=0 p; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' /proc/"$p"/stat))); done; echo $s; }
# load URL PID... -> "req/s µs-a-request" of one run; fails when wrk saw an
# error answer, unless SHED_OK=1: then the error answers (a server
# shedding load with 503) are reported and left out of the rate, which
# counts good answers only.
load() {
  local url=$1 out c0 c1; shift
  c0=$(cpu "$@")
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" -s "$WORK/tiles.lua" "$url")
  c1=$(cpu "$@")
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' <<<"$out"; then
    echo "bench: wrk saw errors loading $url:" >&2; grep -E 'Non-2xx|Socket errors|requests in' <<<"$out" >&2
    [ "${SHED_OK:-}" = 1 ] || return 1
  fi
  awk -v c=$((c1 - c0)) -v t="$tick" '/requests in/ {n = $1; s = $4 + 0} /Non-2xx or 3xx/ {bad = $NF}
    END {printf "%.0f %.1f\n", (n - bad) / s, c / t * 1e6 / n}' <<<"$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

names=(); urls=(); pids=()
for i in "${!bins[@]}"; do
  names+=("Oversight $(basename "${bins[$i]}")"); urls+=(http://127.0.0.1:$((PORT + i))); pids+=("$(cat "$WORK/serve-$i.pid")")
done
names+=("bare net/http (bench/baretiles)"); urls+=(http://127.0.0.1:$BARE_PORT); pids+=("$(cat "$WORK/bare.pid")")
names+=("nginx, the same files"); urls+=(http://127.0.0.1:$NGINX_PORT); pids+=("$(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')")
loadbefore=$(cut -d' ' -f1-3 /proc/loadavg)
# One short run each first: the measured runs start warm.
for s in "${!names[@]}"; do DURATION=2s load "${urls[$s]}" ${pids[$s]} >/dev/null || true; done
declare -A rate us
for _ in $(seq "$ROUNDS"); do
  for s in "${!names[@]}"; do
    out=$(load "${urls[$s]}" ${pids[$s]}) || exit 1
    read -r r u <<<"$out"
    rate[$s]+="$r "; us[$s]+="$u "
  done
done
ng=$((${#names[@]} - 1))
ngm=$(printf '%s\n' ${rate[$ng]} | median)
echo "log size $size revisions; $tiles tiles ($bytes bytes), mirrored in ${mirrored} s; $CONNS connections, $DURATION a run, $ROUNDS rounds each, alternating"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load before: $loadbefore, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| server | req/s per run | median req/s | / nginx | CPU µs a request, per run | median |"
echo "|---|---|---|---|---|---|"
for s in "${!names[@]}"; do
  m=$(printf '%s\n' ${rate[$s]} | median)
  echo "| ${names[$s]} | ${rate[$s]% } | $m | $(awk -v a="$m" -v b="$ngm" 'BEGIN {printf "%.2f", a/b}') | ${us[$s]% } | $(printf '%s\n' ${us[$s]} | median) |"
done
for i in "${!bins[@]}"; do
  echo "Oversight $(basename "${bins[$i]}")'s peak resident memory: $(awk '/VmHWM/ {print $2, $3}' /proc/"$(cat "$WORK/serve-$i.pid")"/status)"
done
