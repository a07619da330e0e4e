#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each, FUZZJOBS at a
# time (default: one a core), each with FUZZPARALLEL fuzzing workers
# (default 1). PKGS narrows the packages searched.
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
#   FUZZJOBS=1 FUZZPARALLEL=2 bash scripts/fuzz.sh  # one target at a time, two workers
#                                           # (default: a target a core, one worker each)
#   bash scripts/fuzz.sh -build DIR         # only build the binaries into DIR
#   FUZZBIN=DIR bash scripts/fuzz.sh        # run the binaries DIR holds (builds the missing)
#   TESTBIN=DIR bash scripts/fuzz.sh        # run plain test binaries, as `go test -o DIR/ ./...`
#                                           # left them: no coverage guidance, nothing built
#
# scripts/test.sh fuzzes with TESTBIN, the binaries its go test ran: an
# instrumented build compiles every dependency again (SQLite, CEL, pgx:
# 586 CPU s of a cold run's 1,653, docs/performance.md, "The suite on a
# cold machine"), and at 1 s half the targets got no further than their
# seeds with it. Without coverage the fuzzer still mutates each seed
# corpus; fuzz with this script's default for guidance.
#
# A failing input is written under the package's testdata/fuzz/<Target>/,
# where plain `go test` then replays it.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-10s}
FUZZPARALLEL=${FUZZPARALLEL:-1}
PKGS=${PKGS:-./...}

only_build=
if [ "${1:-}" = -build ]; then
  only_build=1
  FUZZBIN=${2:?usage: fuzz.sh -build DIR}
fi
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
BIN=${FUZZBIN:-$LOGS}

# The packages with a fuzz target: one of their test files declares one;
# each one's directory kept from the same listing.
declare -A dirs
pkgs=
while read -r pkg dir; do
  if grep -qs '^func Fuzz' "$dir"/*_test.go; then
    pkgs+="$pkg"$'\n'
    dirs[$pkg]=$dir
  fi
done < <(go list -f '{{.ImportPath}} {{.Dir}}' $PKGS)
pkgs=${pkgs%$'\n'}
if [ -z "$pkgs" ]; then
  echo "fuzz: no fuzz targets found in $PKGS" >&2
  exit 1
fi

# binary names a package's instrumented test binary in $BIN, or with
# TESTBIN its plain one as go test -o names it (the package's last
# element); a build that failed leaves its output beside it, in .log.
INSTRUMENT="-fuzz ."
if [ -n "${TESTBIN:-}" ]; then
  BIN=$TESTBIN
  INSTRUMENT=
  binary() { echo "$BIN/${1##*/}.test"; }
else
  binary() { echo "$BIN/$(echo "$1" | tr / _).test"; }
fi
mkdir -p "$BIN"
build() {
  local bin
  bin=$(binary "$1")
  [ -x "$bin" ] && return
  # shellcheck disable=SC2086 # INSTRUMENT is two words or none
  go test -c -o "$bin.tmp" $INSTRUMENT "$1" >"$bin.log" 2>&1 && mv "$bin.tmp" "$bin"
}
export -f binary build
export BIN INSTRUMENT
echo "$pkgs" | xargs -P 2 -I{} bash -c 'build {}'
if [ -n "$only_build" ]; then
  exit 0
fi

CACHE=$(go env GOCACHE)
export CACHE FUZZTIME FUZZPARALLEL LOGS
# The targets, one a line: package, its directory, its binary, the target.
# A package whose binary did not build is reported here, once.
targets=$LOGS/targets
: >"$targets"
failed=()
for pkg in $pkgs; do
  bin=$(binary "$pkg")
  if [ ! -x "$bin" ]; then
    echo "fuzz: $pkg: the test binary does not build"
    cat "$bin.log"
    failed+=("$pkg (build)")
    continue
  fi
  dir=${dirs[$pkg]}
  for t in $(cd "$dir" && "$bin" -test.list '^Fuzz'); do
    echo "$pkg $dir $bin $t" >>"$targets"
  done
done

# fuzzone fuzzes one target and reports it in one piece (under a lock, as
# FUZZJOBS targets run at a time); a failure also leaves $LOGS/<name>.failed.
fuzzone() {
  local pkg=$1 dir=$2 bin=$3 t=$4 name log report
  name=$(echo "$pkg" | tr / _).$t
  log=$LOGS/$name.log
  report=$LOGS/$name.report
  # In the package's directory, as go test runs it: a failing input is
  # written under its testdata/fuzz/; the corpus is go test's cache.
  run() { (cd "$dir" && "$bin" -test.run '^$' -test.fuzz "^$t\$" -test.fuzztime "$FUZZTIME" \
    -test.fuzzcachedir "$CACHE/fuzz/$pkg" -test.parallel "$FUZZPARALLEL") >"$log" 2>&1; }
  # Go's fuzz coordinator (before Go 1.27, go.dev/issue/75804) can report
  # the end of FUZZTIME itself as a failure, a bare "context deadline
  # exceeded" with no failing input, more often under load: that is run
  # again, twice at most, and then taken for the end of its time (it
  # failed twice so in a run of the suite, 7 Dec). A real failure, a hang among
  # them, writes its input and is reported; a target's own error names
  # its file and line.
  race() { grep -qx '    context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; }
  local tries=1 note=
  until run; do
    if ! race; then tries=0; break; fi
    if [ $tries = 3 ]; then note=", ended by go.dev/issue/75804's deadline race three times"; break; fi
    tries=$((tries + 1))
  done
  if [ $tries != 0 ]; then
    # "execs: N (R/sec), new interesting: I (total: C)"; without
    # coverage guidance the line ends at the rate.
    local last
    last=$(grep -a 'execs:' "$log" | tail -1 | sed -nE 's/.*execs: ([0-9]+).*total: ([0-9]+)\).*/\1 execs, corpus \2/p; t; s/.*execs: ([0-9]+).*/\1 execs/p')
    echo "fuzz: $pkg $t, $FUZZTIME: ok, ${last:-no execs reported}$note" >"$report"
  else
    { echo "fuzz: $pkg $t, $FUZZTIME: FAILED"; tail -20 "$log"; } >"$report"
    echo "$pkg $t" >"$LOGS/$name.failed"
  fi
  flock "$LOGS/print.lock" cat "$report"
}
export -f fuzzone
# FUZZJOBS targets at a time, each with FUZZPARALLEL workers: a short
# target spends much of its time starting and replaying its seeds, on one
# core. At 1 s each, 18 targets took 25 s one at a time with two workers
# and 14 s two at a time with one (docs/performance.md, "The test suite").
xargs -P "${FUZZJOBS:-$(nproc)}" -L 1 bash -c 'fuzzone "$@"' _ <"$targets"
n=$(wc -l <"$targets")
for f in "$LOGS"/*.failed; do
  [ -e "$f" ] && failed+=("$(cat "$f")")
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
if [ "$n" = 0 ]; then
  echo "fuzz: no fuzz targets found in $PKGS" >&2
  exit 1
fi
echo "fuzz: $n targets, $FUZZTIME each${TESTBIN:+, without coverage guidance}: no failures"
