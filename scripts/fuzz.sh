#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each, one after the
# other (fuzzing uses every core). The targets are found with
# `go test -list 'Fuzz.*'`; PKGS narrows the packages searched. Each
# package's instrumented test binary is built once (go test -c -fuzz) and
# run for each of its targets as go test -fuzz would run it: linking it
# anew for every target took as much CPU as a second of fuzzing.
#
#   bash scripts/fuzz.sh                    # 10s each
#   FUZZTIME=60s bash scripts/fuzz.sh
#   PKGS="./ingest ./rules" FUZZTIME=5s bash scripts/fuzz.sh
#   FUZZPARALLEL=1 bash scripts/fuzz.sh     # one fuzzing worker (default: one a core)
#
# A failing input is written under the package's testdata/fuzz/<Target>/,
# where plain `go test` then replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10s}
PKGS=${PKGS:-./...}

targets=$(go test -list 'Fuzz.*' $PKGS 2>/dev/null | awk '
  /^Fuzz/ { names = names " " $1; next }
  /^ok/   { if (names != "") print $2 names; names = "" }')
if [ -z "$targets" ]; then
  echo "fuzz: no fuzz targets found in $PKGS" >&2
  exit 1
fi

LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
CACHE=$(go env GOCACHE)
failed=()
n=0
while read -r pkg names; do
  bin="$LOGS/$(basename "$pkg").test"
  dir=$(go list -f '{{.Dir}}' "$pkg")
  if ! go test -c -o "$bin" -fuzz . "$pkg" >"$LOGS/build.log" 2>&1; then
    echo "fuzz: $pkg: the test binary does not build"
    cat "$LOGS/build.log"
    failed+=("$pkg (build)")
    continue
  fi
  for t in $names; do
    n=$((n + 1))
    log="$LOGS/$t.log"
    # In the package's directory, as go test runs it: a failing input is
    # written under its testdata/fuzz/; the corpus is go test's cache.
    run() { (cd "$dir" && "$bin" -test.run '^$' -test.fuzz "^$t\$" -test.fuzztime "$FUZZTIME" \
      -test.fuzzcachedir "$CACHE/fuzz/$pkg" ${FUZZPARALLEL:+-test.parallel "$FUZZPARALLEL"}) >"$log" 2>&1; }
    # The fuzzer itself sometimes reports "context deadline exceeded" when
    # its time runs out under load, with no failing input: that is run
    # again once. A real failure writes its input and is reported.
    if run || { grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log" && run; }; then
      last=$(grep -a 'execs:' "$log" | tail -1 | sed -E 's/.*execs: ([0-9]+).*total: ([0-9]+)\).*/\1 execs, corpus \2/')
      echo "fuzz: $pkg $t, $FUZZTIME: ok, ${last:-no execs reported}"
    else
      echo "fuzz: $pkg $t, $FUZZTIME: FAILED"
      tail -20 "$log"
      failed+=("$pkg $t")
    fi
  done
done <<<"$targets"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "fuzz: $n targets, $FUZZTIME each: no failures"
