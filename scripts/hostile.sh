#!/usr/bin/env bash
# Imports every file of a hostile corpus (scripts/hostile) into one
# register, one `oversight import` each, and checks that none panics, none
# runs past TIMEOUT seconds, every process stays under MAXRSS_MB of memory,
# and after each accepted import `oversight verify` passes. It ends by
# importing valid and hostile files together, which must write nothing.
#
#   bash scripts/hostile.sh                 # the corpus with its 100 MB files
#   BIG=false bash scripts/hostile.sh       # without them
#   TIMEOUT=10 MAXRSS_MB=512 KEEP=1 bash scripts/hostile.sh
set -uo pipefail
cd "$(dirname "$0")/.."
TIMEOUT=${TIMEOUT:-10}
MAXRSS_MB=${MAXRSS_MB:-512}
BIG=${BIG:-true}
WORK=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "hostile: keeping $WORK"; fi
OV="$WORK/oversight"
DATA="$WORK/data"

go build -o "$OV" ./cmd/oversight || exit 1
go run ./scripts/hostile -out "$WORK/corpus" -big="$BIG" -aigs ../shared/data/aigs-2022/aigs_2022_sheet1.csv || exit 1
"$OV" verify --data "$DATA" >/dev/null || { echo "hostile: the fresh register does not verify" >&2; exit 1; }

# run LABEL CMD...: runs a command under the timeout and /usr/bin/time; sets
# rc, rss (KB) and err (its standard error).
run() {
  /usr/bin/time -f %M -o "$WORK/rss" timeout -s KILL "$TIMEOUT" "$@" >"$WORK/out" 2>"$WORK/err"
  rc=$?
  rss=$(grep -E '^[0-9]+$' "$WORK/rss" | tail -1)
  rss=${rss:-0}
}

# size: the log size verify reports, or FAIL.
size() {
  run "$OV" verify --data "$DATA"
  if [ "$rc" -ne 0 ]; then echo FAIL; return; fi
  sed -nE 's/^verify: OK: ([0-9]+) revisions.*/\1/p' "$WORK/out"
}

total_files=0 total_ok=0 total_refused=0 total_panic=0 total_hang=0 total_vfail=0 max_rss=0 max_file=""
last_size=$(size)
for dir in "$WORK"/corpus/*/; do
  fmt=$(basename "$dir")
  files=0 ok=0 refused=0 panics=0 hangs=0 vfail=0 fmax=0
  for f in "$dir"*; do
    files=$((files + 1))
    run "$OV" import --data "$DATA" --format "$fmt" --author hostile "$f"
    if [ "$rss" -gt "$fmax" ]; then fmax=$rss; fi
    if [ "$rss" -gt "$max_rss" ]; then max_rss=$rss; max_file="$fmt/$(basename "$f")"; fi
    if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; then
      hangs=$((hangs + 1)); echo "HANG $fmt/$(basename "$f")"
    elif grep -qE '^(panic: |fatal error: )|goroutine [0-9]+ \[running\]' "$WORK/err"; then
      panics=$((panics + 1)); echo "PANIC $fmt/$(basename "$f"): $(grep -m1 -E '^(panic|fatal error)' "$WORK/err")"
    elif [ "$rc" -eq 0 ]; then
      ok=$((ok + 1))
      s=$(size)
      if [ "$s" = FAIL ] || [ -z "$s" ]; then
        vfail=$((vfail + 1)); echo "VERIFY FAILED after $fmt/$(basename "$f")"; head -5 "$WORK/err"
      else
        last_size=$s
      fi
    else
      refused=$((refused + 1))
    fi
  done
  printf 'hostile: %-4s files %4d, accepted %3d, refused %4d, panics %d, hangs %d, verify failures %d, max RSS %d MB\n' \
    "$fmt" "$files" "$ok" "$refused" "$panics" "$hangs" "$vfail" $((fmax / 1024))
  total_files=$((total_files + files)) total_ok=$((total_ok + ok)) total_refused=$((total_refused + refused))
  total_panic=$((total_panic + panics)) total_hang=$((total_hang + hangs)) total_vfail=$((total_vfail + vfail))
done

# One transaction: valid files imported with a hostile one write nothing,
# and no refused import above changed the log.
tx_ok=yes
end_size=$(size)
[ "$end_size" = "$last_size" ] || { tx_ok=no; echo "the log grew from $last_size to $end_size through refused imports"; }
sed 's/hostile-base/hostile-transaction/' "$WORK"/corpus/json/0001-valid.json >"$WORK/new.json"
for bad in "$WORK"/corpus/json/*string-title-nul* "$WORK"/corpus/json/*null-after-valid*; do
  run "$OV" import --data "$DATA" --format json "$WORK/new.json" "$bad"
  s=$(size)
  if [ "$rc" -eq 0 ] || [ "$s" != "$end_size" ]; then tx_ok=no; echo "a refused batch with $(basename "$bad") changed the log ($end_size -> $s)"; fi
done

printf 'hostile: total files %d, accepted %d, refused %d, panics %d, hangs (>%ds) %d, verify failures %d, max RSS %d MB (%s), refused imports wrote nothing: %s\n' \
  "$total_files" "$total_ok" "$total_refused" "$total_panic" "$TIMEOUT" "$total_hang" "$total_vfail" $((max_rss / 1024)) "$max_file" "$tx_ok"
if [ "$total_panic" -gt 0 ] || [ "$total_hang" -gt 0 ] || [ "$total_vfail" -gt 0 ] || [ $((max_rss / 1024)) -ge "$MAXRSS_MB" ] || [ "$tx_ok" != yes ]; then
  exit 1
fi
