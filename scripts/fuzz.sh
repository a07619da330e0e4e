#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each, one after the
# other (fuzzing uses every core). The targets are found with
# `go test -list 'Fuzz.*'`; PKGS narrows the packages searched.
#
#   bash scripts/fuzz.sh                    # 10s each
#   FUZZTIME=60s bash scripts/fuzz.sh
#   PKGS="./ingest ./rules" FUZZTIME=5s bash scripts/fuzz.sh
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

failed=()
n=0
while read -r pkg names; do
  for t in $names; do
    n=$((n + 1))
    echo "fuzz: $pkg $t for $FUZZTIME"
    if ! go test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" >"${TMPDIR:-/tmp}/fuzz-$t.log" 2>&1; then
      tail -20 "${TMPDIR:-/tmp}/fuzz-$t.log"
      failed+=("$pkg $t")
    fi
  done
done <<<"$targets"

if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzz: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "fuzz: $n targets, $FUZZTIME each: no failures"
