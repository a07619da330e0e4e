#!/usr/bin/env bash
# Compares the write path of two builds of oversight side by side.
#
#   A=./oversight-main B=./oversight bash bench/importab.sh
#
# Each round starts `oversight gen --deployments N` into a fresh register
# with both binaries at the same moment, so that both see the same load,
# and prints one line a run: wall, user and system seconds, peak resident
# memory, and the load average as it ended. With FILE set, each round
# imports that file (`oversight import --no-builtin FILE`) instead. The
# machine may be shared: compare CPU seconds (user + system) round by
# round, and take medians. N defaults to 100000, ROUNDS to 3. On a quiet
# machine, SEQ=1 runs them one after the other instead, A first in odd
# rounds and B first in even ones: each then has both cores, as an import
# on an idle machine does.
set -euo pipefail
A=${A:?A is the first oversight binary} B=${B:?B is the second oversight binary}
N=${N:-100000} ROUNDS=${ROUNDS:-3} FILE=${FILE:-} SEQ=${SEQ:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { # run NAME BINARY ROUND
	local name=$1 bin=$2 round=$3 dir=$work/$1-$3
	local args=(gen --data "$dir" --deployments "$N")
	if [ -n "$FILE" ]; then
		args=(import --data "$dir" --no-builtin "$FILE")
	fi
	/usr/bin/time -o "$dir.time" -f "%e s wall %U s user %S s sys %M KB" "$bin" "${args[@]}" >/dev/null 2>&1
	echo "$name round $round: $(cat "$dir.time"), load $(cut -d' ' -f1-3 /proc/loadavg)"
	rm -rf "$dir"
}
for r in $(seq "$ROUNDS"); do
	if [ -z "$SEQ" ]; then
		run A "$A" "$r" &
		run B "$B" "$r" &
		wait
	elif [ $((r % 2)) = 1 ]; then
		run A "$A" "$r"
		run B "$B" "$r"
	else
		run B "$B" "$r"
		run A "$A" "$r"
	fi
done
