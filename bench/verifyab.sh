#!/usr/bin/env bash
# verifyab.sh times two builds' `oversight verify` of the same register in
# turn, ROUNDS rounds, and prints each run's wall, user and sys seconds
# (/usr/bin/time) and the load average before it, then each build's
# medians. Extra arguments go to both builds' verify; $BARGS to the second
# build's alone (BARGS=-v prints its stages). SAVE=DIR keeps each run's
# output there.
#
#   BARGS=-v SAVE=/tmp/out bash bench/verifyab.sh ./oversight-main ./oversight-new DIR 3
set -euo pipefail
a=$1 b=$2 dir=$3 rounds=${4:-3}
shift 4 || shift $#
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
	for bin in "$a" "$b"; do
		load=$(cut -d' ' -f1 /proc/loadavg)
		extra=()
		if [ "$bin" = "$b" ] && [ -n "${BARGS:-}" ]; then
			read -ra extra <<<"$BARGS"
		fi
		/usr/bin/time -f "%e %U %S %M" -o "$out/t" "$bin" verify --data "$dir" "$@" "${extra[@]}" >"$out/o" 2>&1 || true
		if [ -n "${SAVE:-}" ]; then
			cp "$out/o" "$SAVE/round$r-$(basename "$bin").out"
		fi
		read -r wall user sys kb <"$out/t"
		verdict=$(grep -o 'verify: OK\|verify: FAILED' "$out/o" | head -1)
		cpu=$(echo "$user + $sys" | bc)
		echo "$r $bin load=$load wall=${wall}s user=${user}s sys=${sys}s cpu=${cpu}s rss=${kb}KB ${verdict:-no verdict}"
		echo "$wall $cpu" >>"$out/$(basename "$bin")"
	done
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for bin in "$a" "$b"; do
	f="$out/$(basename "$bin")"
	echo "median $bin: wall=$(cut -d' ' -f1 "$f" | median)s cpu=$(cut -d' ' -f2 "$f" | median)s"
done
