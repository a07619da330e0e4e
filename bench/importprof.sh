#!/usr/bin/env bash
# Profiles one import of an exported register into a fresh directory, and
# says where it went: CPU by table, bytes written by table and index, and
# sqlite3's own .import of the same deployments as CSV, for the ratio that
# issue 18 sets (docs/performance.md, "Import speed, 6 Dec (night)").
#
#   BIN=./oversight SRC=/tmp/t100k-new bash bench/importprof.sh
#
# SRC is a register (a data directory) that is never opened in place: it is
# copied once, exported (oversight export --no-builtin --format json) and its
# deployments' id and state written as CSV, both kept in WORK (default
# /tmp/importprof) for the next run. Each run then imports the export into a
# fresh register under /usr/bin/time with OVERSIGHT_CPUPROFILE, prints the
# CPU by table (go tool pprof -tags: the inserting goroutine labels each
# statement with its table), the bytes a deployment took in each table and
# index (SQLite's dbstat), and sqlite3's .import of the CSV, timed the same
# way. Wall times mean little on a shared machine: compare CPU seconds
# (user + system), and the load average printed with them.
set -euo pipefail
BIN=${BIN:?BIN is the oversight binary} SRC=${SRC:-/tmp/t100k-new} WORK=${WORK:-/tmp/importprof}
mkdir -p "$WORK"
if [ ! -s "$WORK/export.json" ]; then
	rm -rf "$WORK/src"
	cp -r "$SRC" "$WORK/src"
	"$BIN" export --data "$WORK/src" --no-builtin --format json -o "$WORK/export.json"
	sqlite3 -readonly -csv -header "$WORK/src/oversight.db" \
		"SELECT id, state FROM entities WHERE kind = 'deployment' ORDER BY id" >"$WORK/deployments.csv"
	rm -rf "$WORK/src"
fi
tf='%e s wall %U s user %S s sys %M KB'
dir=$WORK/run
rm -rf "$dir" "$WORK/plain.db"
OVERSIGHT_CPUPROFILE=$WORK/import.prof /usr/bin/time -o "$WORK/import.time" -f "$tf" \
	"$BIN" import --data "$dir" --no-builtin "$WORK/export.json" >/dev/null
echo "import: $(cat "$WORK/import.time"), load $(cut -d' ' -f1-3 /proc/loadavg)"
go tool pprof -tags "$BIN" "$WORK/import.prof" 2>/dev/null | sed -n '/table:/,/^$/p'
n=$(sqlite3 -readonly "$dir/oversight.db" "SELECT count(*) FROM deployments")
echo "a deployment ($n deployments) by table and index: bytes of pages, bytes of payload, entries (cells of leaf pages):"
sqlite3 -readonly "$dir/oversight.db" "SELECT printf('%-45s %7.0f %7.0f %7.2f', name, sum(pgsize) * 1.0 / $n, sum(payload) * 1.0 / $n,
	sum(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END) * 1.0 / $n)
	FROM dbstat GROUP BY name HAVING sum(pgsize) * 1.0 / $n >= 1 ORDER BY sum(pgsize) DESC"
echo "file: $(stat -c %s "$dir/oversight.db") bytes"
/usr/bin/time -o "$WORK/plain.time" -f "$tf" sqlite3 "$WORK/plain.db" ".mode csv" ".import $WORK/deployments.csv deployments"
echo "sqlite3 .import of the same deployments as CSV: $(cat "$WORK/plain.time"), load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$dir" "$WORK/plain.db"
