#!/usr/bin/env bash
# Times the first request of each whole-register URL after a write.
#
#   BIN=./oversight DATA=dir bash bench/firstrequest.sh
#
# For each URL it starts `oversight serve` afresh on DATA (so that no value
# computed from an earlier state can be served instead), writes one change
# with `oversight import` (the title of one synthetic deployment), then
# asks for the URL until it answers 200: a page whose whole-register value
# is not ready within memo.MaxWait answers 503 and is asked again every
# 0.2 s, for GIVEUP seconds at most (default 300). It prints, per URL, the
# first request's time and status, the time until the first 200, and the
# CPU time the server spent from the write to that 200 (user + system, from
# /proc: less bent by other processes' load than the times are). DATA must
# hold synthetic deployments (`oversight gen`): it is changed. PORT
# (default 41201) is the port served on.
set -euo pipefail
BIN=${BIN:?BIN is the oversight binary} DATA=${DATA:?DATA is a data directory made by oversight gen}
PORT=${PORT:-41201}
URLS=${URLS:-/api/v1/trends /api/v1/network /trends /network /}
GIVEUP=${GIVEUP:-300}
base=http://127.0.0.1:$PORT
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
n=0
# cpu prints the CPU seconds process $1 has used (utime + stime).
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
printf '| URL | first request (s) | its status | until 200 (s) | server CPU (s) |\n|---|---|---|---|---|\n'
for url in $URLS; do
	"$BIN" serve --data "$DATA" --addr "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do curl -sf -o /dev/null "$base/api/v1/jurisdictions" && break; sleep 0.2; done
	n=$((n + 1))
	id=synthetic-00000001
	curl -sf "$base/api/v1/deployments/$id" | jq --arg t "Synthetic deployment 1 (edit $n $RANDOM)" '{deployments: [del(.tiers, .classification, .revisions, .replies) | .title = $t]}' >"$work/one.json"
	cpu0=$(cpu "$pid")
	"$BIN" import --data "$DATA" --reason "bench/firstrequest.sh" "$work/one.json" >/dev/null
	start=$(date +%s.%N)
	read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 600 "$base$url")
	first=$code
	took=
	while [ "$code" != 200 ]; do
		if [ "$(echo "$(date +%s.%N) - $start > $GIVEUP" | bc)" = 1 ]; then
			took="none in $GIVEUP s (last status $code)"
			break
		fi
		sleep 0.2
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 600 "$base$url")
	done
	took=${took:-$(printf '%.2f' "$(echo "$(date +%s.%N) - $start" | bc)")}
	used=$(echo "$(cpu "$pid") - $cpu0" | bc)
	printf '| %s | %.2f | %s | %s | %.2f |\n' "$url" "$t" "$first" "$took" "$used"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
done
