#!/usr/bin/env bash
# Imports every file of a hostile corpus (scripts/hostile), one `oversight
# import` each, and checks that none panics, none runs past TIMEOUT seconds,
# every process stays under MAXRSS_MB of memory, and after each accepted
# import `oversight verify` passes. JOBS importers run at once, each into a
# register of its own copied from one seeded register, so that every file
# still meets a register that only the files before it changed. Then each
# register must show that no refused import wrote to it, and must export
# and re-import (into an empty register) to the same bytes; and valid and
# hostile files imported together must write nothing. Last, it serves a
# register and sends every file of the corpus as the body of every POST
# endpoint (POSTS), PAR at once: no answer may be a 5xx other than 503,
# none may take past TIMEOUT seconds, the server must not panic or stop,
# and its peak memory must stay under MAXRSS_MB.
#
#   bash scripts/hostile.sh                 # the corpus with its 100 MB files
#   BIG=false bash scripts/hostile.sh       # without them
#   TIMEOUT=10 MAXRSS_MB=512 JOBS=2 PAR=4 PORT=41700 KEEP=1 bash scripts/hostile.sh
#   AIGS=/path/to/aigs_2022_sheet1.csv     # the AIGS sheet the aigs files mutate
#   SAMPLE=50 BIG=false bash scripts/hostile.sh   # every 50th file only: a quick try
#   SAMPLE=6 WALL=120 bash scripts/hostile.sh      # every 6th, and the 100 MB files
#   ONLY=100mb bash scripts/hostile.sh             # the files whose path matches only
set -uo pipefail
cd "$(dirname "$0")/.."
# A process that runs past TIMEOUT seconds, of CPU or of wall-clock time,
# is a hang. It is killed after WALL seconds: on a machine loaded by
# others, where a process waits for a core, give WALL more than TIMEOUT,
# and the CPU time still tells a hang.
TIMEOUT=${TIMEOUT:-10}
WALL=${WALL:-$TIMEOUT}
MAXRSS_MB=${MAXRSS_MB:-512}
BIG=${BIG:-true}
JOBS=${JOBS:-2}
PAR=${PAR:-4}
PORT=${PORT:-$((20000 + RANDOM % 20000))}
AIGS=${AIGS:-../shared/data/aigs-2022/aigs_2022_sheet1.csv}
WORK=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -z "${KEEP:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT
[ -z "${KEEP:-}" ] || echo "hostile: keeping $WORK"
OV="$WORK/oversight"
start=$(date +%s)

go build -o "$OV" ./cmd/oversight || exit 1
go build -o "$WORK/gen" ./scripts/hostile || exit 1
"$WORK/gen" -out "$WORK/corpus" -big="$BIG" -aigs "$AIGS" || exit 1
# One register is seeded with the built-in dataset; each importer starts
# from a copy of it instead of seeding its own.
"$OV" verify --data "$WORK/seed" >/dev/null || { echo "hostile: the fresh register does not verify" >&2; exit 1; }

# run CMD...: runs a command under /usr/bin/time, killed after WALL
# seconds, in the directory D of the importer that calls it; sets rc, rss
# (KB), cpu and wall (seconds), and leaves its output in $D/out and $D/err.
run() {
  /usr/bin/time -f '%M %U %S %e' -o "$D/rss" timeout -s KILL "$WALL" "$@" >"$D/out" 2>"$D/err"
  rc=$?
  read -r rss user sys wall < <(grep -E '^[0-9]+ ' "$D/rss" | tail -1)
  rss=${rss:-0}
  cpu=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')
  wall=${wall:-$WALL}
}

# size DATA: the log size verify reports for a register, or FAIL.
size() {
  run "$OV" verify --data "$1"
  if [ "$rc" -ne 0 ]; then echo FAIL; return; fi
  sed -nE 's/^verify: OK: ([0-9]+) revisions.*/\1/p' "$D/out"
}

# importer N: imports the files of $WORK/imp.N/files into the register
# $WORK/imp.N/data, writing a line "FORMAT STATUS RSS-KB CPU-S WALL-S FILE" for each to
# $WORK/imp.N/results, then checks that register as a whole (see above),
# writing "check NAME yes|no DETAIL" lines.
importer() {
  D="$WORK/imp.$1"
  local data="$D/data" f fmt status last s
  cp -r "$WORK/seed" "$data"
  last=$(size "$data")
  while read -r f; do
    fmt=$(basename "$(dirname "$f")")
    run "$OV" import --data "$data" --format "$fmt" --author hostile "$f"
    if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ] || awk -v c="$cpu" -v w="$wall" -v t="$TIMEOUT" -v l="$WALL" 'BEGIN { exit !(c > t || (w > t && l == t)) }'; then
      status=hang
    elif grep -qE '^(panic: |fatal error: )|goroutine [0-9]+ \[running\]' "$D/err"; then
      status=panic; echo "PANIC $fmt/$(basename "$f"): $(grep -m1 -E '^(panic|fatal error)' "$D/err")"
    elif [ "$rc" -eq 0 ]; then
      status=ok
      s=$(size "$data")
      if [ "$s" = FAIL ] || [ -z "$s" ]; then
        status=vfail; echo "VERIFY FAILED after $fmt/$(basename "$f")"; head -5 "$D/err"
      else
        last=$s
      fi
    else
      status=refused
    fi
    echo "$fmt $status $rss $cpu $wall $fmt/$(basename "$f")" >>"$D/results"
  done <"$D/files"

  # No refused import changed the log.
  s=$(size "$data")
  if [ "$s" = "$last" ]; then echo "check unwritten yes" >>"$D/results"; else echo "check unwritten no $last->$s" >>"$D/results"; fi
  # What was accepted exports, re-imports into an empty register, and
  # exports to the same bytes.
  if "$OV" export --data "$data" --format json -o "$D/a.json" 2>"$D/err" &&
    "$OV" import --data "$D/again" --no-builtin --format json --author hostile "$D/a.json" >/dev/null 2>>"$D/err" &&
    "$OV" export --data "$D/again" --format json -o "$D/b.json" 2>>"$D/err" && cmp -s "$D/a.json" "$D/b.json"; then
    echo "check roundtrip yes" >>"$D/results"
  else
    echo "check roundtrip no $(head -c 300 "$D/err")" >>"$D/results"
  fi
  rm -rf "$D/again" "$D/a.json" "$D/b.json"
}

# SAMPLE=K keeps every K-th file only, for a quick try of the script, and
# every file over 50 MB (the files BIG adds, which no sample would
# otherwise be sure to hold); ONLY=RE keeps the files whose path RE
# matches.
find "$WORK/corpus" -type f | sort | awk -v k="${SAMPLE:-1}" -v big="$(find "$WORK/corpus" -type f -size +50M | tr '\n' ' ')" '
  BEGIN { n = split(big, b, " "); for (i = 1; i <= n; i++) keep[b[i]] = 1 }
  NR % k == 0 || $0 in keep' | grep -E -- "${ONLY:-.}" >"$WORK/files"
for n in $(seq 0 $((JOBS - 1))); do
  mkdir -p "$WORK/imp.$n"
  # Round robin, so that each importer gets its share of every format.
  awk -v n="$JOBS" -v w="$n" 'NR % n == w' "$WORK/files" >"$WORK/imp.$n/files"
  importer "$n" &
done
wait
cat "$WORK"/imp.*/results >"$WORK/results"

awk -v timeout="$TIMEOUT" '
  $1 == "check" { next }
  {
    f[$1]++; n++
    if ($2 == "ok" || $2 == "vfail") { ok[$1]++; oks++ }
    if ($2 == "refused") { ref[$1]++; refs++ }
    if ($2 == "panic") { pan[$1]++; pans++ }
    file = $6; for (i = 7; i <= NF; i++) file = file " " $i
    if ($2 == "hang") { hang[$1]++; hangs++; print "HANG " file " (" $4 " s of CPU, " $5 " s)" }
    if ($2 == "vfail") { vf[$1]++; vfs++ }
    if ($3 > rss[$1]) rss[$1] = $3
    if ($3 > max) { max = $3; maxf = file }
    if ($4 > cpu) { cpu = $4; cpuf = file }
    if ($5 > wall) { wall = $5; wallf = file }
  }
  END {
    for (k in f) printf "hostile: %-4s files %4d, accepted %3d, refused %4d, panics %d, hangs %d, verify failures %d, max RSS %d MB\n",
      k, f[k], ok[k], ref[k], pan[k], hang[k], vf[k], rss[k] / 1024 | "sort"
    close("sort")
    printf "hostile: imports: files %d, accepted %d, refused %d, panics %d, hangs (>%ds) %d, verify failures %d, max RSS %d MB (%s)\n",
      n, oks, refs, pans, timeout, hangs, vfs, max / 1024, maxf
    printf "hostile: imports: longest %.1f s of CPU (%s), %.1f s of wall-clock time (%s)\n", cpu, cpuf, wall, wallf
  }' "$WORK/results" | tee "$WORK/summary"
read -r panics hangs vfails maxrss < <(awk '$1 != "check" {
  p += $2 == "panic"; h += $2 == "hang"; v += $2 == "vfail"; if ($3 > m) m = $3 } END { print p + 0, h + 0, v + 0, int(m / 1024) }' "$WORK/results")

# One transaction: valid files imported with a hostile one write nothing.
D="$WORK/imp.0"
tx_ok=yes
end_size=$(size "$D/data")
sed 's/hostile-base/hostile-transaction/' "$WORK"/corpus/json/0001-valid.json >"$WORK/new.json"
for bad in "$WORK"/corpus/json/*string-title-nul* "$WORK"/corpus/json/*null-after-valid*; do
  run "$OV" import --data "$D/data" --format json "$WORK/new.json" "$bad"
  s=$(size "$D/data")
  if [ "$rc" -eq 0 ] || [ "$s" != "$end_size" ]; then tx_ok=no; echo "a refused batch with $(basename "$bad") changed the log ($end_size -> $s)"; fi
done
unwritten=yes roundtrip=yes
grep -q '^check unwritten no' "$WORK/results" && { unwritten=no; grep '^check unwritten no' "$WORK/results"; }
grep -q '^check roundtrip no' "$WORK/results" && { roundtrip=no; grep '^check roundtrip no' "$WORK/results"; }
printf 'hostile: registers: %d, refused imports wrote nothing: %s, a refused batch wrote nothing: %s, exports re-import to the same bytes: %s\n' \
  "$JOBS" "$unwritten" "$tx_ok" "$roundtrip"
failed=no
if [ "$panics" -gt 0 ] || [ "$hangs" -gt 0 ] || [ "$vfails" -gt 0 ] || [ "$maxrss" -ge "$MAXRSS_MB" ] ||
  [ "$tx_ok" != yes ] || [ "$unwritten" != yes ] || [ "$roundtrip" != yes ]; then
  failed=yes
fi
echo "hostile: imports took $(($(date +%s) - start)) s"

# The POST endpoints, each "PATH CONTENT-TYPE" (CONTENT-TYPE "-": the type
# of the corpus file's format). A page's form (a path without /api/) is
# sent with the form token of the page that shows it, so that the body
# reaches the form's own reader past the token check.
export WALL URL JAR="$WORK/jar" TOKEN POSTPATH
POSTS=${POSTS:-"/api/v1/classify - /assess application/x-www-form-urlencoded /api/v1/submissions application/json /submit application/x-www-form-urlencoded /login application/x-www-form-urlencoded"}
URL="http://127.0.0.1:$PORT"
# Each body comes from an address of its own (X-Forwarded-For, which the
# server reads behind a proxy), so that the rate of writes lets every one
# reach its parser.
"$OV" serve --data "$WORK/imp.0/data" --addr "127.0.0.1:$PORT" --trust-proxy >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null && break; sleep 0.2; done
post_start=$(date +%s)
set -- $POSTS
while [ $# -ge 2 ]; do
  path=$1 ctype=$2; shift 2
  POSTPATH=$path
  TOKEN=
  case "$path" in
    /api/*) ;;
    *)
      # The page's form gives its token, if it has one, and sets the
      # cookie it is checked against.
      TOKEN=$(curl -s -c "$WORK/jar" "$URL$path" | sed -nE 's/.*name="csrf" value="([^"]+)".*/\1/p' | head -1)
      ;;
  esac
  # PAR requests at once, one curl each, every one writing its status,
  # time and file.
  sent=0
  while read -r f; do
    t=$ctype
    if [ "$t" = - ]; then
      case "$f" in */json/*) t=application/json ;; */yaml/*) t=application/yaml ;; *) t=text/csv ;; esac
    fi
    sent=$((sent + 1))
    echo "$t 10.$((sent / 65536 % 256)).$((sent / 256 % 256)).$((sent % 256)) $f"
  done <"$WORK/files" | xargs -d '\n' -n 1 -P "$PAR" sh -c '
    # "TYPE ADDRESS FILE", whose file name may hold spaces.
    t=${1%% *} rest=${1#* }
    from=${rest%% *} f=${rest#* }
    shift
    if [ -n "$TOKEN" ]; then set -- -b "$JAR" --data-urlencode "csrf=$TOKEN"; fi
    curl -s -o /dev/null -w "%{http_code} %{time_total} $f\n" --max-time "$WALL" -X POST -H "Content-Type: $t" \
      -H "X-Forwarded-For: $from" --data-binary @"$f" "$@" "$URL$POSTPATH"' sh >"$WORK/post.out"
  awk -v path="$path" -v timeout="$TIMEOUT" -v wall="$WALL" '
    { n++; if ($2 > longest) longest = $2; if ($2 > timeout) over++; f = $3; for (i = 4; i <= NF; i++) f = f " " $i }
    $1 == "000" && $2 >= wall - 0.5 { hung++; print "HANG POST " path " " f; next }
    $1 == "000" { lost++; print "NO ANSWER POST " path " " f; next }
    $1 ~ /^2/ { ok++; next }
    $1 == 503 { shed++; next }
    $1 ~ /^5/ { errs++; print "5xx (" $1 ") POST " path " " f; next }
    { refused++ }
    END {
      printf "hostile: POST %-19s bodies %d, 2xx %d, 4xx %d, 503 %d, other 5xx %d, no answer %d, killed at %ds %d, over %ds %d, longest %.1f s\n",
        path, n, ok, refused, shed, errs, lost, wall, hung, timeout, over, longest
      exit (errs + lost + hung > 0)
    }' "$WORK/post.out" || failed=yes
done
alive=yes
curl -fs "$URL/healthz" >/dev/null || alive=no
serve_rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$server/status" 2>/dev/null)
serve_rss=${serve_rss:-0}
server_panics=$(grep -cE 'http: panic serving|^panic: |^fatal error: ' "$WORK/serve.err")
printf 'hostile: server: alive %s, panics %d, peak RSS %d MB; POSTs took %d s, the whole run %d s\n' \
  "$alive" "$server_panics" $((serve_rss / 1024)) $(($(date +%s) - post_start)) $(($(date +%s) - start))
if [ "$alive" != yes ] || [ "$server_panics" -gt 0 ] || [ $((serve_rss / 1024)) -ge "$MAXRSS_MB" ]; then failed=yes; fi
[ "$failed" = no ] || exit 1
