#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each, one after the
# other (fuzzing uses every core). PKGS narrows the packages searched.
# Each package whose tests declare a fuzz target has its instrumented test
# binary built once (go test -c -fuzz), two builds at a time, and run for
# each target it lists (-test.list), as go test -fuzz would run it. Asking
# go test -list for the targets instead linked every package's test binary
# again, and linking a binary anew per target took as much CPU as a second
# of fuzzing.
#
#   bash scripts/fuzz.sh                    # 10s each
#   FUZZTIME=60s bash scripts/fuzz.sh
#   PKGS="./ingest ./rules" FUZZTIME=5s bash scripts/fuzz.sh
#   FUZZPARALLEL=1 bash scripts/fuzz.sh     # one fuzzing worker (default: one a core)
#   bash scripts/fuzz.sh -build DIR         # only build the binaries into DIR
#   FUZZBIN=DIR bash scripts/fuzz.sh        # run the binaries DIR holds (builds the missing)
#
# scripts/test.sh builds the binaries with -build, under nice, while the
# tests run, and then fuzzes with FUZZBIN.
#
# A failing input is written under the package's testdata/fuzz/<Target>/,
# where plain `go test` then replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10s}
PKGS=${PKGS:-./...}

only_build=
if [ "${1:-}" = -build ]; then
  only_build=1
  FUZZBIN=${2:?usage: fuzz.sh -build DIR}
fi
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
BIN=${FUZZBIN:-$LOGS}
mkdir -p "$BIN"

# The packages with a fuzz target: one of their test files declares one.
pkgs=$(go list -f '{{.ImportPath}} {{.Dir}}' $PKGS | while read -r pkg dir; do
  if grep -qs '^func Fuzz' "$dir"/*_test.go; then echo "$pkg"; fi
done)
if [ -z "$pkgs" ]; then
  echo "fuzz: no fuzz targets found in $PKGS" >&2
  exit 1
fi

# binary names a package's instrumented test binary in $BIN; a build that
# failed leaves its output beside it, in .log.
binary() { echo "$BIN/$(echo "$1" | tr / _).test"; }
build() {
  local bin
  bin=$(binary "$1")
  [ -x "$bin" ] && return
  go test -c -o "$bin.tmp" -fuzz . "$1" >"$bin.log" 2>&1 && mv "$bin.tmp" "$bin"
}
export -f binary build
export BIN
echo "$pkgs" | xargs -P 2 -I{} bash -c 'build {}'
if [ -n "$only_build" ]; then
  exit 0
fi

CACHE=$(go env GOCACHE)
failed=()
n=0
for pkg in $pkgs; do
  bin=$(binary "$pkg")
  if [ ! -x "$bin" ]; then
    echo "fuzz: $pkg: the test binary does not build"
    cat "$bin.log"
    failed+=("$pkg (build)")
    continue
  fi
  dir=$(go list -f '{{.Dir}}' "$pkg")
  names=$(cd "$dir" && "$bin" -test.list '^Fuzz')
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
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
if [ "$n" = 0 ]; then
  echo "fuzz: no fuzz targets found in $PKGS" >&2
  exit 1
fi
echo "fuzz: $n targets, $FUZZTIME each: no failures"
