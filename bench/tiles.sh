#!/usr/bin/env bash
# Measures how fast Oversight serves its log's tiles (C2SP tlog-tiles under
# /log/) against nginx serving the same files from disk: both are loaded
# with every tile path of the log in turn (hash tiles of every level and
# the entry bundles), by wrk, in alternation (Oversight, nginx, Oversight,
# …), and the median of each is printed with their ratio. Issue 14's
# figure: Oversight ≥ 0.7× nginx.
#
#   bash bench/tiles.sh                 # a register of 100k synthetic deployments
#   SIZE=1000000 bash bench/tiles.sh
#   DATA=DIR bash bench/tiles.sh        # an existing register, left as it is
#   PORT=N NGINX_PORT=M bash bench/tiles.sh   # other ports than 18280 and 18290
#   BIN=FILE bash bench/tiles.sh        # serve with this build of oversight (another commit's, say)
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
if [ -n "${BIN:-}" ]; then cp "$BIN" "$WORK/oversight"; else go build -o "$WORK/oversight" ./cmd/oversight; fi
go build -o "$WORK/tilelist" ./bench/tilelist
if [ -z "${DATA:-}" ]; then
  DATA="$WORK/data"
  "$WORK/oversight" gen --data "$DATA" --deployments "$SIZE" >/dev/null 2>"$WORK/gen.log" || { cat "$WORK/gen.log" >&2; exit 1; }
fi

PORT=${PORT:-18280}; NGINX_PORT=${NGINX_PORT:-18290}
"$WORK/oversight" serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 & echo $! >"$WORK/serve.pid"
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:$PORT/healthz >/dev/null || { echo "bench: oversight serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }

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

# rps URL -> requests/s; fails when wrk saw an error answer, unless
# SHED_OK=1: then the error answers (a server shedding load with 503) are
# reported and left out of the rate, which counts good answers only.
rps() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" -s "$WORK/tiles.lua" "$1")
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' <<<"$out"; then
    echo "bench: wrk saw errors loading $1:" >&2; grep -E 'Non-2xx|Socket errors|requests in' <<<"$out" >&2
    [ "${SHED_OK:-}" = 1 ] || return 1
  fi
  awk '/requests in/ {n = $1; s = $4 + 0} /Non-2xx or 3xx/ {bad = $NF} END {printf "%.0f\n", (n - bad) / s}' <<<"$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One short run each first: the measured runs start warm.
DURATION=2s rps http://127.0.0.1:$PORT >/dev/null || true
DURATION=2s rps http://127.0.0.1:$NGINX_PORT >/dev/null
ov=(); ng=()
for _ in $(seq "$ROUNDS"); do
  ov+=("$(rps http://127.0.0.1:$PORT)")
  ng+=("$(rps http://127.0.0.1:$NGINX_PORT)")
done
ovm=$(printf '%s\n' "${ov[@]}" | median); ngm=$(printf '%s\n' "${ng[@]}" | median)
echo "log size $size revisions; $tiles tiles ($bytes bytes), mirrored in ${mirrored} s; $CONNS connections, $DURATION a run, $ROUNDS rounds each, alternating"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| server | req/s per run | median req/s |"
echo "|---|---|---|"
echo "| Oversight /log/ tiles | ${ov[*]} | $ovm |"
echo "| nginx, the same files | ${ng[*]} | $ngm |"
awk -v a="$ovm" -v b="$ngm" 'BEGIN {printf "Oversight / nginx: %.2f\n", a/b}'
echo "Oversight's peak resident memory: $(awk '/VmHWM/ {print $2, $3}' /proc/"$(cat "$WORK/serve.pid")"/status)"
