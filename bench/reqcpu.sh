#!/usr/bin/env bash
# Sends the same requests of the two slowest kinds of bench/load's mix (an
# API list by jurisdiction, technology and year; the search page with
# words, a jurisdiction and a cursor) to two servers already running on
# the same register, one request at a time, each to both, alternating which
# goes first (the first warms the page cache for the other), and prints for
# each the kind, the port, the status and the CPU time (ms, in steps of
# the kernel's clock tick) the server's process spent on it, from /proc:
# a comparison that the machine's load does not move.
#
#   bash bench/reqcpu.sh PID-A PORT-A PID-B PORT-B [N] [SEED]
#
# The servers must do nothing else meanwhile: no other client, and no
# tier projection in the background (a register whose tiers are pending
# projects them for minutes to hours).
set -euo pipefail
pa=$1 porta=$2 pb=$3 portb=$4 n=${5:-40}
RANDOM=${6:-12}
tck=$(getconf CLK_TCK)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cpu() { awk -v t="$tck" '{ print ($14 + $15) * 1000 / t }' "/proc/$1/stat"; }
codes=(IN PK CN KZ MM TH MY ID PH VN KH LA SG KR JP AU NZ BD LK UZ KG)
techs=(face_detection remote_biometric_identification lpr_anpr cctv crowd_analytics)
words=(safe city police camera metro harbour border airport)
for i in $(seq "$n"); do
  if [ $((i % 2)) = 0 ]; then
    kind=list path="/api/v1/deployments?jurisdiction=${codes[RANDOM % 21]}&technology=${techs[RANDOM % 5]}&year_from=$((2010 + RANDOM % 10))&limit=50"
  else
    c=$(printf 'synthetic-%08d' $(((RANDOM * 32768 + RANDOM) % 1000000)) | base64 | tr -d '=\n' | tr '+/' '-_')
    kind=search path="/search?q=${words[RANDOM % 8]}&jurisdiction=${codes[RANDOM % 21]}&cursor=$c"
  fi
  order=("$pa $porta" "$pb $portb")
  [ $((i % 4)) -ge 2 ] && order=("$pb $portb" "$pa $porta")
  for s in "${order[@]}"; do
    read -r pid port <<<"$s"
    a=$(cpu "$pid")
    r=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "http://127.0.0.1:$port$path")
    b=$(cpu "$pid")
    echo "$kind $port $r $(awk -v a="$a" -v b="$b" 'BEGIN { print b - a }') $path"
  done
done >"$out"
cat "$out"
# Per kind and server: requests, CPU sum, median and max, and answers
# other than 200.
for k in $(cut -d' ' -f1,2 "$out" | sort -u | tr ' ' ':'); do
  grep "^${k/:/ } " "$out" | awk '{ print $4, $3 }' | sort -n | awk -v k="${k/:/ on port }" '
    { v[NR] = $1; s += $1; if ($2 != 200) bad++ }
    END { printf "reqcpu: %s: %d requests, CPU sum %d ms, median %d ms, max %d ms, not 200: %d\n", k, NR, s, v[int((NR + 1) / 2)], v[NR], bad }'
done
