#!/usr/bin/env bash
# Imports every file of a hostile corpus (scripts/hostile) into one
# register, one `oversight import` each, and checks that none panics, none
# runs past TIMEOUT seconds, every process stays under MAXRSS_MB of memory,
# and after each accepted import `oversight verify` passes. Then imports
# valid and hostile files together, which must write nothing. Then serves
# the register and sends every file of the corpus as the body of every
# POST endpoint (POSTS): no answer may be a 5xx other than 503, none may
# take past TIMEOUT seconds, the server must not panic or stop, and its
# peak memory must stay under MAXRSS_MB.
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

printf 'hostile: imports: files %d, accepted %d, refused %d, panics %d, hangs (>%ds) %d, verify failures %d, max RSS %d MB (%s), refused imports wrote nothing: %s\n' \
  "$total_files" "$total_ok" "$total_refused" "$total_panic" "$TIMEOUT" "$total_hang" "$total_vfail" $((max_rss / 1024)) "$max_file" "$tx_ok"
failed=no
if [ "$total_panic" -gt 0 ] || [ "$total_hang" -gt 0 ] || [ "$total_vfail" -gt 0 ] || [ $((max_rss / 1024)) -ge "$MAXRSS_MB" ] || [ "$tx_ok" != yes ]; then
  failed=yes
fi

# The POST endpoints, each "PATH CONTENT-TYPE" (empty: the type of the
# corpus file's format).
POSTS=${POSTS:-"/api/v1/classify - /assess application/x-www-form-urlencoded /api/v1/submissions application/json"}
PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT"
# Each body comes from an address of its own (X-Forwarded-For, which the
# server reads behind a proxy), so that the rate of writes lets every one
# reach its parser.
"$OV" serve --data "$DATA" --addr "127.0.0.1:$PORT" --trust-proxy >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
trap 'kill "$server" 2>/dev/null; [ -z "${KEEP:-}" ] && rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null && break; sleep 0.2; done
set -- $POSTS
while [ $# -ge 2 ]; do
  path=$1 ctype=$2; shift 2
  sent=0 ok=0 refused=0 shed=0 errors=0 slow=0
  for f in "$WORK"/corpus/*/*; do
    t=$ctype
    if [ "$t" = - ]; then
      case "$f" in
        */json/*) t=application/json ;; */yaml/*) t=application/yaml ;; *) t=text/csv ;;
      esac
    fi
    sent=$((sent + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$TIMEOUT" -X POST -H "Content-Type: $t" \
      -H "X-Forwarded-For: 10.$((sent / 65536 % 256)).$((sent / 256 % 256)).$((sent % 256))" --data-binary @"$f" "$URL$path")
    case "$code" in
      000) slow=$((slow + 1)); echo "HANG POST $path $(basename "$f")" ;;
      2*) ok=$((ok + 1)) ;;
      503) shed=$((shed + 1)) ;;
      5*) errors=$((errors + 1)); echo "5xx ($code) POST $path $(basename "$f")" ;;
      *) refused=$((refused + 1)) ;;
    esac
  done
  printf 'hostile: POST %-16s bodies %d, 2xx %d, 4xx %d, 503 %d, other 5xx %d, hangs (>%ds) %d\n' "$path" "$sent" "$ok" "$refused" "$shed" "$errors" "$TIMEOUT" "$slow"
  if [ "$errors" -gt 0 ] || [ "$slow" -gt 0 ]; then failed=yes; fi
done
alive=yes
curl -fs "$URL/healthz" >/dev/null || alive=no
serve_rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status" 2>/dev/null)
serve_rss=${serve_rss:-0}
server_panics=$(grep -cE 'http: panic serving|^panic: |^fatal error: ' "$WORK/serve.err")
printf 'hostile: server: alive %s, panics %d, peak RSS %d MB\n' "$alive" "$server_panics" $((serve_rss / 1024))
if [ "$alive" != yes ] || [ "$server_panics" -gt 0 ] || [ $((serve_rss / 1024)) -ge "$MAXRSS_MB" ]; then failed=yes; fi
[ "$failed" = no ] || exit 1
